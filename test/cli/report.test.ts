import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli, run, ROOT } from './run.js';

const EX = 'examples/lrlo';
const REF = 'examples/lrlo/model/pristine/POSCAR';
/** the SQS ensemble: numbered folders, each with its POSCAR and the POSCAR.pristine beside it (that calculation's own reference) */
const SQS_MEMBERS = Array.from({ length: 8 }, (_, k) => `model/sqs-delithiated/0${k}`);
const IDS = ['model/delithiated', 'model/migrated', 'model/pristine', ...SQS_MEMBERS, 'real/K4Sn4O6-dos', 'real/NH3-neb', 'real/NaCl-lobster'];
/**
 * O by class in each SQS POSCAR (00 … 07), counted with pymatgen (Structure.get_neighbors within 2.6 Å, TM = Mn, Ni,
 * Co; every cation–O distance of these ideal cells is 1.95 or 2.12 Å, the next shell beyond 3.4 Å): 54 O each.
 */
const SQS_CLASSES: Record<string, number>[] = [
  { O3: 28, O4: 22, O5: 4 }, { O3: 29, O4: 21, O5: 3, O6: 1 }, { O3: 24, O4: 30 }, { O3: 30, O4: 18, O5: 6 },
  { O3: 28, O4: 22, O5: 4 }, { O3: 28, O4: 22, O5: 4 }, { O3: 28, O4: 22, O5: 4 }, { O3: 28, O4: 22, O5: 4 },
];

type Calc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let out: string;
let doc: { calculations: Calc[]; plots: Record<string, string>; summary: Calc[]; ensembles: Calc[] };
let stdout: string;
const byId = (id: string): Calc => doc.calculations.find((c) => c.id === id)!;

beforeAll(async () => {
  expect(builtCli(), 'run `npm run build:ts` first: these tests drive bin/oxyscope.js').toBe(true);
  out = join(mkdtempSync(join(tmpdir(), 'oxy-report-')), 'rep');
  const r = await run(['report', EX, '--reference', REF, '--out', out]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  stdout = r.stdout;
  doc = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
});

describe('oxyscope report on the bundled example', () => {
  it('finds the calculations, sorted, and writes report.md, report.json and the plots (no temp files left)', () => {
    expect(doc.calculations.map((c) => c.id)).toEqual(IDS);
    expect(readdirSync(out).sort()).toEqual([
      'census-classes.svg',
      'real_K4Sn4O6-dos-pdos.svg',
      'real_NH3-neb-neb.svg',
      'real_NaCl-lobster-cohp.svg',
      'real_NaCl-lobster-pdos.svg',
      'report.json',
      'report.md',
    ]);
    for (const f of readdirSync(out).filter((n) => n.endsWith('.svg'))) expect(readFileSync(join(out, f), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    expect(byId('real/NH3-neb').plots).toEqual({ neb: 'real_NH3-neb-neb.svg' });
    expect(doc.plots).toEqual({ census: 'census-classes.svg' });
  });

  it('the SQS folder is an ensemble: mean ± sample std of the class fractions over its 8 cells, in report.json, report.md and the plot', () => {
    expect(doc.ensembles.map((e) => [e.id, e.n, e.members])).toEqual([['model/sqs-delithiated', 8, SQS_MEMBERS]]);
    const [e] = doc.ensembles;
    expect(e.reason).toMatch(/moves [\d.]+ Å between \d\d and \d\d; consecutive NEB images move no atom more than 2 Å/);
    for (const k of ['O3', 'O4', 'O5', 'O6']) {
      const f = SQS_CLASSES.map((c) => (c[k] ?? 0) / 54);
      const mean = f.reduce((a, x) => a + x, 0) / f.length;
      const std = Math.sqrt(f.reduce((a, x) => a + (x - mean) ** 2, 0) / (f.length - 1));
      expect(e.mean[k], k).toBeCloseTo(mean, 12);
      expect(e.std[k], k).toBeCloseTo(std, 12);
    }
    // ensemble.json is the generator's own census of the same cells (against POSCAR.pristine): the same numbers
    const written = JSON.parse(readFileSync(join(ROOT, EX, 'model/sqs-delithiated/ensemble.json'), 'utf8')).ensemble;
    for (const k of Object.keys(written.mean)) expect([e.mean[k], e.std[k]]).toEqual([expect.closeTo(written.mean[k], 12), expect.closeTo(written.std[k], 12)]);
    // each cell's census takes its sites from its own POSCAR.pristine, not from the report-wide --reference
    for (const m of SQS_MEMBERS) {
      expect(byId(m).reference, m).toBe(`${m}/POSCAR.pristine`);
      expect(byId(m).notes.filter((n: string) => /without the reference/.test(n)), m).toEqual([]);
      expect(byId(m).census.reference, m).toBeDefined();
    }
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/Cation sites of 8 structures come from their own pristine reference/);
    expect(md).toContain('## O environments of ensembles');
    expect(md).toContain('| model/sqs-delithiated | 8 | 51.6% ± 3.2% | 41.4% ± 6.3% | 6.7% ± 3.1% | 0.2% ± 0.7% |');
    // the census plot: the ensemble is one series with an error bar per class (4), the other structures one bar each
    const svg = readFileSync(join(out, 'census-classes.svg'), 'utf8');
    expect(svg.match(/class="error"/g)).toHaveLength(4);
    expect(svg).toContain('model/sqs-delithiated (ensemble, n = 8)');
    expect(stdout).toMatch(/ensemble model\/sqs-delithiated: 8 structures, 8 with O; O classes \(mean ± sample std\): O3 51\.6% ± 3\.2%, O4 41\.4% ± 6\.3%/);
  });

  it('runs every analysis that applies, and flags the model structures', () => {
    const has = (id: string) => ['census', 'migration', 'pdos', 'cohp', 'neb'].filter((k) => byId(id)[k] !== undefined);
    expect(has('model/pristine')).toEqual(['census', 'migration']);
    // K4Sn4O6 has no Li/Na: no cation layers to migrate in
    expect(has('real/K4Sn4O6-dos')).toEqual(['census', 'pdos']);
    expect(has('real/NaCl-lobster')).toEqual(['pdos', 'cohp']);
    expect(has('real/NH3-neb')).toEqual(['neb']);
    expect(IDS.filter((id) => byId(id).structure?.model)).toEqual(['model/delithiated', 'model/migrated', 'model/pristine', ...SQS_MEMBERS]);
    expect(byId('real/K4Sn4O6-dos').structure).toMatchObject({ file: 'real/K4Sn4O6-dos/CONTCAR', formula: 'K4Sn4O6', model: false });
    for (const c of doc.calculations) expect(c.errors).toEqual([]);
  });

  it('delithiated cells: O classes broken down by nLi and vacancies (issue 18 item 5)', () => {
    const truth = JSON.parse(readFileSync(join(ROOT, 'examples/lrlo/model/truth.json'), 'utf8'));
    const env = byId('model/delithiated').census.environments as { class: string; nLi: number; vacancies: number; count: number }[];
    // every removed Li leaves a vacancy on each of the 6 O around its site (with the pristine reference)
    expect(env.reduce((a, e) => a + e.vacancies * e.count, 0)).toBe(6 * truth.delithiated.removedLi);
    expect(env.reduce((a, e) => a + e.count, 0)).toBe(72);
    expect(env.every((e) => e.class === 'O4' && e.nLi + e.vacancies === 4)).toBe(true);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('### O environments by Li neighbours and vacancies');
    for (const e of env) expect(md).toContain(`| model/delithiated (MODEL) | O4 | 2 | ${e.nLi} | ${e.vacancies} | ${e.count} |`);
    // the pristine cell has no vacancies: not in the breakdown
    expect(md).not.toContain('| model/pristine (MODEL) | O4 | 2 | 4 | 0 |');
  });

  it('PDOS moments run to the band top above E_F, so filling is not 100 % by construction', () => {
    const p = byId('real/NaCl-lobster').pdos;
    expect(p.momentWindowBasis).toBe('band top above E_F');
    expect(p.momentWindow[0]).toBe(-10);
    expect(p.momentWindow[1]).toBeGreaterThan(0);
  });

  it('model set: 100 % O4 pristine, O5 after migration, and exactly the TM the builder moved', () => {
    expect(byId('model/pristine').census.classes).toEqual({ O4: 72 });
    expect(byId('model/migrated').census.classes.O5).toBeGreaterThan(0);
    const truth = JSON.parse(readFileSync(join(ROOT, 'examples/lrlo/model/truth.json'), 'utf8'));
    const moved = (kind: string) => truth.migrated.moved.filter((m: Calc) => m.kind === kind).map((m: Calc) => m.index);
    const m = byId('model/migrated').migration.migrated;
    expect(m.reference).toBe(true);
    expect(m.inPlane.map((t: Calc) => t.index)).toEqual(moved('inPlane'));
    expect(m.outOfPlane.map((t: Calc) => t.index)).toEqual(moved('outOfPlane'));
    expect(byId('model/delithiated').migration.migrated.inPlane).toEqual([]);
    expect(doc.summary[1]).toMatchObject({ calculation: 'model/migrated', model: true, nO: 72, 'O5 fraction': expect.closeTo(11 / 72, 6), 'TM migrated in-plane': 2, 'TM migrated out-of-plane': 1 });
  });

  it('values agree with the individual commands', async () => {
    const neb = JSON.parse((await run(['neb', `${EX}/real/NH3-neb`, '--json'])).stdout);
    const r = byId('real/NH3-neb').neb;
    expect(r.barrier).toEqual(neb.barrier);
    expect(r.energies).toEqual(neb.energies);
    expect(r.migratingAtoms).toEqual(neb.migratingAtoms);

    const census = JSON.parse((await run(['census', `${EX}/model/migrated/POSCAR`, '--reference', REF, '--json'])).stdout);
    expect(byId('model/migrated').census.classes).toEqual(census.structures[0].classes);
    expect(byId('model/migrated').census.fractions).toEqual(census.structures[0].fractions);

    const mig = JSON.parse((await run(['migration', `${EX}/model/migrated/POSCAR`, '--reference', REF, '--json'])).stdout);
    expect(byId('model/migrated').migration.migrated).toEqual(mig.migrated);
    expect(byId('model/migrated').migration.coordination).toEqual(mig.coordination);
  });

  it('PDOS by O class from the DOSCAR with its CONTCAR, and −ICOHP by element pair from the LOBSTER 5.1 list', () => {
    const p = byId('real/K4Sn4O6-dos').pdos;
    expect(p).toMatchObject({ file: 'real/K4Sn4O6-dos/DOSCAR', groupBy: 'class', window: [-2, 0], orbitals: ['p'] });
    expect(p.groups.map((g: Calc) => [g.name, g.atoms])).toEqual([['O4', [8, 9, 10, 11, 12, 13]]]);
    expect(p.groups[0].perAtom).toBeCloseTo(p.groups[0].statesInWindow / 6, 12);
    const h = byId('real/NaCl-lobster').cohp;
    expect(h).toMatchObject({ file: 'real/NaCl-lobster/ICOHPLIST.lobster', bonds: 24 });
    expect(h.groups.map((g: Calc) => [g.name, g.count])).toEqual([['Na-Cl', 24]]);
    // every Na1–Cl bond line of the file reads −0.56501 … −0.56502: the mean −ICOHP per bond is 0.565 eV
    expect(h.groups[0].meanMinusIcohp).toBeCloseTo(0.565, 3);
  });

  it('report.md has every section with units, and stdout a readable summary', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    for (const h of ['## O environments (census)', '## TM layers, in-plane coordination and migration', '## Projected DOS in the window below E_F', '## Bonding (LOBSTER)', '## NEB barriers']) expect(md).toContain(h);
    expect(md).toMatch(/model\/migrated \(MODEL\)/);
    expect(md).toMatch(/states in window per atom/);
    expect(md).toMatch(/mean −ICOHP per bond \(eV\)/);
    expect(md).toMatch(/\| real\/NH3-neb \| 5 \| energy\(sigma->0\) \| 0\.2157 \| 0\.2157 \|/);
    expect(md).toMatch(/!\[O classes by structure\]\(census-classes\.svg\)/);
    expect(stdout).toMatch(new RegExp(`^oxyscope report: ${IDS.length} calculations in examples/lrlo`));
    expect(IDS.length).toBe(14);
    expect(stdout).toMatch(/model\/migrated\n\s+Li24Mn15Ni6Co3O72 \[MODEL\]\n\s+O classes O3 11\/72 \(15\.3%\), O4 50\/72 \(69\.4%\), O5 11\/72 \(15\.3%\)/);
    expect(stdout).toMatch(/migrated TM vs reference: 2 in-plane, 1 out-of-plane/);
    expect(stdout).toMatch(/NEB barrier 0\.216 eV forward/);
  });

  it('refuses to overwrite without --force and leaves the old files untouched', async () => {
    const before = readFileSync(join(out, 'report.json'), 'utf8');
    const mtime = statSync(join(out, 'report.json')).mtimeMs;
    const r = await run(['report', EX, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`oxyscope: ${out} exists; pass --force to replace it\n`);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe(before);
    expect(statSync(join(out, 'report.json')).mtimeMs).toBe(mtime);
    const forced = await run(['report', EX, '--reference', REF, '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe(before);
    expect(readdirSync(out).filter((n) => n.startsWith('.') || n.endsWith('.tmp'))).toEqual([]);
    expect(readdirSync(join(out, '..')).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

/** Same shape and strings; numbers equal to 1e-9 relative (kernels may sum in another order). */
function expectClose(a: unknown, b: unknown, path = '$'): void {
  if (typeof a === 'number' && typeof b === 'number') {
    expect(Math.abs(a - b), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a)));
  } else if (a && b && typeof a === 'object' && typeof b === 'object') {
    expect(Object.keys(b as object), path).toEqual(Object.keys(a as object));
    for (const k of Object.keys(a as object)) expectClose((a as Calc)[k], (b as Calc)[k], `${path}.${k}`);
  } else {
    expect(b, path).toEqual(a);
  }
}

describe('engines', () => {
  it('--engine js and --engine wasm give the same report', async () => {
    const [js, wasm] = await Promise.all(['js', 'wasm'].map((e) => run(['report', EX, '--reference', REF, '--json', '--jsonl', join(mkdtempSync(join(tmpdir(), 'oxy-eng-')), 'x.jsonl'), '--engine', e])));
    const a = JSON.parse(js.stdout), b = JSON.parse(wasm.stdout);
    expect([a.engine, b.engine]).toEqual(['js', 'wasm']);
    // provenance names the engine; everything else agrees
    const engines = (doc: { calculations: Calc[] }) => doc.calculations.map((c) => c.provenance.options.engine);
    expect([engines(a), engines(b)]).toEqual([a.calculations.map(() => 'js'), b.calculations.map(() => 'wasm')]);
    for (const c of [...a.calculations, ...b.calculations]) delete c.provenance.options.engine;
    expectClose(a.calculations, b.calculations);
  });
});

describe('shards and merge', () => {
  it('--shard 1/2 and 2/2 split the calculations; merge joins them into the full set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oxy-shards-'));
    const [a, b, all] = ['a.jsonl', 'b.jsonl', 'all.jsonl'].map((f) => join(dir, f));
    const r1 = await run(['report', EX, '--shard', '1/2', '--jsonl', a]);
    const r2 = await run(['report', EX, '--shard', '2/2', '--jsonl', b]);
    const r3 = await run(['report', EX, '--jsonl', all]);
    expect([r1.code, r2.code, r3.code]).toEqual([0, 0, 0]);
    // --jsonl without --out writes no report folder
    expect(readdirSync(dir).sort()).toEqual(['a.jsonl', 'all.jsonl', 'b.jsonl']);
    const ids = (f: string) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l).id);
    expect(ids(a)).toEqual(IDS.filter((_, i) => i % 2 === 0));
    expect(ids(b)).toEqual(IDS.filter((_, i) => i % 2 === 1));

    const merged = JSON.parse((await run(['merge', b, a, a, '--json'])).stdout);
    const full = readFileSync(all, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(merged.map((c: Calc) => c.id)).toEqual(IDS);
    expect(merged).toEqual(full);

    const csv = await run(['merge', a, b, '--csv']);
    const lines = csv.stdout.trim().split('\n');
    expect(lines).toHaveLength(1 + IDS.length);
    expect(lines[0].split(',').slice(0, 4)).toEqual(['calculation', 'kind', 'formula', 'model']);
    expect(lines[0]).toContain('NEB forward barrier, highest image (eV)');
    expect(lines[2].startsWith('model/migrated,files,Li24Mn15Ni6Co3O72,yes,')).toBe(true);
    // issue 18: full precision (every digit of the record) and ASCII headers (-ICOHP, not −ICOHP)
    const header = lines[0].split(',');
    const o4 = header.indexOf('O4 fraction');
    const migrated = full.find((c: Calc) => c.id === 'model/migrated');
    expect(lines[2].split(',')[o4]).toBe(String(migrated.census.fractions.O4));
    expect(String(migrated.census.fractions.O4).length).toBeGreaterThan(8);
    expect(lines[0]).toMatch(/^[\x20-\x7e]+$/);
    expect(lines[0]).toContain('-ICOHP');

    const table = await run(['merge', a, b]);
    expect(table.stdout).toMatch(new RegExp(`${IDS.length} calculations from 2 shard files`));
  });

  it('bad shard specs are usage errors; a non-JSONL file is a parse error with its line', async () => {
    const bad = await run(['report', EX, '--shard', '3/2', '--jsonl', join(tmpdir(), 'never.jsonl')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/K\/N/);
    const notJsonl = await run(['merge', `${EX}/README.md`]);
    expect(notJsonl.code).toBe(1);
    expect(notJsonl.stderr).toMatch(/README\.md:1: expected one JSON object per line/);
  });
});
