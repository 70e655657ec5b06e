import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { FileSystemError } from '../../src/errors.js';

/**
 * Every command that reads or writes turns a file-system failure into one line on stderr naming the path the user
 * gave and the cause, exit 1, never a Node stack trace (issue 19 item 7). Real failures where a test can make them
 * (ENOTDIR through /dev/null or a FIFO, ENOENT, EISDIR, EEXIST); full disk, read-only mounts, permissions and I/O
 * errors injected by fs-inject.mjs (a test may run as root, where permissions do not bite).
 */

const dir = mkdtempSync(join(tmpdir(), 'oxyscope-fserr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const POSCAR = 'examples/lrlo/model/pristine/POSCAR';
const LOBSTER = 'examples/lrlo/real/NaCl-lobster';
const fifo = join(dir, 'fifo');
execFileSync('mkfifo', [fifo]);
const aFile = join(dir, 'plain.txt');
writeFileSync(aFile, 'not a folder\n');
mkdirSync(join(dir, 'folder.svg'));
const calcs = join(dir, 'calcs');
mkdirSync(join(calcs, 'a'), { recursive: true });
copyFileSync(POSCAR, join(calcs, 'a', 'POSCAR'));

function cli(args: string[], fail?: string, failPath = '') {
  const pre = fail ? ['--import', './test/robustness/fs-inject.mjs'] : [];
  return spawnSync(process.execPath, [...pre, '--import', 'tsx', 'src/cli/main.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, OXY_FAIL: fail ?? '', OXY_FAIL_PATH: failPath },
    timeout: 60_000,
  });
}

function expectOneLine(r: ReturnType<typeof cli>, path: string, cause: RegExp) {
  expect(r.status, r.stderr).toBe(1);
  expect(r.stderr).not.toMatch(/\n\s+at |node:internal|Error: E[A-Z]/);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0].startsWith(`oxyscope: ${path}: `), lines[0]).toBe(true);
  expect(lines[0]).toMatch(cause);
}

describe('real file-system failures: one line naming the path', () => {
  const viaFile = join(aFile, 'POSCAR');
  const viaFifo = join(fifo, 'POSCAR');
  const reads: [string, string[], string][] = [
    ['census', ['census', '/dev/null/POSCAR'], '/dev/null/POSCAR'],
    ['migration', ['migration', viaFifo], viaFifo],
    ['pdos', ['pdos', join(viaFile, 'DOSCAR')], join(viaFile, 'DOSCAR')],
    ['cohp', ['cohp', '/dev/null/ICOHPLIST.lobster'], '/dev/null/ICOHPLIST.lobster'],
    ['info', ['info', viaFifo], viaFifo],
    ['convert', ['convert', '/dev/null/POSCAR'], '/dev/null/POSCAR'],
    ['neb', ['neb', '/dev/null/neb'], '/dev/null/neb'],
    ['view', ['view', viaFile], viaFile],
    ['report', ['report', '/dev/null/calcs'], '/dev/null/calcs'],
    ['merge', ['merge', '/dev/null/shard.jsonl'], '/dev/null/shard.jsonl'],
  ];
  for (const [name, args, path] of reads) {
    it(`${name} reading through a non-folder`, () => expectOneLine(cli(args), path, /not a folder \(ENOTDIR\)|no such (file or )?folder/));
  }

  it('/dev/zero and a FIFO are named for what they are (not "a folder") and never read (a FIFO would block)', () => {
    expectOneLine(cli(['census', '/dev/zero']), '/dev/zero', /expected a regular file, found "a character device"$/);
    expectOneLine(cli(['census', fifo]), fifo, /expected a regular file, found "a FIFO \(named pipe\)"$/);
    expectOneLine(cli(['pdos', fifo]), fifo, /found "a FIFO \(named pipe\)"$/);
    expectOneLine(cli(['info', '/dev/zero']), '/dev/zero', /expected a regular file or a folder, found "a character device"$/);
    expectOneLine(cli(['info', fifo]), fifo, /found "a FIFO \(named pipe\)"$/);
    expectOneLine(cli(['view', fifo]), fifo, /found "a FIFO \(named pipe\)"$/);
    expectOneLine(cli(['census', dir]), dir, /expected a regular file, found "a folder"|a calculation folder with a CONTCAR or POSCAR/);
  }, 120_000);

  it('a missing file: ENOENT', () => expectOneLine(cli(['census', join(dir, 'missing')]), join(dir, 'missing'), /no such file or folder \(ENOENT\)$/));

  it('writing below /dev/null, a FIFO or a plain file: ENOTDIR naming the output, not the temp file', () => {
    for (const out of ['/dev/null/x.xyz', join(fifo, 'x.xyz'), join(aFile, 'x.xyz')]) {
      expectOneLine(cli(['convert', POSCAR, '--out', out]), out, /not a folder \(ENOTDIR\)$/);
    }
    expectOneLine(cli(['pdos', `${LOBSTER}/DOSCAR.lobster`, '--plot', '/dev/null/p.svg']), '/dev/null/p.svg', /ENOTDIR/);
    expectOneLine(cli(['report', calcs, '--out', '/dev/null/r']), '/dev/null/r', /ENOTDIR/);
  }, 120_000);

  it('writing into a missing folder: ENOENT; onto a folder: EISDIR; a report folder that is a file: EEXIST', () => {
    expectOneLine(cli(['convert', POSCAR, '--out', join(dir, 'no/such/x.xyz')]), join(dir, 'no/such/x.xyz'), /no such file or folder \(ENOENT\)$/);
    expectOneLine(cli(['cohp', `${LOBSTER}/COHPCAR.lobster`, '--plot', join(dir, 'folder.svg'), '--force']), join(dir, 'folder.svg'), /is a folder, not a file \(EISDIR\)$/);
    expectOneLine(cli(['report', calcs, '--out', aFile]), aFile, /already exists \(EEXIST\)$/);
  }, 120_000);
});

describe('injected failures: full disk, read-only, permissions, I/O errors', () => {
  const cases: [string, string, string[], string][] = [
    ['write:ENOSPC', 'no space left on the device (ENOSPC)', ['convert', POSCAR, '--out', join(dir, 'full.xyz')], join(dir, 'full.xyz')],
    ['write:EDQUOT', 'disk quota exceeded (EDQUOT)', ['report', calcs, '--out', join(dir, 'rq')], join(dir, 'rq', 'census-classes.svg')],
    ['write:EIO', 'input/output error (disk or network file system) (EIO)', ['cohp', `${LOBSTER}/COHPCAR.lobster`, '--plot', join(dir, 'eio.svg')], join(dir, 'eio.svg')],
    ['open-write:EROFS', 'read-only file system (EROFS)', ['convert', POSCAR, '--out', join(dir, 'ro.xyz')], join(dir, 'ro.xyz')],
    ['open-write:EACCES', 'permission denied (EACCES)', ['neb', 'examples/lrlo/real/NH3-neb', '--plot', join(dir, 'acc.svg')], join(dir, 'acc.svg')],
    ['mkdir:EACCES', 'permission denied (EACCES)', ['report', calcs, '--out', join(dir, 'rm')], join(dir, 'rm')],
    ['open-read:EACCES', 'permission denied (EACCES)', ['census', POSCAR], POSCAR],
    ['read:EIO', 'input/output error (disk or network file system) (EIO)', ['pdos', `${LOBSTER}/DOSCAR.lobster`], `${LOBSTER}/DOSCAR.lobster`],
    ['read:EIO', 'input/output error (disk or network file system) (EIO)', ['info', `${LOBSTER}/COHPCAR.lobster`], `${LOBSTER}/COHPCAR.lobster`],
  ];
  for (const [fail, cause, args, path] of cases) {
    it(`${fail}: ${args[0]}`, () => {
      const r = cli(args, fail);
      expectOneLine(r, path, new RegExp(`: ${cause.replace(/[()]/g, '\\$&')}$`));
    });
  }

  it('report: an unreadable file in one calculation is an error of that calculation, the others are reported', () => {
    const root = join(dir, 'two');
    for (const c of ['a', 'b']) {
      mkdirSync(join(root, c), { recursive: true });
      copyFileSync(POSCAR, join(root, c, 'POSCAR'));
    }
    const out = join(dir, 'two-rep');
    const r = cli(['report', root, '--out', out], 'open-read:EACCES', join('two', 'b', 'POSCAR'));
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const doc = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(doc.calculations.map((c: { id: string }) => c.id)).toEqual(['a', 'b']);
    expect(doc.calculations[0].errors).toEqual([]);
    expect(doc.calculations[0].census.nO).toBe(72);
    expect(doc.calculations[1].errors.map((e: { message: string }) => e.message).join(' ')).toContain(`${join(root, 'b', 'POSCAR')}: permission denied (EACCES)`);
  }, 120_000);

  it('a failed write leaves no temp file behind', () => {
    cli(['convert', POSCAR, '--out', join(dir, 'gone.xyz')], 'write:ENOSPC');
    expect(readdirSync(dir).filter((n) => n.includes('gone.xyz'))).toEqual([]);
  });
});

describe('FileSystemError.from', () => {
  it('names the given path (not the temp file in the error) and keeps other errors as they are', () => {
    const e = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: 'ENOSPC', syscall: 'write' });
    const f = FileSystemError.from(e, 'out/report.md') as FileSystemError;
    expect(f).toBeInstanceOf(FileSystemError);
    expect(f.message).toBe('out/report.md: no space left on the device (ENOSPC)');
    expect(f.exitCode).toBe(1);
    const bug = new TypeError('x is undefined');
    expect(FileSystemError.from(bug)).toBe(bug);
    const withPath = Object.assign(new Error("EROFS: read-only file system, open '/mnt/x'"), { code: 'EROFS', syscall: 'open', path: '/mnt/x' });
    expect((FileSystemError.from(withPath) as Error).message).toBe('/mnt/x: read-only file system (EROFS)');
  });
});

describe('bench --out', () => {
  it('a folder that cannot be made fails at once, before the run (issue 18: results were lost after the whole run)', () => {
    const r = cli(['bench', '--quick', '--out', '/dev/null/bench']);
    expectOneLine(r, '/dev/null/bench', /ENOTDIR/);
    expect(r.stdout).toBe('');
  });

  it('a new folder is created before the run starts', async () => {
    const out = join(dir, 'bench', 'new');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'bench', '--quick', '--out', out, '--data', join(dir, 'bench-data')], { stdio: 'ignore' });
    const t0 = Date.now();
    while (!existsSync(out) && child.exitCode === null && Date.now() - t0 < 30_000) await new Promise((x) => setTimeout(x, 20));
    child.kill('SIGKILL');
    expect(existsSync(out)).toBe(true);
  }, 60_000);
});
