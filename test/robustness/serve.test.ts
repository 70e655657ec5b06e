import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { createServer, connect } from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectFiles, startViewServer, CSP, type ViewServer } from '../../src/node/serve.js';

/**
 * The view server against hostile requests, beyond test/viewer/serve.test.ts: double and overlong encodings, raw
 * backslashes and absolute paths, symlinked folders leading out, headers on refusals, no other interface, and the
 * port free again after Ctrl-C.
 */

function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

let dir: string;
let server: ViewServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'oxyscope-serve-hostile-'));
  mkdirSync(join(dir, 'dist/assets'), { recursive: true });
  writeFileSync(join(dir, 'dist/index.html'), '<!doctype html><title>viewer</title>');
  writeFileSync(join(dir, 'dist/assets/app.js'), 'console.log(1)');
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(dir, 'outside/secret.txt'), 'SECRET');
  writeFileSync(join(dir, 'secret.txt'), 'SECRET');
  // a served folder holding a symlinked folder and file that lead out, and a symlink that stays inside
  mkdirSync(join(dir, 'run/01'), { recursive: true });
  writeFileSync(join(dir, 'run/01/POSCAR'), 'poscar');
  symlinkSync(join(dir, 'outside'), join(dir, 'run/linked-dir'));
  symlinkSync(join(dir, 'secret.txt'), join(dir, 'run/01/CONTCAR'));
  symlinkSync(join(dir, 'run/01/POSCAR'), join(dir, 'run/POSCAR.link'));
  symlinkSync(join(dir, 'outside'), join(dir, 'dist/assets/out'));
  server = await startViewServer(join(dir, 'dist'), await collectFiles([join(dir, 'run')]));
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('view server: what it serves', () => {
  it('only the named folder’s own files: symlinks leading out (file or folder) are left out, one inside adds no second copy', () => {
    expect(server.files.map((f) => f.name)).toEqual(['run/01/POSCAR']);
    expect(server.files.every((f) => f.path.startsWith(join(dir, 'run')))).toBe(true);
  });

  it('refuses every way out of the set, and never sends a byte of the secret', async () => {
    const abs = join(dir, 'secret.txt');
    const attempts = [
      '/%252e%252e/secret.txt', // double-encoded
      '/%252e%252e%252fsecret.txt',
      '/%25%32%65%25%32%65/secret.txt',
      '/%c0%ae%c0%ae/secret.txt', // overlong UTF-8 dots
      '/..%2f..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2E%2e/secret.txt',
      '/.%2e/secret.txt',
      '/..\\secret.txt', // raw backslash
      '/assets\\..\\..\\secret.txt',
      '/%5c..%5csecret.txt',
      abs, // absolute path, unencoded
      `/${abs}`,
      `/${encodeURIComponent(abs)}`,
      '/assets/out/secret.txt', // symlinked folder inside the viewer
      '/assets/out/',
      '/files/0/..',
      '/files/%30',
      '/files/1',
      '/files/999999999',
      '/files/1e3',
      '/files.json/../secret.txt',
      '/.',
      '/./',
      '/assets/.',
    ];
    for (const path of attempts) {
      const res = await get(server.port, `/${server.token}${path}`);
      expect([400, 403, 404], path).toContain(res.status);
      expect(res.body, path).not.toContain('SECRET');
    }
  });

  it('lists no folder: the viewer root and its subfolders give the page or 404, never an index of names', async () => {
    for (const path of ['/assets/', '/assets', '/files/', '/files']) {
      const res = await get(server.port, `/${server.token}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('app.js');
    }
  });

  it('sends the content-security policy on refusals too', async () => {
    for (const [path, host] of [['/../secret.txt', undefined], ['/files/7', undefined], ['/', 'evil.example']] as const) {
      const res = await get(server.port, `/${server.token}${path}`, host);
      expect(res.headers['content-security-policy']).toBe(CSP);
    }
  });

  it('is not reachable on any interface but 127.0.0.1', async () => {
    const others = Object.values(networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4' && !a.internal).map((a) => a!.address);
    for (const address of [...others, '::1']) {
      const refused = await new Promise<boolean>((ok) => {
        const s = connect({ host: address, port: server.port });
        s.on('connect', () => (s.destroy(), ok(false)));
        s.on('error', () => ok(true));
      });
      expect(refused, address).toBe(true);
    }
  });
});

describe('view command: Ctrl-C', () => {
  it('SIGINT ends it with exit code 0 and the port is free again', async () => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'view', 'test/fixtures/real/vasp/poscar/POSCAR.Fe3O4'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((ok) => {
      let out = '';
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) ok(out.split('\n')[0]);
      });
      p.on('exit', () => ok(''));
    });
    // the viewer must be built for `view` to start (npm run build); without it there is nothing to stop
    if (url === '') return expect(p.exitCode).toBe(1);
    const port = Number(new URL(url).port);
    expect((await get(port, `${new URL(url).pathname}files.json`)).body).toContain('POSCAR.Fe3O4');
    p.kill('SIGINT');
    expect(await new Promise((ok) => p.on('exit', ok))).toBe(0);
    const free = await new Promise<boolean>((ok) => {
      const s = createServer();
      s.once('error', () => ok(false));
      s.listen(port, '127.0.0.1', () => s.close(() => ok(true)));
    });
    expect(free).toBe(true);
  }, 30_000);
});

describe('view server: per-run token (issue 19 item 14)', () => {
  it('the URL carries a random token of at least 128 bits, different on every run', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/${server.token}/`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{24,}$/);
    const other = await startViewServer(join(dir, 'dist'), []);
    try {
      expect(other.token).not.toBe(server.token);
    } finally {
      await other.close();
    }
  });

  it('every request without the token gets 404 and none of the files', async () => {
    const t = server.token;
    const flipped = (t[0] === 'A' ? 'B' : 'A') + t.slice(1);
    const paths = ['/', '/index.html', '/files.json', '/files/0', '/assets/app.js', `/${flipped}/files.json`, `/${t.slice(0, -1)}/files.json`,
      `/${t}x/files.json`, `/${t.toUpperCase() === t ? t.toLowerCase() : t.toUpperCase()}/files.json`, `/files.json?token=${t}`, `/x/${t}/files.json`, `/%2F${t}/files.json`];
    for (const path of paths) {
      const res = await get(server.port, path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toMatch(/poscar|viewer|console/);
    }
  });

  it('with the token the page, the manifest and the files are served; /<token> redirects to /<token>/ for the relative fetches', async () => {
    expect((await get(server.port, `/${server.token}/`)).body).toContain('<title>viewer</title>');
    expect(JSON.parse((await get(server.port, `/${server.token}/files.json`)).body).files[0].name).toBe('run/01/POSCAR');
    expect((await get(server.port, `/${server.token}/files/0`)).body).toBe('poscar');
    const bare = await get(server.port, `/${server.token}`);
    expect(bare.status).toBe(308);
    expect(bare.headers.location).toBe(`/${server.token}/`);
  });
});

describe('view server: symlinks checked on every request (issue 19 item 13)', () => {
  let d: string;
  let s: ViewServer;
  const file = (path: string) => get(s.port, `/${s.token}${path}`);

  beforeAll(async () => {
    d = mkdtempSync(join(tmpdir(), 'oxyscope-serve-swap-'));
    mkdirSync(join(d, 'dist/assets'), { recursive: true });
    writeFileSync(join(d, 'dist/index.html'), '<!doctype html><title>viewer</title>');
    writeFileSync(join(d, 'dist/assets/app.js'), 'console.log(1)');
    writeFileSync(join(d, 'secret.txt'), 'SECRET');
    mkdirSync(join(d, 'evil/01'), { recursive: true });
    writeFileSync(join(d, 'evil/01/CONTCAR'), 'SECRET');
    mkdirSync(join(d, 'run/01'), { recursive: true });
    for (const name of ['POSCAR', 'OUTCAR', 'CONTCAR', 'DOSCAR']) writeFileSync(join(d, 'run/01', name), name.toLowerCase());
    s = await startViewServer(join(d, 'dist'), await collectFiles([join(d, 'run')]));
  });
  afterAll(async () => {
    await s?.close();
    rmSync(d, { recursive: true, force: true });
  });

  it('a served file replaced by a symlink to a secret after start-up is refused', async () => {
    const id = s.files.findIndex((f) => f.name === 'run/01/POSCAR');
    expect((await file(`/files/${id}`)).body).toBe('poscar');
    rmSync(join(d, 'run/01/POSCAR'));
    symlinkSync(join(d, 'secret.txt'), join(d, 'run/01/POSCAR'));
    const res = await file(`/files/${id}`);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('SECRET');
  });

  it('a served file replaced by another regular file is served as it is now (a rerun is not an attack)', async () => {
    const id = s.files.findIndex((f) => f.name === 'run/01/OUTCAR');
    rmSync(join(d, 'run/01/OUTCAR'));
    writeFileSync(join(d, 'run/01/OUTCAR'), 'outcar, rerun');
    expect((await file(`/files/${id}`)).body).toBe('outcar, rerun');
  });

  it('a FIFO swapped in neither hangs the server nor is served', async () => {
    const id = s.files.findIndex((f) => f.name === 'run/01/DOSCAR');
    rmSync(join(d, 'run/01/DOSCAR'));
    spawnSync('mkfifo', [join(d, 'run/01/DOSCAR')]);
    expect((await file(`/files/${id}`)).status).toBe(404);
  });

  it('a folder on the served path replaced by a symlink to another folder is refused', async () => {
    const id = s.files.findIndex((f) => f.name === 'run/01/CONTCAR');
    renameSync(join(d, 'run/01'), join(d, 'run/01.old'));
    symlinkSync(join(d, 'evil/01'), join(d, 'run/01'));
    const res = await file(`/files/${id}`);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('SECRET');
  });

  it('a viewer asset replaced by a symlink leading out is refused', async () => {
    expect((await file('/assets/app.js')).status).toBe(200);
    rmSync(join(d, 'dist/assets/app.js'));
    symlinkSync(join(d, 'secret.txt'), join(d, 'dist/assets/app.js'));
    const res = await file('/assets/app.js');
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('SECRET');
  });
});
