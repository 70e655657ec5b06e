import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { jsKernels } from '../../src/kernels/js.js';
import { loadKernels } from '../../src/node/kernels.js';
import { parsePoscar } from '../../src/io/vasp/poscar.js';
import { makeStructure, type Structure } from '../../src/model/structure.js';
import { census, ensemble, type CensusResult } from '../../src/analysis/census.js';
import { pairCutoff } from '../../src/analysis/cutoffs.js';
import { parseCutoffs } from '../../src/cli/parse.js';
import { buildLrlo } from '../../src/build/lrlo.js';
import { UsageError, MismatchError } from '../../src/errors.js';
import { oxygenAround } from './helpers-geometry.js';

const FIX = 'test/fixtures/real';
const read = (p: string) => parsePoscar(readFileSync(p), p);

/** Copy of a structure with site `i` moved to fractional `to` and the sites in `drop` removed. */
function edit(s: Structure, changes: { move?: [number, [number, number, number]]; drop?: number[] }): Structure {
  const frac = Float64Array.from(s.frac);
  if (changes.move) frac.set(changes.move[1], 3 * changes.move[0]);
  const keep = s.species.map((_, i) => i).filter((i) => !(changes.drop ?? []).includes(i));
  const f = new Float64Array(keep.length * 3);
  keep.forEach((i, k) => f.set(frac.subarray(3 * i, 3 * i + 3), 3 * k));
  return makeStructure({ comment: 'edited', lattice: s.lattice, species: keep.map((i) => s.species[i]), frac: f });
}

const at = (s: Structure, i: number): [number, number, number] => [s.frac[3 * i], s.frac[3 * i + 1], s.frac[3 * i + 2]];

describe('cutoffs', () => {
  it('defaults from Shannon radii + 1.40 + 0.35 catch first shells and stop before 2.8 Å', () => {
    expect(pairCutoff('Mn', 'O').cutoff).toBeCloseTo(0.645 + 1.4 + 0.35, 10);
    expect(pairCutoff('Li', 'O').cutoff).toBeCloseTo(2.51, 10);
    for (const el of ['Mn', 'Ni', 'Co', 'Fe', 'Cr', 'Ti', 'V', 'Al', 'Mg', 'Li']) {
      const c = pairCutoff(el, 'O').cutoff;
      expect(c).toBeGreaterThan(2.2);
      expect(c).toBeLessThan(2.8);
    }
  });
  it('parses global and per-pair overrides, and rejects junk', () => {
    expect(parseCutoffs('2.4')).toEqual({ global: 2.4 });
    expect(parseCutoffs('Mn-O=2.3,O-Li=2.5')).toEqual({ pairs: { 'Mn-O': 2.3, 'Li-O': 2.5 } });
    expect(pairCutoff('Mn', 'O', parseCutoffs('2.0,Mn-O=2.3'))).toMatchObject({ cutoff: 2.3, source: '--cutoff (pair)' });
    expect(pairCutoff('Li', 'O', parseCutoffs('2.0,Mn-O=2.3'))).toMatchObject({ cutoff: 2.0, source: '--cutoff (global)' });
    expect(() => parseCutoffs('Mn-O=x')).toThrow(UsageError);
    expect(() => parseCutoffs('-1')).toThrow(UsageError);
  });
});

describe('census on the ideal Li2MnO3 honeycomb', () => {
  const pristine = buildLrlo({ n: 2, variant: 'pristine' }).structure;

  it('every O is O4 = 2 TM + 4 Li, 6 neighbours at 1.95 (Mn) and 2.12 Å (Li)', () => {
    const r = census(pristine, jsKernels);
    expect(r.nO).toBe(72);
    expect(r.classes).toEqual({ O4: 72 });
    expect(r.fractions).toEqual({ O4: 1 });
    expect(r.histogram).toEqual([{ nTM: 2, nLi: 4, count: 72 }]);
    for (const site of r.sites) {
      expect(site.vacancies).toBe(0);
      expect(site.neighbours!.map((n) => n.species).sort()).toEqual(['Li', 'Li', 'Li', 'Li', 'Mn', 'Mn']);
      // TM-layer sites (2 Mn + 1 Li): sqrt((a/√3)² + (0.0733 c)²) = 1.949 Å; Li-layer sites: sqrt((a/√3)² + (0.0933 c)²)
      // = 2.116 Å (a 2.85, c 14.25, u 0.26)
      expect(site.neighbours!.map((n) => Math.round(n.dist * 1000) / 1000)).toEqual([1.949, 1.949, 1.949, 2.116, 2.116, 2.116]);
    }
    expect(r.cutoffs.map((c) => c.pair)).toEqual(['Li-O', 'Mn-O']);
  });

  it('moving one Mn into a vacated TM-layer Li site changes exactly the O around the two sites', () => {
    const li = pristine.species.findIndex((sp, i) => sp === 'Li' && Math.abs(pristine.frac[3 * i + 2]) < 1e-9);
    const target = at(pristine, li);
    const mn = pristine.species.findIndex((sp, i) => sp === 'Mn' && Math.abs(pristine.frac[3 * i + 2]) < 1e-9 && oxygenAround(pristine, at(pristine, i)).filter((o) => oxygenAround(pristine, target).includes(o)).length === 2);
    const around = (f: [number, number, number]) => oxygenAround(pristine, f);
    const oldO = around(at(pristine, mn));
    const newO = around(target);
    const shared = oldO.filter((o) => newO.includes(o));
    expect(oldO).toHaveLength(6);
    expect(shared).toHaveLength(2);
    const migrated = edit(pristine, { move: [mn, target], drop: [li] });
    const before = new Map(census(pristine, jsKernels).sites.map((x) => [x.index, x.class]));
    const after = census(migrated, jsKernels);
    // the dropped Li precedes every O, so O indices shift by one
    const changed = after.sites.filter((x) => x.class !== before.get(x.index + 1)).map((x) => [x.index + 1, x.class]);
    const expected = [...oldO.filter((o) => !shared.includes(o)).map((o) => [o, 'O5']), ...newO.filter((o) => !shared.includes(o)).map((o) => [o, 'O3'])];
    expect(changed.sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual(expected.sort((a, b) => (a[0] as number) - (b[0] as number)));
    expect(after.classes).toEqual({ O3: 4, O4: 64, O5: 4 });
  });

  it('--reference counts removed Li as vacancies on their sites (6 per removed Li)', () => {
    const d = buildLrlo({ n: 2, variant: 'delithiated', delithiation: 0.25 });
    const r = census(d.structure, jsKernels, { reference: pristine });
    expect(r.classes).toEqual({ O4: 72 });
    expect(r.sites.reduce((a, x) => a + x.vacancies, 0)).toBe(6 * d.truth.removedLi);
    expect(r.sites.every((x) => x.nTM + x.nLi + x.vacancies === 6)).toBe(true);
    expect(r.reference).toEqual({ siteTolerance: 1, unassignedO: [], unassignedCations: [] });
    // empty sites appear as index -1 in the neighbour lists
    const empties = r.sites.flatMap((x) => x.neighbours!.filter((n) => n.index < 0));
    expect(empties).toHaveLength(6 * d.truth.removedLi);
    expect(empties.every((n) => n.species === null && n.site! >= 0)).toBe(true);
  });

  it('--reference on the migrated model puts moved TM on their new sites', () => {
    const opts = { n: 2, ni: 0.25, inPlane: 2, outOfPlane: 1, seed: 5 } as const;
    const m = buildLrlo({ ...opts, variant: 'migrated', jitter: 0.1 });
    const p = buildLrlo({ ...opts, variant: 'pristine' });
    const withRef = census(m.structure, jsKernels, { reference: p.structure });
    const direct = census(buildLrlo({ ...opts, variant: 'migrated' }).structure, jsKernels);
    expect(withRef.classes).toEqual(direct.classes);
    expect(withRef.classes.O5).toBeGreaterThan(0);
    expect(withRef.classes.O4).toBeLessThan(72);
  });

  it('rejects a reference in another cell', () => {
    const big = buildLrlo({ n: 3 }).structure;
    expect(() => census(pristine, jsKernels, { reference: big })).toThrow(MismatchError);
  });
});

describe('rock-salt-like checks', () => {
  // NiO rock salt, a = 4.17 Å: every O has six Ni at a/2 = 2.085 Å → O0
  const nio = makeStructure({
    comment: 'NiO',
    lattice: new Float64Array([4.17, 0, 0, 0, 4.17, 0, 0, 0, 4.17]),
    species: ['Ni', 'Ni', 'Ni', 'Ni', 'O', 'O', 'O', 'O'],
    frac: new Float64Array([0, 0, 0, 0.5, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0.5, 0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5, 0.5, 0.5, 0.5]),
  });
  it('NiO: every O is O0 with six Ni', () => {
    const r = census(nio, jsKernels);
    expect(r.classes).toEqual({ O0: 4 });
    expect(r.histogram).toEqual([{ nTM: 6, nLi: 0, count: 4 }]);
    expect(r.sites[0].neighbours!.every((n) => Math.abs(n.dist - 2.085) < 1e-9)).toBe(true);
  });
  it('Li on the Ni sites of the same lattice: O6 with six Li; --tm changes the TM set', () => {
    const lio = { ...nio, species: ['Li', 'Li', 'Li', 'Li', 'O', 'O', 'O', 'O'] };
    expect(census(lio, jsKernels).classes).toEqual({ O6: 4 });
    expect(census(nio, jsKernels, { tm: ['Mn'] }).sites[0]).toMatchObject({ nTM: 0, nLi: 0, nOther: 6, class: 'O6', vacancies: 0 });
  });
  it('a cutoff below the bond length leaves six vacancies', () => {
    expect(census(nio, jsKernels, { cutoffs: { global: 2.0 } }).sites[0]).toMatchObject({ nTM: 0, vacancies: 6, class: 'O6' });
  });
});

describe('real fixtures (neighbour counts cross-checked with pymatgen)', () => {
  // Expected counts from pymatgen 2024 Structure.get_neighbor_list(3.2) on the same files, keeping cation j of O i
  // when d ≤ the oxyscope default cutoff of that pair (Fe-O 2.53, Li-O 2.51, K-O 3.13, Sn-O 2.44); run once by hand.
  it('Fe3O4 (Fe6O8): O 6,7,12,13 have 4 Fe, O 8–11 have 5 Fe', () => {
    const r = census(read(`${FIX}/vasp/poscar/POSCAR.Fe3O4`), jsKernels);
    expect(r.sites.map((x) => [x.index, x.nTM])).toEqual([[6, 4], [7, 4], [8, 5], [9, 5], [10, 5], [11, 5], [12, 4], [13, 4]]);
    expect(r.sites[2].neighbours!.map((n) => n.dist)).toEqual([2.04156, 2.04156, 2.10306, 2.29204, 2.29204]);
    expect(r.sites[6].neighbours!.map((n) => n.dist)).toEqual([1.97265, 1.97265, 2.12847, 2.12847]);
    expect(r.classes).toEqual({ O1: 4, O2: 4 });
  });
  it('Li2O CONTCAR (antifluorite): 32 O with 8 Li at 1.98339 Å', () => {
    const r = census(read(`${FIX}/vasp/poscar/CONTCAR.Li2O`), jsKernels);
    expect(r.nO).toBe(32);
    expect(r.histogram).toEqual([{ nTM: 0, nLi: 8, count: 32 }]);
    expect(r.sites.every((x) => x.neighbours!.every((n) => n.dist === 1.98339) && x.vacancies === 0)).toBe(true);
  });
  it('K4Sn4O6: each O has 2 Sn (2.0919 Å) and 4 K (2.89592, 3.0296 Å) → O4 with nOther 4', () => {
    const r = census(read(`${FIX}/vasp/doscar/custodian__lobster__vasp_lobster_output/CONTCAR`), jsKernels);
    expect(r.classes).toEqual({ O4: 6 });
    for (const x of r.sites) {
      expect([x.nTM, x.nLi, x.nOther]).toEqual([2, 0, 4]);
      expect(x.neighbours!.map((n) => n.dist)).toEqual([2.0919, 2.0919, 2.89592, 2.89592, 3.0296, 3.0296]);
    }
  });
});

describe('ensemble', () => {
  const fake = (fractions: Record<string, number>) => ({ fractions }) as unknown as CensusResult;
  it('mean and sample std (n − 1) of each class fraction; absent classes count as 0', () => {
    const e = ensemble([fake({ O4: 1 }), fake({ O4: 0.9, O5: 0.1 }), fake({ O4: 0.8, O5: 0.2 })]);
    expect(e.n).toBe(3);
    expect(e.mean.O4).toBeCloseTo(0.9, 12);
    expect(e.std.O4).toBeCloseTo(0.1, 12);
    expect(e.mean.O5).toBeCloseTo(0.1, 12);
    expect(e.std.O5).toBeCloseTo(0.1, 12);
    expect(Object.keys(e.mean)).toEqual(['O4', 'O5']);
  });
  it('one structure: std 0', () => {
    expect(ensemble([fake({ O4: 0.75, O5: 0.25 })])).toEqual({ mean: { O4: 0.75, O5: 0.25 }, std: { O4: 0, O5: 0 }, n: 1 });
  });
});

describe('engines agree', async () => {
  const wasm = await loadKernels('wasm');
  const cases: [string, Structure, Structure | undefined][] = [
    ['migrated model with reference', buildLrlo({ n: 3, ni: 0.2, co: 0.1, variant: 'migrated', inPlane: 3, outOfPlane: 2, jitter: 0.08 }).structure, buildLrlo({ n: 3, ni: 0.2, co: 0.1 }).structure],
    ['Fe3O4', read(`${FIX}/vasp/poscar/POSCAR.Fe3O4`), undefined],
    ['K4Sn4O6', read(`${FIX}/vasp/doscar/custodian__lobster__vasp_lobster_output/CONTCAR`), undefined],
  ];
  it.each(cases)('%s: js and wasm give identical census output', (_, s, reference) => {
    expect(wasm.engine).toBe('wasm');
    expect(census(s, wasm, { reference })).toEqual(census(s, jsKernels, { reference }));
  });
});
