import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectFiles, startViewServer, CSP, type ViewServer } from '../../src/node/serve.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A raw GET (the path is sent as written: no client-side normalisation of `..`). */
function get(port: number, path: string, options: { method?: string; host?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${port}` } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('oxyscope view server', () => {
  let dir: string;
  let server: ViewServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'oxyscope-serve-'));
    // the "built viewer", a secret next to it, and a data folder with a dotfile and a symlink leading out
    mkdirSync(join(dir, 'dist/assets'), { recursive: true });
    writeFileSync(join(dir, 'dist/index.html'), '<!doctype html><title>viewer</title>');
    writeFileSync(join(dir, 'dist/assets/app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'SECRET');
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'dist/assets/leak.txt'));
    mkdirSync(join(dir, 'data/neb/01'), { recursive: true });
    writeFileSync(join(dir, 'data/neb/01/POSCAR'), 'poscar text');
    writeFileSync(join(dir, 'data/neb/.hidden'), 'hidden');
    symlinkSync(join(dir, 'secret.txt'), join(dir, 'data/neb/01/OUTCAR'));
    writeFileSync(join(dir, 'CONTCAR'), 'contcar text');
    const files = await collectFiles([join(dir, 'data/neb'), join(dir, 'CONTCAR')]);
    server = await startViewServer(join(dir, 'dist'), files);
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when a folder is named then its files are listed by path below its parent, without dotfiles or symlinks leading out', () => {
    expect(server.files.map((f) => f.name)).toEqual(['neb/01/POSCAR', 'CONTCAR']);
  });

  it('when the page and the manifest are fetched then they come with the security headers', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/${server.token}/`);
    const page = await get(server.port, `/${server.token}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CSP);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const manifest = await get(server.port, `/${server.token}/files.json`);
    expect(JSON.parse(manifest.body)).toEqual({ files: [{ id: 0, name: 'neb/01/POSCAR', size: 11 }, { id: 1, name: 'CONTCAR', size: 12 }] });
    expect((await get(server.port, `/${server.token}/files/1`)).body).toBe('contcar text');
    expect((await get(server.port, `/${server.token}/assets/app.js`)).headers['content-type']).toBe('text/javascript; charset=utf-8');
  });

  it('when a request tries to leave the served set then it gets no file', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/%2E%2E%2Fsecret.txt',
      '/..%5csecret.txt',
      '/assets/leak.txt',
      `/${encodeURIComponent(join(dir, 'secret.txt'))}`,
      '//etc/passwd',
      '/files/2',
      '/files/-1',
      '/files/../secret.txt',
      '/files/0/../../secret.txt',
      '/assets/',
      '/assets',
      '/%00',
      '/%E0%A4%A',
    ];
    for (const path of attempts) {
      const res = await get(server.port, `/${server.token}${path}`);
      expect([400, 404], path).toContain(res.status);
      expect(res.body).not.toContain('SECRET');
    }
  });

  it('when the method or the Host is not this server then the request is refused', async () => {
    expect((await get(server.port, `/${server.token}/`, { method: 'POST' })).status).toBe(405);
    expect((await get(server.port, `/${server.token}/`, { method: 'HEAD' })).status).toBe(200);
    expect((await get(server.port, `/${server.token}/files.json`, { host: 'evil.example:80' })).status).toBe(421);
    expect((await get(server.port, `/${server.token}/`, { host: `localhost:${server.port}` })).status).toBe(200);
  });
});

describe('oxyscope view command', () => {
  const cli = (args: string[]) => spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'view', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });

  it('when --port is not a port then it exits 2 with a message', async () => {
    const p = cli(['examples/lrlo/model/pristine/POSCAR', '--port', 'abc']);
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((ok) => p.on('exit', ok));
    expect(code).toBe(2);
    expect(err).toContain('expected an integer 0–65535 (got "abc")');
  });

  it('when a named file is missing then it exits 1 naming it', async () => {
    const p = cli(['no/such/POSCAR']);
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((ok) => p.on('exit', ok));
    expect(code).toBe(1);
    expect(err).toBe('oxyscope: no/such/POSCAR: no such file or folder (ENOENT)\n');
  });

  it('when it serves then the URL is the first stdout line and SIGINT stops it cleanly', async () => {
    const p = cli(['examples/lrlo/model/pristine/POSCAR']);
    const first = await new Promise<string>((ok) => {
      let out = '';
      p.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) ok(out.split('\n')[0]);
      });
      // without a built viewer the command fails instead (the browser tests build it)
      p.on('exit', () => ok(''));
    });
    if (first === '') return expect(p.exitCode).toBe(1);
    expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{24}\/$/);
    const port = Number(new URL(first).port);
    expect((await get(port, `${new URL(first).pathname}files.json`)).body).toContain('"name":"POSCAR"');
    expect((await get(port, '/files.json')).status).toBe(404);
    p.kill('SIGINT');
    expect(await new Promise((ok) => p.on('exit', ok))).toBe(0);
  });
});
