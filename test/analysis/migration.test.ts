import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../src/kernels/js.js';
import { loadKernels } from '../../src/node/kernels.js';
import { makeStructure, type Structure } from '../../src/model/structure.js';
import { buildLrlo } from '../../src/build/lrlo.js';
import { migration, tetrahedralAngles } from '../../src/analysis/migration.js';
import { MismatchError } from '../../src/errors.js';
import { readFileSync } from 'node:fs';
import { parsePoscar } from '../../src/io/vasp/poscar.js';
import { census } from '../../src/analysis/census.js';
import { distance, distanceTo, oxygenAround } from './helpers-geometry.js';
import { shortContacts } from '../../src/analysis/contacts.js';

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

  it('the midpoint of an in-plane hop (interpolated NEB image) is in plane, not tetrahedral, and its short Mn–O contacts are reported (issue 18 item 4)', () => {
    const s = pristine.structure;
    const mn = s.species.indexOf('Mn');
    const z = s.frac[3 * mn + 2];
    // the nearest Li of the same TM layer (a honeycomb centre, ≈ 2.85 Å away) and the point halfway, by minimum image
    const li = s.species.map((x, i) => i).filter((i) => s.species[i] === 'Li' && Math.abs(s.frac[3 * i + 2] - z) < 1e-3).sort((a, b) => distance(s, mn, a) - distance(s, mn, b))[0];
    const half = [0, 1, 2].map((k) => {
      const d = s.frac[3 * li + k] - s.frac[3 * mn + k];
      return s.frac[3 * mn + k] + (d - Math.round(d)) / 2;
    }) as [number, number, number];
    const mid = withFrac(s, mn, half);
    // the two O of the shared edge are 1.33 Å from the midpoint (half the 2.66 Å edge); the next four 2.41 Å
    const o = oxygenAround(mid, half, 2.395);
    expect(o).toHaveLength(2);
    const r = migration(mid, jsKernels, { reference: s });
    expect(r.tm.find((t) => t.index === mn)).toMatchObject({ nO: 2, tetrahedral: false, layerKind: 'TM', inLiLayer: false });
    expect(r.tm.find((t) => t.index === mn)!.offset).toBeLessThan(0.05);
    expect(r.tetrahedralTM).toEqual([]);
    expect(r.migrated.outOfPlane).toEqual([]);
    expect(r.migrated.inPlane.map((m) => m.index)).toEqual([mn]);
    // the two edge O are ≈ 1.4 Å away: below 0.8 × (Mn 0.645 + O 1.40) = 1.636 Å
    const shortest = Math.min(...o.map((j) => distanceTo(mid, j, half)));
    expect(shortest).toBeLessThan(1.5);
    expect(r.warnings).toHaveLength(1);
    // and the Li still on the target site is half the 2.85 Å hop away
    expect(r.warnings[0]).toMatch(new RegExp(`^3 unphysically short contacts \\(Mn${mn + 1}–O\\d+ ${shortest.toFixed(2)} Å, Mn${mn + 1}–O\\d+ ${shortest.toFixed(2)} Å, Li${li + 1}–Mn${mn + 1} ${(distance(s, mn, li) / 2).toFixed(2)} Å;`));
  });

  it('tetrahedral angles: an ideal tetrahedron passes, four O of an octahedron (square, or cis with 90° and 180°) do not', () => {
    const t = [1, 1, 1, -1, -1, 1, -1, 1, -1, 1, -1, -1];
    expect(tetrahedralAngles(t)).toBe(true);
    // squeezed by 15°: still within the 20° tolerance
    expect(tetrahedralAngles(t.map((x, i) => (i % 3 === 2 ? 0.75 * x : x)))).toBe(true);
    expect(tetrahedralAngles([2, 0, 0, -2, 0, 0, 0, 2, 0, 0, -2, 0])).toBe(false);
    expect(tetrahedralAngles([2, 0, 0, 0, 2, 0, 0, 0, 2, 0, -2, 0])).toBe(false);
    expect(tetrahedralAngles([2, 0, 0, 0, 2, 0, 0, 0, 2])).toBe(false);
  });

  it('shortContacts: none in a relaxed-like model; cation–cation below 2 Å and cation–O below 0.8 × the radius sum named 1-based', () => {
    expect(shortContacts(pristine.structure, jsKernels)).toEqual([]);
    const s = pristine.structure;
    const [a, b] = [s.species.indexOf('Mn'), s.species.indexOf('Li')];
    const f = [s.frac[3 * a] + 1.5 / 5, s.frac[3 * a + 1], s.frac[3 * a + 2]] as [number, number, number];
    const near = withFrac(s, b, f);
    const d = distance(near, a, b);
    if (d < 2.0) expect(shortContacts(near, jsKernels)[0]).toContain(`Mn${a + 1}–Li${b + 1} ${d.toFixed(2)} Å`);
  });

  it('shortContacts: a structure without O (NH3, N–H 1.02 Å) is not judged by the oxide bounds', () => {
    const nh3 = makeStructure({ comment: 'NH3', lattice: Float64Array.of(10, 0, 0, 0, 10, 0, 0, 0, 10), species: ['N', 'H', 'H', 'H'], frac: Float64Array.of(0.5, 0.5, 0.5, 0.602, 0.5, 0.5, 0.466, 0.596, 0.5, 0.466, 0.404, 0.5) });
    expect(distance(nh3, 0, 1)).toBeCloseTo(1.02, 6);
    expect(shortContacts(nh3, jsKernels)).toEqual([]);
    // the same molecule beside an O: the oxide bounds apply, and the N–H pair is reported
    const withO = makeStructure({ ...nh3, cart: undefined, species: ['N', 'H', 'H', 'H', 'O'], frac: Float64Array.of(...nh3.frac, 0.1, 0.1, 0.1) });
    expect(shortContacts(withO, jsKernels)[0]).toMatch(/H\d–N1 1\.02 Å|N1–H\d 1\.02 Å/);
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
