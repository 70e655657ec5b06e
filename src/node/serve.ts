import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { constants, promises as fs } from 'node:fs';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { OxyError, ParseError } from '../errors.js';
import { kindOf, statPath } from './fs-kind.js';

/**
 * The local server behind `oxyscope view`: the built viewer plus exactly the files the user named, nothing else.
 * It binds 127.0.0.1 only, answers GET/HEAD only, serves the named files by number (no path from the URL ever
 * reaches the file system for them), serves viewer assets only from inside the viewer folder after resolving
 * symlinks, lists no directories, and rejects requests whose Host is not this server (DNS rebinding).
 * Every URL starts with a random per-run token (`/<token>/…`, printed with the URL): other users of a shared login
 * node can reach 127.0.0.1 too, but not guess it. The page's fetches are relative, so they carry it by themselves.
 * Symlinks are checked on every request, not only at start-up: a served file later replaced by a symlink (or a
 * folder on its path by one) is refused, since the file actually opened must still be the one resolved at start-up.
 */

export interface ServedFile {
  /** display path the page sees: relative to the named folder's parent (`neb/01/OUTCAR`) or the file's base name */
  name: string;
  /** absolute, symlinks resolved */
  path: string;
  size: number;
  /** `reference`: the pristine structure the page compares against (migration arrows, census on its sites) */
  role?: 'reference';
}

export interface ViewServer {
  /** `http://127.0.0.1:PORT/<token>/` */
  url: string;
  /** the per-run secret every request path starts with */
  token: string;
  port: number;
  files: ServedFile[];
  close(): Promise<void>;
}

/** At most this many files from folders: a viewer has no use for more, and it bounds the manifest. */
const MAX_FILES = 5000;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The page runs only its own scripts (plus WebAssembly compilation) and talks only to this server. */
export const CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const within = (root: string, p: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);

/**
 * The files behind the user's arguments: a file as itself; a folder as every regular file below it (sorted,
 * dotfiles skipped), leaving out symlinks that resolve outside that folder.
 */
export async function collectFiles(args: string[]): Promise<ServedFile[]> {
  const out: ServedFile[] = [];
  const seen = new Set<string>();
  const add = (name: string, path: string, size: number) => {
    if (seen.has(path)) return;
    if (out.length >= MAX_FILES) throw new OxyError('too-many-files', `oxyscope view serves at most ${MAX_FILES} files; name fewer files or a smaller folder`);
    seen.add(path);
    out.push({ name: name.split(sep).join('/'), path, size });
  };
  for (const arg of args) {
    const abs = resolve(arg);
    const st = await statPath(arg);
    const real = await fs.realpath(abs);
    if (st.isFile()) {
      add(basename(abs), real, st.size);
      continue;
    }
    if (!st.isDirectory()) throw new ParseError({ file: arg, line: 0, expected: 'a regular file or a folder', found: kindOf(st) });
    const top = dirname(abs);
    const walk = async (dir: string): Promise<void> => {
      const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
      for (const e of entries) {
        if (e.name.startsWith('.')) continue;
        const p = join(dir, e.name);
        const rp = await fs.realpath(p).catch(() => undefined);
        if (!rp || !within(real, rp)) continue;
        const s = await fs.stat(rp);
        if (s.isDirectory()) await walk(p);
        else if (s.isFile()) add(relative(top, p), rp, s.size);
      }
    };
    await walk(abs);
  }
  return out;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Resolves a URL path to a file inside `root`, or undefined for anything that tries to leave it. */
async function assetPath(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return undefined;
  const rel = segments.length === 0 ? 'index.html' : segments.join('/');
  const p = resolve(root, rel);
  if (!within(root, p)) return undefined;
  const rp = await fs.realpath(p).catch(() => undefined);
  if (!rp || !within(root, rp)) return undefined;
  const st = await fs.stat(rp).catch(() => undefined);
  return st?.isFile() ? rp : undefined;
}

/** Linux names the file behind an open descriptor exactly; elsewhere the path is resolved again and compared by inode. */
async function openedPath(fh: fs.FileHandle, path: string, st: { dev: number; ino: number }): Promise<string | undefined> {
  const viaProc = await fs.readlink(`/proc/self/fd/${fh.fd}`).catch(() => undefined);
  if (viaProc !== undefined) return viaProc;
  const real = await fs.realpath(path).catch(() => undefined);
  const now = real === undefined ? undefined : await fs.stat(real).catch(() => undefined);
  return now && now.dev === st.dev && now.ino === st.ino ? real : undefined;
}

/**
 * Opens `path` for one request only when it is still the regular file `path` names with no symlink on the way:
 * O_NOFOLLOW refuses a symlink in its place, the opened file's real path must be `path` itself (a folder on the way
 * replaced by a symlink), and O_NONBLOCK keeps a FIFO swapped in from hanging the server.
 */
async function openChecked(path: string): Promise<{ fh: fs.FileHandle; size: number } | undefined> {
  const fh = await fs.open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  if (!fh) return undefined;
  const st = await fh.stat().catch(() => undefined);
  if (st?.isFile() && (await openedPath(fh, path, st)) === path) return { fh, size: st.size };
  await fh.close();
  return undefined;
}

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Starts the server. `viewerRoot` is the built viewer (viewer/dist); `port` 0 picks a free port.
 * Routes, all below `/<token>/`: the viewer's assets, `files.json` (the manifest: `{ files: [{ id, name, size, role? }] }`),
 * `files/<id>`. Anything without the token is 404, the same answer as for a path that does not exist.
 */
export async function startViewServer(viewerRoot: string, files: ServedFile[], port = 0): Promise<ViewServer> {
  const root = await fs.realpath(viewerRoot);
  const manifest = JSON.stringify({ files: files.map((f, id) => ({ id, name: f.name, size: f.size, ...(f.role ? { role: f.role } : {}) })) });
  let hostOk: Set<string> = new Set();
  const token = randomBytes(18).toString('base64url');

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'no-store');
    if (!hostOk.has((req.headers.host ?? '').toLowerCase())) return send(res, 421, 'unknown host\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'method not allowed\n');
    }
    const raw = req.url ?? '/';
    if (!raw.startsWith('/')) return send(res, 400, 'bad request\n');
    const full = raw.split('?')[0].split('#')[0];
    const prefix = /^\/([A-Za-z0-9_-]+)(\/.*)?$/.exec(full);
    if (!prefix || !sameToken(prefix[1], token)) return send(res, 404, 'not found\n');
    if (prefix[2] === undefined) {
      // the page's relative fetches need the trailing slash
      res.writeHead(308, { Location: `/${token}/` });
      return void res.end();
    }
    const path = prefix[2];
    if (path === '/files.json') return send(res, 200, manifest, TYPES['.json']);
    const m = /^\/files\/(\d{1,9})$/.exec(path);
    let file: string | undefined;
    let type = 'application/octet-stream';
    if (m) {
      file = files[Number(m[1])]?.path;
    } else if (!path.startsWith('/files/')) {
      file = await assetPath(root, path);
      type = TYPES[extname(file ?? '').toLowerCase()] ?? type;
    }
    const opened = file === undefined ? undefined : await openChecked(file);
    if (!opened) return send(res, 404, 'not found\n');
    const { fh, size } = opened;
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': size });
    if (req.method === 'HEAD') return void (await fh.close(), res.end());
    // exactly the bytes counted in Content-Length: a file growing meanwhile must not overrun it
    const stream = fh.createReadStream({ start: 0, end: Math.max(0, size - 1), autoClose: true });
    if (size === 0) {
      stream.destroy();
      return void res.end();
    }
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'internal error\n');
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(e.code === 'EADDRINUSE' ? new OxyError('port', `port ${port} is in use; pass --port 0 to pick a free one`) : e),
    );
    server.listen(port, '127.0.0.1', () => ok());
  });
  const actual = (server.address() as AddressInfo).port;
  hostOk = new Set([`127.0.0.1:${actual}`, `localhost:${actual}`]);
  return {
    url: `http://127.0.0.1:${actual}/${token}/`,
    token,
    port: actual,
    files,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
