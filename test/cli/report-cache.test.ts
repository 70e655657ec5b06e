import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCalcFolders } from '../../bench/report-folders.js';
import { writeSeries } from './voltage-series.js';

/**
 * Provenance in every `report --jsonl` line, and `report --cache`: keyed by input hashes + version + options, so
 * unchanged calculations are reused, changed ones recomputed, a killed run resumes, and concurrent shards share it.
 * The CLI runs from source under tsx.
 */

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const dir = mkdtempSync(join(tmpdir(), 'oxyscope-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const oxy = (args: string[]) => spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8' });
const lines = (f: string) => readFileSync(f, 'utf8').trim().split('\n');
const records = (f: string) => lines(f).map((l) => JSON.parse(l));
const reuse = (stdout: string) => /(\d+) reused, (\d+) computed/.exec(stdout)?.slice(1).map(Number);
const sha256 = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
/** Every entry file below the cache folder. */
const entries = (cache: string): string[] => (existsSync(cache) ? readdirSync(cache, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.json')) : []);

// a private copy of the bundled example: the tests change its files
const EX = join(dir, 'lrlo');
cpSync('examples/lrlo', EX, { recursive: true });
/** calculations of the bundled example: 3 lrlo model cells, 8 SQS cells (each with its POSCAR.pristine as its own reference), 3 real folders */
const N = 14;

describe('provenance in every JSONL line', () => {
  it('oxyscope version (package.json), the analysis options and the SHA-256 of every input file', () => {
    const out = join(dir, 'prov.jsonl');
    const r = oxy(['report', EX, '--jsonl', out, '--engine', 'js', '--window', '-3,0.5', '--tm', 'Mn,Ni', '--reference', `${EX}/model/pristine/POSCAR`]);
    expect(r.status, r.stderr).toBe(0);
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
    for (const rec of records(out)) {
      expect(rec.provenance.tool).toBe('oxyscope');
      expect(rec.provenance.version).toBe(version);
      expect(rec.provenance.options).toEqual({
        engine: 'js',
        window: [-3, 0.5],
        reference: { file: `${EX}/model/pristine/POSCAR`, sha256: sha256(`${EX}/model/pristine/POSCAR`) },
        census: { tm: ['Mn', 'Ni'] },
      });
    }
    const byId = Object.fromEntries(records(out).map((rec) => [rec.id, rec.provenance.inputs]));
    // the LOBSTER folder: every file discovery lists (from `ls`), hashed here independently
    const lobster = ['CHARGE.lobster', 'COHPCAR.lobster', 'DOSCAR.lobster', 'ICOHPLIST.lobster', 'POSCAR', 'lobsterout'];
    expect(byId['real/NaCl-lobster']).toEqual(lobster.map((f) => ({ file: `real/NaCl-lobster/${f}`, sha256: sha256(`${EX}/real/NaCl-lobster/${f}`) })));
    // the NEB folder: the POSCAR/CONTCAR/OUTCAR/OSZICAR of every image folder that has them
    const neb = `${EX}/real/NH3-neb`;
    const expected = readdirSync(neb).filter((d) => /^\d\d$/.test(d)).flatMap((d) =>
      readdirSync(join(neb, d)).filter((f) => /^(POSCAR|CONTCAR|OUTCAR|OSZICAR)(\.gz)?$/.test(f)).map((f) => `real/NH3-neb/${d}/${f}`)).sort();
    expect(expected.length).toBeGreaterThan(3);
    expect(byId['real/NH3-neb']).toEqual(expected.map((f) => ({ file: f, sha256: sha256(join(EX, f)) })));
  }, 120_000);
});

describe('report --cache', () => {
  it('a second run reuses every calculation with the same output; a changed file or option is recomputed; a bad entry is a miss', () => {
    const cache = join(dir, 'cache-a');
    const [a, b] = [join(dir, 'a.jsonl'), join(dir, 'b.jsonl')];
    const cold = oxy(['report', EX, '--jsonl', a, '--cache', cache, '--engine', 'js']);
    expect(cold.status, cold.stderr).toBe(0);
    expect(reuse(cold.stdout)).toEqual([0, N]);
    expect(entries(cache)).toHaveLength(N);
    const warm = oxy(['report', EX, '--jsonl', b, '--cache', cache, '--engine', 'js']);
    expect(reuse(warm.stdout)).toEqual([N, 0]);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
    // the summary from the cached (brief) reports: the same as from the computed ones
    const summary = (out: string) => out.split('\n').filter((l) => !/^(wrote|cache) /.test(l));
    expect(summary(warm.stdout)).toEqual(summary(cold.stdout));
    // without the cache: the same lines
    const plain = oxy(['report', EX, '--jsonl', b, '--force', '--engine', 'js']);
    expect(plain.status).toBe(0);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));

    // one input changed (a trailing comment line is still a valid POSCAR): only its calculation is recomputed
    appendFileSync(`${EX}/model/migrated/POSCAR`, '\n');
    const changed = oxy(['report', EX, '--jsonl', b, '--force', '--cache', cache, '--engine', 'js']);
    expect(reuse(changed.stdout)).toEqual([N - 1, 1]);
    const before = Object.fromEntries(records(a).map((r) => [r.id, r.provenance.inputs]));
    const after = Object.fromEntries(records(b).map((r) => [r.id, r.provenance.inputs]));
    expect(after['model/migrated'][0].sha256).toBe(sha256(`${EX}/model/migrated/POSCAR`));
    expect(after['model/migrated']).not.toEqual(before['model/migrated']);
    // another option: everything again
    expect(reuse(oxy(['report', EX, '--jsonl', b, '--force', '--cache', cache, '--engine', 'js', '--window', '-1,0']).stdout)).toEqual([0, N]);
    // entries cut short or overwritten with garbage are misses, recomputed and rewritten
    const files = entries(cache).map((e) => join(cache, e));
    writeFileSync(files[0], readFileSync(files[0], 'utf8').slice(0, 100));
    writeFileSync(files[1], 'not json');
    const healed = oxy(['report', EX, '--jsonl', b, '--force', '--cache', cache, '--engine', 'js', '--window', '-1,0']);
    expect(healed.status, healed.stderr).toBe(0);
    expect(reuse(healed.stdout)![0]).toBeGreaterThanOrEqual(N - 2);
    expect(reuse(oxy(['report', EX, '--jsonl', b, '--force', '--cache', cache, '--engine', 'js', '--window', '-1,0']).stdout)).toEqual([N, 0]);
  }, 180_000);

  it('unchanged input files are not hashed again (stat memo); a same-size edit with its mtime set back, or another oxyscope version, recomputes', async () => {
    const cache = join(dir, 'cache-memo');
    const [out, plain] = [join(dir, 'memo.jsonl'), join(dir, 'memo-plain.jsonl')];
    const hashed = (stdout: string) => /; (\d+) of (\d+) input files hashed/.exec(stdout)?.slice(1).map(Number);
    const run = () => oxy(['report', EX, '--jsonl', out, '--force', '--cache', cache, '--engine', 'js']);
    // a whole-second mtime, which utimes can set back exactly
    const poscar = `${EX}/model/delithiated/POSCAR`;
    const t = Math.floor(Date.now() / 1000) - 60;
    utimesSync(poscar, t, t);
    const first = run();
    expect(reuse(first.stdout)).toEqual([0, N]);
    const files = hashed(first.stdout)![1];
    expect(hashed(first.stdout)).toEqual([files, files]);
    // files changed within 2 s of the memo's writing are hashed again (racy); once settled, none is
    await new Promise((r) => setTimeout(r, 2200));
    run();
    const settled = run();
    expect(reuse(settled.stdout)).toEqual([N, 0]);
    expect(hashed(settled.stdout)).toEqual([0, files]);
    // same size, same mtime, other bytes
    const text = readFileSync(poscar, 'utf8');
    writeFileSync(poscar, `${text[0] === 'X' ? 'Y' : 'X'}${text.slice(1)}`);
    utimesSync(poscar, t, t);
    const edited = run();
    expect(reuse(edited.stdout)).toEqual([N - 1, 1]);
    expect(hashed(edited.stdout)).toEqual([1, files]);
    expect(oxy(['report', EX, '--jsonl', plain, '--force', '--engine', 'js']).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(plain, 'utf8'));
    expect(records(out).find((r) => r.id === 'model/delithiated').structure.comment[0]).toBe(text[0] === 'X' ? 'Y' : 'X');

    // the bundled CLI (npm run build) as another version: every calculation is computed again
    const pkg = join(dir, 'other-version');
    mkdirSync(join(pkg, 'dist', 'bundle'), { recursive: true });
    cpSync('dist/bundle/cli.mjs', join(pkg, 'dist', 'bundle', 'cli.mjs'));
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'oxyscope', version: '99.0.0', type: 'module' }));
    const other = spawnSync(process.execPath, [join(pkg, 'dist', 'bundle', 'cli.mjs'), 'report', EX, '--jsonl', out, '--force', '--cache', cache, '--engine', 'js'], { encoding: 'utf8' });
    expect(other.status, other.stderr).toBe(0);
    expect(reuse(other.stdout)).toEqual([0, N]);
    expect(records(out)[0].provenance.version).toBe('99.0.0');
    expect(reuse(run().stdout)).toEqual([N, 0]);
  }, 180_000);

  it('a voltage series whose energies add notes and errors to cached reports: the JSONL equals a run without the cache', () => {
    const root = join(dir, 'series');
    writeSeries(root);
    // an OUTCAR that did not finish (a note from the voltage), one whose NIONS does not fit (an error)
    writeFileSync(join(root, 'x36', 'OUTCAR'), readFileSync(join(root, 'x36', 'OUTCAR'), 'utf8').replace(/ General timing.*\n/, ''));
    writeFileSync(join(root, 'x12', 'OUTCAR'), readFileSync(join(root, 'x12', 'OUTCAR'), 'utf8').replace(/NIONS = +\d+/, 'NIONS =    7'));
    const cache = join(dir, 'cache-series');
    const [a, b, plain] = ['series-a', 'series-b', 'series-plain'].map((n) => join(dir, `${n}.jsonl`));
    const cold = oxy(['report', root, '--jsonl', a, '--cache', cache, '--engine', 'js']);
    const warm = oxy(['report', root, '--jsonl', b, '--cache', cache, '--engine', 'js']);
    expect(reuse(warm.stdout)).toEqual([7, 0]);
    expect(oxy(['report', root, '--jsonl', plain, '--engine', 'js']).stderr).toBe(warm.stderr);
    expect(warm.stderr).toBe(cold.stderr);
    expect(readFileSync(b, 'utf8')).toBe(readFileSync(plain, 'utf8'));
    expect(readFileSync(a, 'utf8')).toBe(readFileSync(plain, 'utf8'));
    const byId = Object.fromEntries(records(b).map((r) => [r.id, r]));
    expect(byId.x36.notes.join('\n')).toMatch(/x36\/OUTCAR: the run did not finish/);
    expect(byId.x12.errors).toContainEqual({ analysis: 'voltage', message: expect.stringMatching(/NIONS 7/) });
    expect(warm.stdout).toMatch(/voltage of Li_x/);
  }, 120_000);

  it('an INCAR beside a DOSCAR (read for its column layout) is an input: adding one recomputes that calculation', () => {
    const cache = join(dir, 'cache-incar');
    const out = join(dir, 'incar.jsonl');
    expect(reuse(oxy(['report', EX, '--jsonl', out, '--cache', cache, '--engine', 'js']).stdout)).toEqual([0, N]);
    writeFileSync(`${EX}/real/K4Sn4O6-dos/INCAR`, 'ISPIN = 1\nLNONCOLLINEAR = .FALSE.\n');
    const r = oxy(['report', EX, '--jsonl', out, '--force', '--cache', cache, '--engine', 'js']);
    expect(reuse(r.stdout)).toEqual([N - 1, 1]);
    const rec = records(out).find((x) => x.id === 'real/K4Sn4O6-dos');
    expect(rec.provenance.inputs).toContainEqual({ file: 'real/K4Sn4O6-dos/INCAR', sha256: sha256(`${EX}/real/K4Sn4O6-dos/INCAR`) });
    // discovery does not list it as a file of the calculation (it is a VASP input)
    expect(rec.files.map((f: { file: string }) => f.file)).not.toContain('real/K4Sn4O6-dos/INCAR');
  }, 120_000);

  it('--out with the cache: plots and report from cached curves equal a fresh report', () => {
    const cache = join(dir, 'cache-b');
    const [o1, o2] = [join(dir, 'out1'), join(dir, 'out2')];
    expect(oxy(['report', EX, '--out', o1, '--cache', cache, '--engine', 'js']).status).toBe(0);
    const again = oxy(['report', EX, '--out', o2, '--cache', cache, '--engine', 'js']);
    expect(reuse(again.stdout)).toEqual([N, 0]);
    const names = readdirSync(o1).sort();
    expect(names.filter((n) => n.endsWith('.svg')).length).toBe(5);
    expect(readdirSync(o2).sort()).toEqual(names);
    for (const n of names) expect(readFileSync(join(o2, n), 'utf8'), n).toBe(readFileSync(join(o1, n), 'utf8'));
  }, 120_000);

  it('--cache on a full disk: the report is still written whole, with a warning; --cache naming a file is bad usage', (ctx) => {
    const notDir = join(dir, 'a-file');
    writeFileSync(notDir, '');
    const bad = oxy(['report', EX, '--jsonl', join(dir, 'never.jsonl'), '--cache', notDir, '--engine', 'js']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(`oxyscope: --cache ${notDir} is not a folder\n`);
    const m = join(dir, 'full');
    mkdirSync(m);
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', m]).status !== 0) return ctx.skip();
    try {
      const out = join(dir, 'full.jsonl');
      const r = oxy(['report', EX, '--jsonl', out, '--cache', m, '--engine', 'js']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/^warning: cache .*: \d+ results? not stored \([^\n]*no space left on the device \(ENOSPC\)\); they are computed again next time\n$/);
      const plain = oxy(['report', EX, '--jsonl', join(dir, 'full-plain.jsonl'), '--engine', 'js']);
      expect(plain.status).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(dir, 'full-plain.jsonl'), 'utf8'));
      expect(readdirSync(m, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    } finally {
      spawnSync('umount', [m]);
    }
  }, 120_000);

  const calcs = join(dir, 'many');
  beforeAll(async () => {
    await writeCalcFolders(calcs, 120);
  });

  it('a run killed midway (SIGKILL) resumes: the next run reuses what was stored and gives the full result', async () => {
    const cache = join(dir, 'cache-kill');
    const out = join(dir, 'kill.jsonl');
    const child = spawn(process.execPath, [...CLI, 'report', calcs, '--jsonl', out, '--cache', cache, '--engine', 'js'], { stdio: 'ignore' });
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    const t0 = Date.now();
    while (entries(cache).length < 20 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    const stored = entries(cache).length;
    expect(stored).toBeGreaterThanOrEqual(20);
    expect(stored).toBeLessThan(120);
    // the JSONL is written at the end: the killed run left none (and no temp file)
    expect(readdirSync(dir).filter((n) => n.includes('kill.jsonl'))).toEqual([]);
    const resumed = oxy(['report', calcs, '--jsonl', out, '--cache', cache, '--engine', 'js']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const [hits, misses] = reuse(resumed.stdout)!;
    expect(hits).toBeGreaterThanOrEqual(stored - 1);
    expect(hits + misses).toBe(120);
    const plain = join(dir, 'plain.jsonl');
    expect(oxy(['report', calcs, '--jsonl', plain, '--engine', 'js']).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(plain, 'utf8'));
  }, 240_000);

  it('concurrent shards on one cache (two of them writing the same entries): every entry whole, a re-run reuses all', async () => {
    const cache = join(dir, 'cache-shared');
    const runs = [['1/2', 'x1'], ['1/2', 'x2'], ['2/2', 'y']].map(([shard, name]) => {
      const child = spawn(process.execPath, [...CLI, 'report', calcs, '--shard', shard, '--jsonl', join(dir, `${name}.jsonl`), '--cache', cache, '--engine', 'js'], { stdio: 'ignore' });
      return new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    });
    expect(await Promise.all(runs)).toEqual([0, 0, 0]);
    expect(entries(cache)).toHaveLength(120);
    for (const e of entries(cache)) expect(() => JSON.parse(readFileSync(join(cache, e), 'utf8'))).not.toThrow();
    expect(readdirSync(cache, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(readFileSync(join(dir, 'x1.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'x2.jsonl'), 'utf8'));
    const again = oxy(['report', calcs, '--jsonl', join(dir, 'z.jsonl'), '--cache', cache, '--engine', 'js']);
    expect(reuse(again.stdout)).toEqual([120, 0]);
    const merged = oxy(['merge', join(dir, 'x1.jsonl'), join(dir, 'y.jsonl'), '--jsonl', '--out', join(dir, 'merged.jsonl')]);
    expect(merged.status, merged.stderr).toBe(0);
    expect(readFileSync(join(dir, 'merged.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'z.jsonl'), 'utf8'));
  }, 240_000);
});
