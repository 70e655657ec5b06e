import { describe, expect, it } from 'vitest';
import { bothEngines } from './engines.js';
import { KernelInputError } from '../../src/errors.js';

const engines = await bothEngines();

/** strongly skewed: b at 20° to a, c leaning far over a and b */
const L = new Float64Array([5, 0, 0, 5 * Math.cos(Math.PI / 9), 5 * Math.sin(Math.PI / 9), 0, 4.1, 1.3, 2.2]);

function bruteMin(fa: number[], fb: number[]): number[] {
  let best = [0, 0, 0];
  let bestD = Infinity;
  for (let a = -2; a <= 2; a++) for (let b = -2; b <= 2; b++) for (let c = -2; c <= 2; c++) {
    const f = [fb[0] - fa[0] - Math.round(fb[0] - fa[0]) + a, fb[1] - fa[1] - Math.round(fb[1] - fa[1]) + b, fb[2] - fa[2] - Math.round(fb[2] - fa[2]) + c];
    const v = [0, 1, 2].map((k) => f[0] * L[k] + f[1] * L[3 + k] + f[2] * L[6 + k]);
    const d = Math.hypot(...v);
    if (d < bestD - 1e-12) {
      bestD = d;
      best = v;
    }
  }
  return best;
}

describe.each(engines.map((k) => [k.engine, k] as const))('geometry (%s)', (_, k) => {
  it('finds the minimum image in a strongly skewed cell (brute force over images −2..2)', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) * 3 - 1;
    const n = 500;
    const fa = Float64Array.from({ length: 3 * n }, rnd), fb = Float64Array.from({ length: 3 * n }, rnd);
    const got = k.minImage(L, fa, fb);
    let naiveWrong = 0;
    for (let i = 0; i < n; i++) {
      const want = bruteMin(Array.from(fa.subarray(3 * i, 3 * i + 3)), Array.from(fb.subarray(3 * i, 3 * i + 3)));
      const g = Array.from(got.subarray(3 * i, 3 * i + 3));
      expect(Math.hypot(...g)).toBeCloseTo(Math.hypot(...want), 10);
      const f = [0, 1, 2].map((c) => fb[3 * i + c] - fa[3 * i + c] - Math.round(fb[3 * i + c] - fa[3 * i + c]));
      const naive = [0, 1, 2].map((c) => f[0] * L[c] + f[1] * L[3 + c] + f[2] * L[6 + c]);
      if (Math.hypot(...naive) > Math.hypot(...want) + 1e-9) naiveWrong++;
    }
    // the cell is skewed enough that the naive wrap is wrong for many sites
    expect(naiveWrong).toBeGreaterThan(50);
  });

  it('assigns sites to the nearest reference site within the tolerance, across the boundary', () => {
    const ref = new Float64Array([0, 0, 0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.75]);
    const sites = new Float64Array([0.99, 0.01, 0.0, 0.52, 0.49, 1.5, 0.25, 0.25, 0.25, -0.5, 0.5, 0.5]);
    const cubic = new Float64Array([4, 0, 0, 0, 4, 0, 0, 0, 4]);
    const r = k.assignSites(cubic, sites, ref, 0.3);
    expect(Array.from(r.index)).toEqual([0, 1, -1, 1]);
    expect(r.dist[0]).toBeCloseTo(4 * Math.hypot(0.01, 0.01), 12);
    expect(r.dist[1]).toBeCloseTo(4 * Math.hypot(0.02, 0.01), 12);
    expect(r.dist[2]).toBeNaN();
    expect(r.dist[3]).toBeCloseTo(0, 12);
    expect(() => k.assignSites(cubic, sites, ref, 0)).toThrow(KernelInputError);
  });

  it('projects on a unit axis and refuses a non-unit one', () => {
    const h = k.project(new Float64Array([1, 2, 3, -1, 0, 2]), new Float64Array([0, 0.6, 0.8]));
    expect(h[0]).toBeCloseTo(3.6, 14);
    expect(h[1]).toBeCloseTo(1.6, 14);
    expect(() => k.project(new Float64Array(3), new Float64Array([0, 0, 2]))).toThrow(KernelInputError);
  });

  it('rejects mismatched configurations', () => {
    expect(() => k.minImage(L, new Float64Array(6), new Float64Array(3))).toThrow(KernelInputError);
  });
});
