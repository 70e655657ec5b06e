import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { createServer, connect } from 'node:net';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
      const res = await get(server.port, path);
      expect([400, 403, 404], path).toContain(res.status);
      expect(res.body, path).not.toContain('SECRET');
    }
  });

  it('lists no folder: the viewer root and its subfolders give the page or 404, never an index of names', async () => {
    for (const path of ['/assets/', '/assets', '/files/', '/files']) {
      const res = await get(server.port, path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('app.js');
    }
  });

  it('sends the content-security policy on refusals too', async () => {
    for (const [path, host] of [['/../secret.txt', undefined], ['/files/7', undefined], ['/', 'evil.example']] as const) {
      const res = await get(server.port, path, host);
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
    expect((await get(port, '/files.json')).body).toContain('POSCAR.Fe3O4');
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
