import { describe, expect, it } from 'vitest';
import { bothEngines } from './engines.js';
import { KernelInputError } from '../../src/errors.js';

const engines = await bothEngines();

describe.each(engines.map((k) => [k.engine, k] as const))('nebSpline (%s)', (_, k) => {
  it('reproduces a cubic exactly from its values and slopes (F∥ = −dE/dx)', () => {
    const p = (x: number) => 0.3 * x ** 3 - 1.1 * x ** 2 + 0.4 * x + 0.2;
    const dp = (x: number) => 0.9 * x ** 2 - 2.2 * x + 0.4;
    const x = new Float64Array([0, 0.7, 1.1, 2.0, 3.2]);
    const fit = k.nebSpline(x, Float64Array.from(x, p), Float64Array.from(x, (v) => -dp(v)), 97);
    for (let i = 0; i < 97; i++) expect(fit.ys[i]).toBeCloseTo(p(fit.xs[i]), 12);
    // interior maximum at the smaller root of p' (≈ 0.2); the minimum at the larger root
    const r1 = (2.2 - Math.sqrt(2.2 ** 2 - 4 * 0.9 * 0.4)) / 1.8, r2 = (2.2 + Math.sqrt(2.2 ** 2 - 4 * 0.9 * 0.4)) / 1.8;
    expect(fit.xMax).toBeCloseTo(r1, 12);
    expect(fit.max).toBeCloseTo(p(r1), 12);
    expect(fit.xMin).toBeCloseTo(r2, 12);
    expect(fit.min).toBeCloseTo(p(r2), 12);
    expect(fit.xs[0]).toBe(0);
    expect(fit.xs[96]).toBe(3.2);
  });

  it('falls back to zero end slopes and central differences for NaN forces, keeping extrema in range', () => {
    const x = new Float64Array([0, 1, 2]);
    const fit = k.nebSpline(x, new Float64Array([0, 1, 0.5]), new Float64Array([NaN, NaN, NaN]), 3);
    // slopes 0, −0.25, 0; the barrier rises above the middle image on its right side
    expect(fit.max).toBeGreaterThan(1);
    expect(fit.xMax).toBeGreaterThan(1);
    expect(fit.xMax).toBeLessThan(2);
    expect(fit.min).toBe(0);
    expect(fit.xMin).toBe(0);
    // a monotone profile whose forces push beyond the path end: the maximum stays at the last image
    const up = k.nebSpline(x, new Float64Array([0, 1, 2]), new Float64Array([-1, -1, -5]), 11);
    expect(up.max).toBe(2);
    expect(up.xMax).toBe(2);
  });

  it('rejects non-increasing coordinates, mismatched lengths and a single image', () => {
    const e = new Float64Array([0, 1]);
    expect(() => k.nebSpline(new Float64Array([0, 0]), e, e, 10)).toThrow(KernelInputError);
    expect(() => k.nebSpline(new Float64Array([0, 1, 2]), e, e, 10)).toThrow(KernelInputError);
    expect(() => k.nebSpline(new Float64Array([0]), new Float64Array(1), new Float64Array(1), 10)).toThrow(KernelInputError);
    expect(() => k.nebSpline(new Float64Array([0, 1]), e, e, 1)).toThrow(KernelInputError);
  });
});

describe.each(engines.map((k) => [k.engine, k] as const))('segmentSums (%s)', (_, k) => {
  it('sums and counts by key, skipping negative keys', () => {
    const r = k.segmentSums(new Float64Array([1, 2, 3, 4, 5]), new Int32Array([2, 0, -1, 2, 0]), 4);
    expect(Array.from(r.sum)).toEqual([7, 0, 5, 0]);
    expect(Array.from(r.count)).toEqual([2, 0, 2, 0]);
    expect(() => k.segmentSums(new Float64Array(2), new Int32Array([0, 4]), 4)).toThrow(KernelInputError);
  });
});
