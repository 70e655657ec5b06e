import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bothEngines } from './engines.js';

// WASM and JS run the same operations in the same order (no SIMD reordering), so floats are compared to
// 1e-12 relative as the contract allows, and in practice they are bit-identical; integers exactly.
const [js, wasm] = await bothEngines();

function close(a: ArrayLike<number>, b: ArrayLike<number>, rel = 1e-12): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    const tol = rel * Math.max(1, Math.abs(a[i]), Math.abs(b[i]));
    if (!(Math.abs(a[i] - b[i]) <= tol)) throw new Error(`index ${i}: ${a[i]} vs ${b[i]}`);
  }
}

const cell = fc.tuple(
  fc.double({ min: 3, max: 9, noNaN: true }),
  fc.double({ min: 3, max: 9, noNaN: true }),
  fc.double({ min: 3, max: 9, noNaN: true }),
  fc.double({ min: 55, max: 125, noNaN: true }),
  fc.double({ min: 55, max: 125, noNaN: true }),
  fc.double({ min: 55, max: 125, noNaN: true }),
).filter(([, , , al, be, ga]) => {
  const r = Math.PI / 180;
  const c = [Math.cos(al * r), Math.cos(be * r), Math.cos(ga * r)];
  return 1 - c[0] ** 2 - c[1] ** 2 - c[2] ** 2 + 2 * c[0] * c[1] * c[2] > 0.05;
}).map(([a, b, c, al, be, ga]) => {
  const r = Math.PI / 180;
  const cx = Math.cos(be * r), cy = (Math.cos(al * r) - Math.cos(be * r) * Math.cos(ga * r)) / Math.sin(ga * r);
  return new Float64Array([a, 0, 0, b * Math.cos(ga * r), b * Math.sin(ga * r), 0, c * cx, c * cy, c * Math.sqrt(1 - cx * cx - cy * cy)]);
});

const fracs = (min: number, max: number) =>
  fc.array(fc.double({ min: -1.5, max: 2.5, noNaN: true }), { minLength: 3 * min, maxLength: 3 * max }).map((a) => new Float64Array(a.slice(0, a.length - (a.length % 3))));

const cartOf = (L: Float64Array, f: Float64Array) => {
  const out = new Float64Array(f.length);
  for (let i = 0; i < f.length / 3; i++) for (let k = 0; k < 3; k++) out[3 * i + k] = f[3 * i] * L[k] + f[3 * i + 1] * L[3 + k] + f[3 * i + 2] * L[6 + k];
  return out;
};

const grid = fc
  .tuple(fc.array(fc.double({ min: 0.001, max: 0.5, noNaN: true }), { minLength: 1, maxLength: 60 }), fc.double({ min: -20, max: 5, noNaN: true }), fc.integer({ min: 1, max: 4 }))
  .chain(([steps, e0, nCh]) => {
    const e = new Float64Array(steps.length);
    let x = e0;
    for (let i = 0; i < steps.length; i++) e[i] = x += steps[i];
    return fc.tuple(
      fc.constant(e),
      fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: nCh * e.length, maxLength: nCh * e.length }).map((a) => new Float64Array(a)),
      fc.constant(nCh),
      fc.double({ min: e0 - 2, max: x + 2, noNaN: true }),
      fc.double({ min: 0, max: 10, noNaN: true }),
    );
  });

describe('WASM and JS agree (fast-check, seeded)', () => {
  it('integrate in all modes, moments, cumulative', () => {
    fc.assert(
      fc.property(grid, ([e, ch, nCh, a, w]) => {
        for (const mode of ['interp', 'mask', 'bins'] as const) close(js.integrate(e, ch, nCh, a, a + w, mode), wasm.integrate(e, ch, nCh, a, a + w, mode));
        const mj = js.moments(e, ch, nCh, a, a + w), mw = wasm.moments(e, ch, nCh, a, a + w);
        close(mj.integral, mw.integral);
        close(mj.center, mw.center);
        close(mj.width, mw.width);
        close(js.cumulative(e, ch, nCh), wasm.cumulative(e, ch, nCh));
      }),
      { seed: 1, numRuns: 300 },
    );
  });

  it('neighbours (with per-pair cutoffs and centres) and countByGroup', () => {
    fc.assert(
      fc.property(cell, fracs(1, 40), fc.double({ min: 0.5, max: 7, noNaN: true }), fc.boolean(), (L, f, cutoff, typed) => {
        const cart = cartOf(L, f);
        const n = cart.length / 3;
        const types = Int32Array.from({ length: n }, (_, i) => i % 2);
        const options = typed
          ? { types, nTypes: 2, pairCutoffs: new Float64Array([cutoff, cutoff * 0.7, cutoff * 0.7, 0]), centres: Int32Array.from({ length: Math.ceil(n / 2) }, (_, i) => 2 * i) }
          : {};
        const a = js.neighbours(L, cart, cutoff, options), b = wasm.neighbours(L, cart, cutoff, options);
        expect(b.offsets).toEqual(a.offsets);
        expect(b.j).toEqual(a.j);
        expect(b.image).toEqual(a.image);
        close(a.dist, b.dist);
        expect(wasm.countByGroup(a, types, 2)).toEqual(js.countByGroup(a, types, 2));
      }),
      { seed: 2, numRuns: 150 },
    );
  });

  it('minImage, assignSites, project', () => {
    fc.assert(
      fc.property(cell, fracs(1, 30), fracs(1, 30), fc.double({ min: 0.05, max: 3, noNaN: true }), (L, a, b, tol) => {
        const m = Math.min(a.length, b.length);
        const fa = a.subarray(0, m), fb = b.subarray(0, m);
        close(js.minImage(L, fa, fb), wasm.minImage(L, fa, fb));
        const sj = js.assignSites(L, a, b, tol), sw = wasm.assignSites(L, a, b, tol);
        expect(sw.index).toEqual(sj.index);
        close(sj.dist, sw.dist);
        const axis = new Float64Array([L[6], L[7], L[8]].map((x) => x / Math.hypot(L[6], L[7], L[8])));
        close(js.project(cartOf(L, a), axis), wasm.project(cartOf(L, a), axis));
      }),
      { seed: 3, numRuns: 200 },
    );
  });

  it('nebSpline and segmentSums', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0.01, max: 2, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }), fc.option(fc.double({ min: -3, max: 3, noNaN: true }))), { minLength: 2, maxLength: 12 }),
        fc.integer({ min: 2, max: 200 }),
        (imgs, samples) => {
          const x = new Float64Array(imgs.length), e = new Float64Array(imgs.length), f = new Float64Array(imgs.length);
          let acc = 0;
          imgs.forEach(([dx, en, fo], i) => {
            x[i] = i === 0 ? 0 : (acc += dx);
            e[i] = en;
            f[i] = fo ?? NaN;
          });
          const a = js.nebSpline(x, e, f, samples), b = wasm.nebSpline(x, e, f, samples);
          close([a.max, a.xMax, a.min, a.xMin], [b.max, b.xMax, b.min, b.xMin]);
          close(a.xs, b.xs);
          close(a.ys, b.ys);
          const keys = Int32Array.from(imgs, (_, i) => (i % 4) - 1);
          const sa = js.segmentSums(e, keys, 3), sb = wasm.segmentSums(e, keys, 3);
          close(sa.sum, sb.sum);
          expect(sb.count).toEqual(sa.count);
        },
      ),
      { seed: 4, numRuns: 300 },
    );
  });
});
