import { describe, expect, it } from 'vitest';
import { bothEngines } from '../kernels/engines.js';
import { makeStructure, type Structure } from '../../src/model/structure.js';
import { buildLrlo } from '../../src/build/lrlo.js';
import { framesOfStructures } from '../../src/analysis/path-census.js';
import { pathMigration } from '../../src/analysis/path-migration.js';
import { lrloHopImages } from './lrlo-neb.js';

const [js, wasm] = await bothEngines();

function interpolate(a: Structure, b: Structure, n: number): Structure[] {
  return Array.from({ length: n }, (_, k) => makeStructure({
    comment: `image ${k}`, lattice: a.lattice, species: a.species,
    frac: Float64Array.from(a.frac, (x, i) => {
      const d = b.frac[i] - x;
      return x + (k / (n - 1)) * (d - Math.round(d));
    }),
  }));
}

const names = (n: number) => Array.from({ length: n }, (_, k) => String(k).padStart(2, '0'));

describe('path migration', () => {
  it('in-plane Mn hop: leaves its site at image 01, between sites (2–4 O) halfway, octahedral on the former Li site at the end, never out of its layer', () => {
    const { images, mover } = lrloHopImages(5);
    const frames = framesOfStructures(images, names(5), 'neb', 'hop');
    const r = pathMigration(frames, wasm);
    expect(pathMigration(frames, js)).toEqual(r);
    expect(r.movers.map((m) => [m.index, m.species, m.leavesSite, m.crossesLayer, m.tetrahedralAt])).toEqual([[mover, 'Mn', 1, null, null]]);
    const m = r.movers[0];
    // Li2MnO3 honeycomb: 3 Mn in plane at its site; at the former TM-layer Li site of the delithiated cell, by hand from
    // the builder's honeycomb, the Mn has 5 Mn in plane (the 6 sites around a Li site are Mn, one of them itself moved)
    expect(m.frames.map((f) => [f.siteType, f.layerKind, f.nO, f.inPlaneTM])).toEqual([
      ['octahedral-TM-layer', 'TM', 6, 3], ['between-sites', 'TM', 4, 2], ['between-sites', 'TM', 2, 2], ['between-sites', 'TM', 4, 2], ['octahedral-TM-layer', 'TM', 6, 5],
    ]);
    expect(m.frames.map((f) => f.displacement)).toEqual([0, 0.7125, 1.425, 2.1375, 2.85]);
    expect(m.maxDisplacement).toBe(2.85);
  });

  it('out-of-plane Ni hop into the Li layer: crosses at the halfway image, octahedral in the Li layer at the end', () => {
    const a = buildLrlo({ variant: 'delithiated', ni: 0.25, seed: 2 }).structure;
    const model = buildLrlo({ variant: 'migrated', ni: 0.25, inPlane: 0, outOfPlane: 1, seed: 2 });
    const r = pathMigration(framesOfStructures(interpolate(a, model.structure, 5), names(5), 'neb', 'oop'), wasm);
    const m = r.movers[0];
    expect([m.index, m.species]).toEqual([model.truth.moved[0].index, 'Ni']);
    expect(m.frames[0]).toMatchObject({ siteType: 'octahedral-TM-layer', layerKind: 'TM', inPlaneTM: 3 });
    expect(m.frames[4]).toMatchObject({ siteType: 'octahedral-Li-layer', layerKind: 'Li', nO: 6, inPlaneTM: 0 });
    // the layers are 2.375 Å apart: 1/4 of the way the Ni is 0.59 Å off its plane, halfway 1.19 Å (closest to neither)
    expect(m.frames.map((f) => f.offset)).toEqual([0, 0.5937, 1.1875, 0.5937, 0]);
    expect(m.crossesLayer).toBe(2);
  });

  it('a Mn on a tetrahedral site of the Li slab in the middle frame: tetrahedral there, and out of its layer', () => {
    const s = buildLrlo({ n: 3, seed: 11 }).structure;
    // as in migration.test.ts: below an upper-layer O of the slab around z = 1/2, a quarter of the slab above the lower O layer
    const apex = s.species.findIndex((x, i) => x === 'O' && Math.abs(s.frac[3 * i + 2] - (1 / 3 + 0.26)) < 1e-6);
    const mn = s.species.indexOf('Mn');
    const frac = Float64Array.from(s.frac);
    frac.set([s.frac[3 * apex], s.frac[3 * apex + 1], 2 / 3 - 0.26 + (2 * 0.26 - 1 / 3) / 4], 3 * mn);
    const tet = makeStructure({ comment: 'tet', lattice: s.lattice, species: s.species, frac });
    const r = pathMigration(framesOfStructures([s, tet, s], ['a', 'b', 'c'], 'structures', 'a'), js);
    expect(r.movers.map((m) => [m.index, m.tetrahedralAt, m.crossesLayer])).toEqual([[mn, 1, 1]]);
    expect(r.movers[0].frames.map((f) => [f.siteType, f.layerKind])).toEqual([['octahedral-TM-layer', 'TM'], ['tetrahedral', 'Li'], ['octahedral-TM-layer', 'TM']]);
  });
});
