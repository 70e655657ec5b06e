import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { createProgram } from '../../src/cli/program.js';
import { FileSystemError, UsageError } from '../../src/errors.js';

const M = 'examples/lrlo/model';
const truth = JSON.parse(readFileSync(`${M}/truth.json`, 'utf8'));

/** Runs the CLI in-process and returns what it wrote on stdout. */
async function run(...args: string[]): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
    return true;
  });
  try {
    await createProgram().parseAsync(['node', 'oxyscope', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('oxyscope census', () => {
  it('--json on the model set: 100% O4 pristine and delithiated, O5 after migration; ensemble over the three', async () => {
    const j = JSON.parse(await run('census', `${M}/pristine/POSCAR`, `${M}/delithiated/POSCAR`, `${M}/migrated/POSCAR`, '--json', '--engine', 'js'));
    expect(j.structures.map((s: { file: string }) => s.file)).toEqual([`${M}/pristine/POSCAR`, `${M}/delithiated/POSCAR`, `${M}/migrated/POSCAR`]);
    expect(j.structures[0]).toMatchObject({ nO: 72, classes: { O4: 72 }, fractions: { O4: 1 }, histogram: [{ nTM: 2, nLi: 4, count: 72 }] });
    expect(j.structures[1].classes).toEqual({ O4: 72 });
    const mig = j.structures[2];
    expect(mig.classes.O5).toBeGreaterThan(0);
    expect(mig.classes.O4 + mig.classes.O5 + mig.classes.O3).toBe(72);
    expect(mig.sites[0]).toMatchObject({ index: 48, class: expect.stringMatching(/^O\d$/) });
    expect(j.ensemble.n).toBe(3);
    expect(j.ensemble.mean.O4).toBeCloseTo((1 + 1 + mig.fractions.O4) / 3, 12);
    expect(j.structures[0].cutoffs).toEqual([
      { pair: 'Li-O', cutoff: 2.51, source: 'Shannon Li+ 0.76 + O2− 1.40 + tolerance 0.35' },
      { pair: 'Mn-O', cutoff: 2.395, source: 'Shannon Mn3+ (HS) 0.645 + O2− 1.40 + tolerance 0.35' },
      { pair: 'Ni-O', cutoff: 2.44, source: 'Shannon Ni2+ 0.69 + O2− 1.40 + tolerance 0.35' },
      { pair: 'Co-O', cutoff: 2.495, source: 'Shannon Co2+ (HS) 0.745 + O2− 1.40 + tolerance 0.35' },
    ]);
  });

  it('js and wasm engines print the same JSON', async () => {
    const args = ['census', `${M}/migrated/POSCAR`, '--reference', `${M}/pristine/POSCAR`, '--json'];
    expect(await run(...args, '--engine', 'wasm')).toBe(await run(...args, '--engine', 'js'));
  });

  it('--reference counts the removed Li as vacancies (6 per Li)', async () => {
    const j = JSON.parse(await run('census', `${M}/delithiated/POSCAR`, '--reference', `${M}/pristine/POSCAR`, '--json'));
    const vac = j.structures[0].sites.reduce((a: number, s: { vacancies: number }) => a + s.vacancies, 0);
    expect(vac).toBe(6 * truth.delithiated.removedLi);
  });

  it('table: classes in %, histogram, cutoffs; --csv and --per-site', async () => {
    const t = await run('census', `${M}/pristine/POSCAR`);
    expect(t).toContain(`${M}/pristine/POSCAR: 72 O`);
    expect(t).toMatch(/O4\s+72\s+100\.0%/);
    expect(t).toMatch(/Mn-O\s+2\.395/);
    const csv = await run('census', `${M}/pristine/POSCAR`, '--csv');
    expect(csv).toBe(`file,nO,class,count,fraction\n${M}/pristine/POSCAR,72,O4,72,1\n`);
    const per = await run('census', `${M}/pristine/POSCAR`, '--csv', '--per-site');
    expect(per.split("\n")[0]).toBe('file,atom_1based,class,nTM,nLi,nOther,vacancies');
    expect(per.split("\n")[1]).toBe(`${M}/pristine/POSCAR,73,O4,2,4,0,0`); // 48 Li + 24 TM precede the O: the first O is POSCAR atom 73
    expect(per.trim().split('\n')).toHaveLength(73);
  });

  it('JSON sites carry neighbour lists only with --per-site', async () => {
    const plain = JSON.parse(await run('census', `${M}/pristine/POSCAR`, '--json'));
    expect(plain.structures[0].sites[0].neighbours).toBeUndefined();
    const per = JSON.parse(await run('census', `${M}/pristine/POSCAR`, '--json', '--per-site'));
    expect(per.structures[0].sites[0].neighbours.map((n: { species: string }) => n.species).sort()).toEqual(['Li', 'Li', 'Li', 'Li', 'Mn', 'Mn']);
  });

  it('--tm and --cutoff change the counts', async () => {
    const j = JSON.parse(await run('census', `${M}/pristine/POSCAR`, '--tm', 'Ni', '--cutoff', 'Mn-O=1.5', '--json'));
    expect(j.structures[0].cutoffs.find((c: { pair: string }) => c.pair === 'Mn-O')).toEqual({ pair: 'Mn-O', cutoff: 1.5, source: '--cutoff (pair)' });
    // Mn is no longer a TM and no longer bonded: no O keeps two TM
    expect(j.structures[0].classes.O4 ?? 0).toBeLessThan(72);
  });

  it('bad usage and bad files', async () => {
    await expect(run('census', `${M}/pristine/POSCAR`, '--cutoff', 'Mn-O=abc')).rejects.toThrow(UsageError);
    await expect(run('census', `${M}/pristine/POSCAR`, '--json', '--csv')).rejects.toThrow(UsageError);
    await expect(run('census', `${M}/nope/POSCAR`)).rejects.toThrow(FileSystemError);
  });
});

/** Species of 1-based POSCAR atom `n`, read from the species and counts lines (lines 6 and 7). */
function speciesOfAtom(poscar: string, n: number): string {
  const lines = readFileSync(poscar, 'utf8').split('\n');
  const names = lines[5].trim().split(/\s+/);
  const counts = lines[6].trim().split(/\s+/).map(Number);
  let end = 0;
  for (let g = 0; g < names.length; g++) if (n <= (end += counts[g])) return names[g];
  throw new Error(`no atom ${n}`);
}

describe('1-based atom numbers in tables (issue 18 item 1)', () => {
  it('migration tables name the POSCAR atom numbers (truth.json is 0-based) with the right species', async () => {
    const t = await run('migration', `${M}/migrated/POSCAR`, '--reference', `${M}/pristine/POSCAR`);
    const moved = truth.migrated.moved as { index: number; kind: string }[];
    expect(t).toContain('atom (1-based)');
    for (const m of moved) {
      const n = m.index + 1;
      expect(t).toMatch(new RegExp(`^\\s*${n}\\s+${speciesOfAtom(`${M}/migrated/POSCAR`, n)}\\s`, 'm'));
    }
    const out = moved.filter((m) => m.kind === 'outOfPlane').map((m) => `${speciesOfAtom(`${M}/migrated/POSCAR`, m.index + 1)}${m.index + 1}`);
    expect(t).toContain(`TM in Li layers (atoms 1-based, POSCAR order): ${out.length} (${out.join(', ')})`);
  });

  it('census --per-site: the first O is atom 73 (after 48 Li and 24 TM); neighbours 1-based; JSON stays 0-based', async () => {
    const t = await run('census', `${M}/pristine/POSCAR`, '--per-site');
    expect(t).toContain('O atom (1-based)');
    expect(t).toContain('cations (atom:element, 1-based)');
    const first = t.split('\n').find((l) => /^\s*\d+\s+O\d/.test(l))!;
    expect(first).toMatch(/^\s*73\s+O4/);
    const cations = first.trim().split(/\s+/).slice(6);
    for (const c of cations) {
      const [n, sp] = c.split(':');
      expect(speciesOfAtom(`${M}/pristine/POSCAR`, Number(n))).toBe(sp);
    }
    const j = JSON.parse(await run('census', `${M}/pristine/POSCAR`, '--per-site', '--json'));
    expect(j.structures[0].sites[0].index).toBe(72);
    expect(j.structures[0].sites[0].neighbours.map((nb: { index: number }) => nb.index + 1).sort()).toEqual(cations.map((c) => Number(c.split(':')[0])).sort());
  });
});

describe('oxyscope migration', () => {
  it('--json with the pristine reference lists exactly the builder\'s moved TM', async () => {
    const j = JSON.parse(await run('migration', `${M}/migrated/POSCAR`, '--reference', `${M}/pristine/POSCAR`, '--json'));
    const moved = truth.migrated.moved as { index: number; kind: string }[];
    expect(j.axis.hkl).toEqual([0, 0, 1]);
    expect(j.layers).toHaveLength(6);
    expect(j.migrated.inPlane.map((m: { index: number }) => m.index)).toEqual(moved.filter((m) => m.kind === 'inPlane').map((m) => m.index));
    expect(j.migrated.outOfPlane.map((m: { index: number }) => m.index)).toEqual(moved.filter((m) => m.kind === 'outOfPlane').map((m) => m.index));
    expect(j.tmInLiLayer.map((t: { index: number }) => t.index)).toEqual(moved.filter((m) => m.kind === 'outOfPlane').map((m) => m.index));
    expect(j.tetrahedralTM).toEqual([]);
    expect(Object.keys(j.coordination)).toEqual(['Co', 'Mn', 'Ni']);
  });
  it('table output and --axis', async () => {
    const t = await run('migration', `${M}/pristine/POSCAR`, '--axis', 'c');
    expect(t).toContain('stacking axis (0 0 1)');
    expect(t).toMatch(/Mn\s+Mn–TM3\s+\d+/);
    expect(t).toContain('TM in Li layers (atoms 1-based, POSCAR order): 0');
    await expect(run('migration', `${M}/pristine/POSCAR`, '--axis', 'z')).rejects.toThrow(UsageError);
  });
});

describe('a calculation folder as the structure argument (issue 18 item 6)', () => {
  it('census and migration read the folder\'s CONTCAR, else its POSCAR (an empty CONTCAR is a run that has not finished a step)', async () => {
    const { mkdtempSync, mkdirSync, copyFileSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'oxy-calcdir-'));
    mkdirSync(join(dir, 'relaxed'));
    copyFileSync(`${M}/pristine/POSCAR`, join(dir, 'relaxed', 'POSCAR'));
    copyFileSync(`${M}/migrated/POSCAR`, join(dir, 'relaxed', 'CONTCAR'));
    mkdirSync(join(dir, 'started'));
    copyFileSync(`${M}/delithiated/POSCAR`, join(dir, 'started', 'POSCAR'));
    writeFileSync(join(dir, 'started', 'CONTCAR'), '');
    mkdirSync(join(dir, 'empty'));
    const j = JSON.parse(await run('census', join(dir, 'relaxed'), join(dir, 'started'), '--json'));
    expect(j.structures.map((s: { file: string }) => s.file)).toEqual([join(dir, 'relaxed', 'CONTCAR'), join(dir, 'started', 'POSCAR')]);
    // the CONTCAR is the migrated model (O5 present), the POSCAR of "started" the delithiated one (all O4)
    expect(j.structures[0].classes.O5).toBeGreaterThan(0);
    expect(j.structures[1].classes).toEqual({ O4: 72 });
    expect(JSON.parse(await run('migration', join(dir, 'relaxed'), '--json')).file).toBe(join(dir, 'relaxed', 'CONTCAR'));
    await expect(run('census', join(dir, 'empty'))).rejects.toThrow(/a calculation folder with a CONTCAR or POSCAR/);
  });
});
