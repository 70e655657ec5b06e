import { describe, expect, it } from 'vitest';
import { bothEngines } from './engines.js';
import { KernelInputError } from '../../src/errors.js';

const engines = await bothEngines();
const modes = ['interp', 'mask', 'bins'] as const;
const grid = (e0: number, de: number, n: number) => Float64Array.from({ length: n }, (_, i) => e0 + i * de);

describe.each(engines.map((k) => [k.engine, k] as const))('integrate (%s)', (_, k) => {
  it.each(modes)('integrates a constant DOS to width × value on grid-aligned windows (%s)', (mode) => {
    const e = grid(-10, 0.05, 401);
    const ch = new Float64Array(401).fill(2.5);
    // [−2, 0] sits on grid points; `bins` sums the 40 bins with −2 < E ≤ 0
    expect(k.integrate(e, ch, 1, -2, 0, mode)[0]).toBeCloseTo(2 * 2.5, 12);
  });

  it('interp integrates a constant DOS to width × value on any window inside the grid', () => {
    const e = grid(-10, 0.05, 401);
    const ch = new Float64Array(401).fill(2.5);
    expect(k.integrate(e, ch, 1, -3.333, 1.2345, 'interp')[0]).toBeCloseTo((1.2345 + 3.333) * 2.5, 12);
  });

  it('interp is exact for piecewise-linear data on an uneven grid', () => {
    // slopes 0.5 and −0.25 with the kink at the grid point 0
    const f = (x: number) => (x < 0 ? 1 + 0.5 * x : 1 - 0.25 * x);
    const kink = new Float64Array([-3, -2.2, -1.9, -0.5, 0, 0.1, 1.4, 2]);
    const ch = Float64Array.from(kink, f);
    // exact ∫_{a}^{b} by hand: antiderivatives on each side of 0
    const F = (x: number) => (x < 0 ? x + 0.25 * x * x : x - 0.125 * x * x);
    const exact = (a: number, b: number) => (b <= 0 || a >= 0 ? F(b) - F(a) : F(b) - F(0) + F(0) - F(a));
    for (const [a, b] of [[-2.7, 1.1], [-1.95, -1.91], [-0.3, 0.05], [-3, 2]]) {
      expect(k.integrate(kink, ch, 1, a, b, 'interp')[0]).toBeCloseTo(exact(a, b), 13);
    }
  });

  it('follows the mask and bins definitions on a hand-worked example', () => {
    const e = new Float64Array([0, 1, 2, 3, 4]);
    const ch = new Float64Array([0, 1, 2, 3, 4]);
    // mask: points 1, 2, 3 within [0.5, 3.25] → trapezoids (1+2)/2 + (2+3)/2 = 4
    expect(k.integrate(e, ch, 1, 0.5, 3.25, 'mask')[0]).toBe(4);
    // bins: E_i in (0.5, 3.25] → 1·1 + 2·1 + 3·1 = 6; (−1, 0] holds the first point with ΔE_0 = E_1 − E_0
    expect(k.integrate(e, ch, 1, 0.5, 3.25, 'bins')[0]).toBe(6);
    expect(k.integrate(e, new Float64Array([7, 0, 0, 0, 0]), 1, -1, 0, 'bins')[0]).toBe(7);
    // interp: ∫ x dx over [0.5, 3.25]
    expect(k.integrate(e, ch, 1, 0.5, 3.25, 'interp')[0]).toBeCloseTo((3.25 ** 2 - 0.25) / 2, 14);
  });

  it('matches VASP-style accumulation: bins over the whole grid reproduce the integrated column', () => {
    const e = grid(-5, 0.1, 101);
    const dos = Float64Array.from(e, (x) => Math.exp(-x * x));
    let acc = 0;
    for (let i = 0; i < e.length; i++) acc += dos[i] * (i === 0 ? e[1] - e[0] : e[i] - e[i - 1]);
    expect(k.integrate(e, dos, 1, -Infinity, e[e.length - 1], 'bins')[0]).toBeCloseTo(acc, 12);
  });

  it.each(modes)('gives 0 for an empty window and a window outside the grid (%s)', (mode) => {
    const e = grid(0, 1, 5);
    const ch = new Float64Array([1, 2, 3, 4, 5, 1, 1, 1, 1, 1]);
    expect(Array.from(k.integrate(e, ch, 2, 2.5, 2.5, mode))).toEqual([0, 0]);
    expect(Array.from(k.integrate(e, ch, 2, 10, 20, mode))).toEqual([0, 0]);
    expect(Array.from(k.integrate(e, ch, 2, -20, -10, mode))).toEqual([0, 0]);
  });

  it('treats the data as zero outside the grid in interp mode', () => {
    const e = grid(0, 1, 5);
    expect(k.integrate(e, new Float64Array(5).fill(1), 1, -10, 10, 'interp')[0]).toBe(4);
  });

  it('rejects descending energies, a > b, NaN bounds, a wrong channel length and an unknown mode', () => {
    const e = new Float64Array([0, 1, 2]);
    const ch = new Float64Array(3);
    expect(() => k.integrate(new Float64Array([2, 1, 0]), ch, 1, 0, 1, 'interp')).toThrow(KernelInputError);
    expect(() => k.integrate(new Float64Array([0, 1, 1]), ch, 1, 0, 1, 'interp')).toThrow(/strictly increasing/);
    expect(() => k.integrate(e, ch, 1, 1, 0, 'mask')).toThrow(KernelInputError);
    expect(() => k.integrate(e, ch, 1, NaN, 0, 'mask')).toThrow(KernelInputError);
    expect(() => k.integrate(e, ch, 2, 0, 1, 'mask')).toThrow(KernelInputError);
    expect(() => k.integrate(e, ch, 1, 0, 1, 'trapz' as never)).toThrow(KernelInputError);
    expect(() => k.cumulative(new Float64Array([0, 2, 1]), ch, 1)).toThrow(KernelInputError);
  });
});

describe.each(engines.map((k) => [k.engine, k] as const))('moments and cumulative (%s)', (_, k) => {
  it('gives the centre and width of a symmetric band', () => {
    const e = grid(-5, 0.01, 1001);
    const s = 0.4;
    const ch = Float64Array.from(e, (x) => Math.exp(-((x + 1) ** 2) / (2 * s * s)));
    const m = k.moments(e, ch, 1, -5, 5);
    expect(m.integral[0]).toBeCloseTo(s * Math.sqrt(2 * Math.PI), 6);
    expect(m.center[0]).toBeCloseTo(-1, 10);
    expect(m.width[0]).toBeCloseTo(s, 4);
  });

  it('matches the pymatgen-style masked moments when the window edges are grid points', () => {
    const e = new Float64Array([0, 1, 2, 3]);
    const ch = new Float64Array([1, 3, 2, 0]);
    // trapz(ρ) = 2 + 2.5 + 1 = 5.5; trapz(Eρ) = (0+3)/2 + (3+4)/2 + (4+0)/2 = 7 → centre 14/11
    const m = k.moments(e, ch, 1, 0, 3);
    expect(m.integral[0]).toBe(5.5);
    expect(m.center[0]).toBeCloseTo(14 / 11, 14);
    const c = 14 / 11;
    const m2 = ((c ** 2 * 1 + (1 - c) ** 2 * 3) / 2 + ((1 - c) ** 2 * 3 + (2 - c) ** 2 * 2) / 2 + ((2 - c) ** 2 * 2 + 0) / 2) / 5.5;
    expect(m.width[0]).toBeCloseTo(Math.sqrt(m2), 14);
  });

  it('returns NaN centre and width for an empty channel', () => {
    const m = k.moments(grid(0, 1, 4), new Float64Array(4), 1, 0, 3);
    expect(m.integral[0]).toBe(0);
    expect(m.center[0]).toBeNaN();
    expect(m.width[0]).toBeNaN();
  });

  it('accumulates the trapezoid integral (ICOHP from COHP)', () => {
    const e = new Float64Array([0, 1, 3]);
    const out = k.cumulative(e, new Float64Array([1, 1, 1, 0, 2, 4]), 2);
    expect(Array.from(out)).toEqual([0, 1, 3, 0, 1, 7]);
  });
});
