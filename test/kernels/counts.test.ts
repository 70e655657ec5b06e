import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bothEngines, freshWasm } from './engines.js';
import { KernelInputError } from '../../src/errors.js';
import { fracToCart } from '../../src/model/lattice.js';
import { census } from '../../src/analysis/census.js';
import { loadStructure } from '../../src/node/load.js';
import { buildLrlo } from '../../src/build/lrlo.js';

// countNeighbours: WASM and JS bit-identical (integers), and equal to countByGroup over the pair list of
// `neighbours` with the same cutoffs, frame by frame.
const [js, wasm] = await bothEngines();

const cell = fc
  .tuple(
    fc.double({ min: 2.5, max: 9, noNaN: true }),
    fc.double({ min: 2.5, max: 9, noNaN: true }),
    fc.double({ min: 2.5, max: 9, noNaN: true }),
    fc.double({ min: -0.4, max: 0.4, noNaN: true }),
    fc.double({ min: -0.4, max: 0.4, noNaN: true }),
  )
  .map(([a, b, c, s1, s2]) => new Float64Array([a, 0, 0, s1 * a, b, 0, s2 * a, s1 * b, c]));

const problem = fc.record({
  L: cell,
  n: fc.integer({ min: 1, max: 40 }),
  frames: fc.integer({ min: 1, max: 4 }),
  cut: fc.tuple(fc.double({ min: 0.5, max: 6, noNaN: true }), fc.double({ min: 0.3, max: 1, noNaN: true }), fc.double({ min: 0.3, max: 1, noNaN: true })),
  seed: fc.integer({ min: 1, max: 1e9 }),
});

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('countNeighbours', () => {
  it('WASM and JS agree and equal countByGroup(neighbours) frame by frame (fast-check, seeded)', () => {
    fc.assert(
      fc.property(problem, ({ L, n, frames, cut, seed }) => {
        const r = rng(seed);
        const frac = Float64Array.from({ length: 3 * n * frames }, () => 3 * r() - 1);
        // types 0 = anion (centres), 1 and 2 = cations counted as groups 0 and 1, 3 = not counted
        const types = Int32Array.from({ length: n }, () => Math.floor(r() * 4));
        const group = Int32Array.from(types, (t) => (t === 1 ? 0 : t === 2 ? 1 : -1));
        const [c, f1, f2] = cut;
        const pairCutoffs = new Float64Array(16);
        pairCutoffs[1] = pairCutoffs[4] = c * f1;
        pairCutoffs[2] = pairCutoffs[8] = c * f2;
        pairCutoffs[0] = c; // anion–anion pairs are searched but group −1: never counted
        const centres = Int32Array.from(Array.from(types).flatMap((t, i) => (t === 0 ? [i] : [])));
        const options = { types, nTypes: 4, pairCutoffs, centres, group, nGroups: 2 };
        const a = js.countNeighbours(L, frac, frames, c, options);
        const b = wasm.countNeighbours(L, frac, frames, c, options);
        expect(b).toEqual(a);
        for (let f = 0; f < frames; f++) {
          const cart = fracToCart(L, frac.subarray(3 * n * f, 3 * n * (f + 1)));
          const list = js.neighbours(L, cart, c, { types, nTypes: 4, pairCutoffs, centres });
          const byList = js.countByGroup(list, group, 2);
          centres.forEach((i, k) => {
            expect([a[(f * centres.length + k) * 2], a[(f * centres.length + k) * 2 + 1]]).toEqual([byList[2 * i], byList[2 * i + 1]]);
          });
        }
      }),
      { seed: 14, numRuns: 200 },
    );
  });

  it('counts periodic images of the centre itself when the cutoff exceeds the cell', () => {
    // one cation in a 2 Å cube, centre 0.5 Å from it: neighbours at 0.5, 1.5, and the 4 side images at √(0.25 + 4) …
    const L = new Float64Array([2, 0, 0, 0, 2, 0, 0, 0, 2]);
    const frac = new Float64Array([0, 0, 0, 0.25, 0, 0]);
    const options = { types: new Int32Array([0, 1]), nTypes: 2, pairCutoffs: new Float64Array([0, 2.1, 2.1, 0]), centres: new Int32Array([0]), group: new Int32Array([-1, 0]), nGroups: 1 };
    // within 2.1 Å: x = 0.5, −1.5 (2 on the line) and (0.5, ±2, 0), (0.5, 0, ±2): |.| = 2.06 (4)
    for (const k of [js, wasm]) expect(Array.from(k.countNeighbours(L, frac, 1, 2.1, options))).toEqual([6]);
  });

  it('one WASM instance: repeated calls reuse its memory', async () => {
    const { kernels, memory } = await freshWasm();
    const L = new Float64Array([10, 0, 0, 0, 10, 0, 0, 0, 10]);
    const n = 5000;
    const frames = 40;
    const r = rng(3);
    const frac = Float64Array.from({ length: 3 * n * frames }, () => r());
    const types = Int32Array.from({ length: n }, (_, i) => i % 2);
    const options = { types, nTypes: 2, pairCutoffs: new Float64Array([0, 1, 1, 0]), centres: Int32Array.from({ length: n / 2 }, (_, i) => 2 * i), group: Int32Array.from(types, (t) => (t ? 0 : -1)), nGroups: 1 };
    const first = kernels.countNeighbours(L, frac, frames, 1, options);
    const size = memory.buffer.byteLength;
    for (let k = 0; k < 3; k++) expect(kernels.countNeighbours(L, frac, frames, 1, options)).toEqual(first);
    expect(memory.buffer.byteLength).toBe(size);
    expect(first).toEqual(js.countNeighbours(L, frac, frames, 1, options));
  });

  it('the census by counts equals the census by neighbour lists on the fixtures and built LRLO cells, in both engines', async () => {
    const files = [
      'examples/lrlo/model/pristine/POSCAR', 'examples/lrlo/model/delithiated/POSCAR', 'examples/lrlo/model/migrated/POSCAR',
      'test/fixtures/real/vasp/poscar/POSCAR.Fe3O4', 'test/fixtures/real/vasp/poscar/POSCAR.Li2O', 'test/fixtures/real/vasp/poscar/CONTCAR.Li2O',
      'test/fixtures/real/vasp/doscar/custodian__lobster__vasp_lobster_output/CONTCAR', 'test/fixtures/sites/LaGaO3-spin/POSCAR', 'test/fixtures/sites/NiO-soc/POSCAR',
    ];
    const structures = [
      ...(await Promise.all(files.map((f) => loadStructure(f, js)))),
      buildLrlo({ n: 3, variant: 'migrated', ni: 0.25, co: 0.1, inPlane: 3, outOfPlane: 2, jitter: 0.15, seed: 5 }).structure,
    ];
    for (const s of structures) {
      const byList = census(s, js, { neighbours: true });
      expect(byList.nO).toBeGreaterThan(0);
      for (const k of [js, wasm]) {
        const byCounts = census(s, k, { neighbours: false });
        expect(byCounts.sites).toEqual(byList.sites.map(({ neighbours: _, ...site }) => site));
        expect([byCounts.classes, byCounts.histogram, byCounts.environments]).toEqual([byList.classes, byList.histogram, byList.environments]);
      }
    }
  });

  it('rejects inputs that do not fit the contract', () => {
    const L = new Float64Array([3, 0, 0, 0, 3, 0, 0, 0, 3]);
    const ok = { types: new Int32Array([0, 1]), nTypes: 2, pairCutoffs: new Float64Array([0, 2, 2, 0]), centres: new Int32Array([0]), group: new Int32Array([-1, 0]), nGroups: 1 };
    const frac = new Float64Array(6);
    for (const k of [js, wasm]) {
      expect(() => k.countNeighbours(L, new Float64Array(5), 1, 2, ok)).toThrow(KernelInputError);
      expect(() => k.countNeighbours(L, frac, 1, 1, ok)).toThrow(/exceeds the search cutoff/);
      expect(() => k.countNeighbours(L, frac, 1, 2, { ...ok, group: new Int32Array([-1, 1]) })).toThrow(/nGroups/);
      expect(() => k.countNeighbours(L, frac, 1, 2, { ...ok, centres: new Int32Array([2]) })).toThrow(/centres/);
      expect(() => k.countNeighbours(L, new Float64Array([0, 0, NaN, 0, 0, 0]), 1, 2, ok)).toThrow(/not finite/);
    }
  });
});
