import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../src/kernels/js.js';
import { loadKernels } from '../../src/node/kernels.js';
import { makeStructure, type Structure } from '../../src/model/structure.js';
import { buildLrlo } from '../../src/build/lrlo.js';
import { migration } from '../../src/analysis/migration.js';
import { MismatchError } from '../../src/errors.js';
import { readFileSync } from 'node:fs';
import { parsePoscar } from '../../src/io/vasp/poscar.js';
import { census } from '../../src/analysis/census.js';

const OPTS = { n: 3, ni: 0.25, co: 0.1, inPlane: 3, outOfPlane: 2, seed: 11 } as const;
const pristine = buildLrlo({ ...OPTS, variant: 'pristine' });
const migrated = buildLrlo({ ...OPTS, variant: 'migrated', jitter: 0.1 });

function withFrac(s: Structure, i: number, f: [number, number, number]): Structure {
  const frac = Float64Array.from(s.frac);
  frac.set(f, 3 * i);
  return makeStructure({ comment: 'edited', lattice: s.lattice, species: s.species, frac });
}

describe('migration on the model', () => {
  it('pristine honeycomb: every TM has 3 TM in its layer, none in adjacent layers, none in Li layers or tetrahedral', () => {
    const r = migration(pristine.structure, jsKernels);
    expect(r.axis.hkl).toEqual([0, 0, 1]);
    expect(r.layers.map((l) => l.kind)).toEqual(['TM', 'Li', 'TM', 'Li', 'TM', 'Li']);
    const nTm = pristine.structure.species.filter((x) => x !== 'Li' && x !== 'O').length;
    expect(r.tm).toHaveLength(nTm);
    for (const [sp, h] of Object.entries(r.coordination)) expect(Object.keys(h), sp).toEqual(['3']);
    for (const h of Object.values(r.coordinationAdjacent)) expect(Object.keys(h)).toEqual(['0']);
    expect(r.tm.every((t) => t.nO === 6)).toBe(true);
    expect(r.tmInLiLayer).toEqual([]);
    expect(r.tetrahedralTM).toEqual([]);
    expect(r.migrated).toEqual({ reference: false, tolerance: 1, inPlane: [], outOfPlane: [] });
  });

  it('with the pristine reference finds exactly the TM the builder moved (jittered positions)', () => {
    const r = migration(migrated.structure, jsKernels, { reference: pristine.structure });
    const truth = migrated.truth.moved;
    expect(r.migrated.inPlane.map((m) => m.index)).toEqual(truth.filter((m) => m.kind === 'inPlane').map((m) => m.index));
    expect(r.migrated.outOfPlane.map((m) => m.index)).toEqual(truth.filter((m) => m.kind === 'outOfPlane').map((m) => m.index));
    for (const m of r.migrated.inPlane) {
      expect(m.species).toBe('Mn');
      expect(m.to.siteSpecies).toBe('Li'); // a former TM-layer Li site
      expect(m.to.kind).toBe('TM');
      expect(m.to.layer).toBe(m.from.layer);
      expect(m.displacement).toBeGreaterThan(2.85 - 0.25);
      expect(m.displacement).toBeLessThan(2.85 + 0.25);
    }
    for (const m of r.migrated.outOfPlane) {
      expect(m.species).toBe('Ni');
      expect(m.from.kind).toBe('TM');
      expect(m.to.kind).toBe('Li');
    }
    expect(r.tmInLiLayer.map((t) => t.index)).toEqual(truth.filter((m) => m.kind === 'outOfPlane').map((m) => m.index));
    // a Mn on a former Li site of the honeycomb has the five other TM of that hexagon in plane (its old site is empty)
    for (const m of r.migrated.inPlane) expect(r.tm.find((t) => t.index === m.index)!.inPlaneTM).toBeGreaterThanOrEqual(4);
  });

  it('without a reference the Li layers are still named by alternation and the moved Ni sit in them', () => {
    const r = migration(migrated.structure, jsKernels);
    expect(r.layers.filter((l) => l.kind === 'Li')).toHaveLength(3);
    expect(r.tmInLiLayer.map((t) => t.index)).toEqual(migrated.truth.moved.filter((m) => m.kind === 'outOfPlane').map((m) => m.index));
  });

  it('a TM on a tetrahedral site of the Li slab: 4 O, in the Li layer, migrated out of plane', () => {
    const s = pristine.structure;
    // the Li slab around z = 1/2 is bounded by O layers at z = 2/3 − u = 0.4067 and 1/3 + u = 0.5933; a tetrahedral
    // site sits below an upper-layer O (apex), a quarter of the slab height above the lower O layer
    const apex = s.species.findIndex((x, i) => x === 'O' && Math.abs(s.frac[3 * i + 2] - (1 / 3 + 0.26)) < 1e-6);
    const tet: [number, number, number] = [s.frac[3 * apex], s.frac[3 * apex + 1], 2 / 3 - 0.26 + (2 * 0.26 - 1 / 3) / 4];
    const mn = s.species.indexOf('Mn');
    const r = migration(withFrac(s, mn, tet), jsKernels, { reference: s });
    expect(r.tetrahedralTM.map((t) => t.index)).toEqual([mn]);
    expect(r.tm.find((t) => t.index === mn)).toMatchObject({ nO: 4, tetrahedral: true, layerKind: 'Li' });
    expect(r.migrated.outOfPlane.map((m) => [m.index, m.to.site])).toEqual([[mn, -1]]);
    expect(r.migrated.inPlane).toEqual([]);
  });

  it('TM counts that differ from the reference are a mismatch', () => {
    const other = buildLrlo({ ...OPTS, ni: 0.5 }).structure;
    expect(() => migration(migrated.structure, jsKernels, { reference: other })).toThrow(MismatchError);
  });

  it('js and wasm agree', async () => {
    const wasm = await loadKernels('wasm');
    expect(wasm.engine).toBe('wasm');
    expect(migration(migrated.structure, wasm, { reference: pristine.structure })).toEqual(migration(migrated.structure, jsKernels, { reference: pristine.structure }));
  });
});

describe('real Li2MnO3 geometry (C2/m, c along z: the stacking normal c* is tilted from c)', () => {
  const path = 'test/fixtures/analysis/POSCAR.Li2MnO3_C2m';
  const s = parsePoscar(readFileSync(path), path);
  it('axis (0 0 1) = c*, two layers d001/2 = c·sin β/2 = 2.371 Å apart, TM layer Li1Mn2, Li layer Li3', () => {
    const r = migration(s, jsKernels);
    expect(r.axis.hkl).toEqual([0, 0, 1]);
    expect(r.axis.period).toBeCloseTo(5.03 * Math.sin((109.46 * Math.PI) / 180), 3);
    expect(r.layers.map((l) => [l.kind, l.counts])).toEqual([['TM', { Li: 2, Mn: 4 }], ['Li', { Li: 6 }]]);
    // pymatgen get_neighbor_list(3.2): each Mn has 3 Mn at 2.846, 2.846, 2.8497 Å (see the fixture README)
    expect(r.coordination).toEqual({ Mn: { '3': 4 } });
    expect(r.tm.every((t) => t.nO === 6 && !t.inLiLayer)).toBe(true);
  });
  it('census: every O is O4 (2 Mn + 4 Li, as pymatgen finds)', () => {
    expect(census(s, jsKernels).histogram).toEqual([{ nTM: 2, nLi: 4, count: 12 }]);
  });
});
