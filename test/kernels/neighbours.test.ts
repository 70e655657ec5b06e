import { describe, expect, it } from 'vitest';
import { bothEngines, brutePairs, keyedPairs } from './engines.js';
import { KernelInputError } from '../../src/errors.js';

const engines = await bothEngines();

const cubic = (a: number) => new Float64Array([a, 0, 0, 0, a, 0, 0, 0, a]);
/** rock salt: cations (group 0) on fcc, anions (group 1) shifted by a/2 along x */
function rockSalt(a: number): { L: Float64Array; cart: Float64Array; group: Int32Array } {
  const fcc = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const pos: number[] = [];
  for (const p of fcc) pos.push(...p.map((x) => x * a));
  for (const p of fcc) pos.push(((p[0] + 0.5) % 1) * a, p[1] * a, p[2] * a);
  return { L: cubic(a), cart: new Float64Array(pos), group: Int32Array.from({ length: 8 }, (_, i) => (i < 4 ? 0 : 1)) };
}

/** a 30°-skewed monoclinic-like cell: b at 30° to a, c tilted too */
const skewed = new Float64Array([4, 0, 0, 4 * Math.cos(Math.PI / 6), 4 * Math.sin(Math.PI / 6), 0, 1.2, 0.8, 3.5]);

describe.each(engines.map((k) => [k.engine, k] as const))('neighbours (%s)', (_, k) => {
  it('finds 6 anions around each cation and 12 cations at a/√2 in rock salt', () => {
    const a = 4.2;
    const { L, cart, group } = rockSalt(a);
    const first = k.neighbours(L, cart, a / 2 + 1e-6);
    const counts = k.countByGroup(first, group, 2);
    for (let i = 0; i < 8; i++) {
      expect(counts[2 * i + group[i]]).toBe(0);
      expect(counts[2 * i + 1 - group[i]]).toBe(6);
    }
    for (const d of first.dist) expect(d).toBeCloseTo(a / 2, 12);
    const second = k.neighbours(L, cart, (a / Math.SQRT2) * (1 + 1e-9), { types: group, nTypes: 2, pairCutoffs: new Float64Array([a / Math.SQRT2 * (1 + 1e-9), 0, 0, 0]) });
    const c2 = k.countByGroup(second, group, 2);
    for (let i = 0; i < 4; i++) expect([c2[2 * i], c2[2 * i + 1]]).toEqual([12, 0]);
    for (let i = 4; i < 8; i++) expect([c2[2 * i], c2[2 * i + 1]]).toEqual([0, 0]);
  });

  it('counts 12 nearest neighbours of a one-atom fcc primitive cell (self-images only)', () => {
    const a = 3.6;
    const prim = new Float64Array([0, a / 2, a / 2, a / 2, 0, a / 2, a / 2, a / 2, 0]);
    const nl = k.neighbours(prim, new Float64Array([0.1, -0.2, 0.3]), (a / Math.SQRT2) * (1 + 1e-9));
    expect(Array.from(nl.offsets)).toEqual([0, 12]);
    expect(new Set(nl.j)).toEqual(new Set([0]));
    for (const d of nl.dist) expect(d).toBeCloseTo(a / Math.SQRT2, 12);
    // second shell (6 at a) and third (24 at a·√(3/2)) when the cutoff exceeds every perpendicular width
    expect(k.neighbours(prim, new Float64Array(3), a * 1.0001).offsets[1]).toBe(18);
    expect(k.neighbours(prim, new Float64Array(3), a * Math.sqrt(1.5) * 1.0001).offsets[1]).toBe(42);
  });

  it.each([
    ['the 30°-skewed cell', 2.9],
    ['the 30°-skewed cell, cutoff larger than the cell', 9.5],
  ])('matches brute force over images in %s', (__, cutoff) => {
    const frac = [0.1, 0.2, 0.3, 0.9, 0.95, 0.05, 0.5, 0.5, 0.5, 0.0, 0.99, 0.6, -0.3, 1.7, 0.2];
    const cart = new Float64Array(frac.length);
    for (let i = 0; i < 5; i++) for (let c = 0; c < 3; c++) cart[3 * i + c] = frac[3 * i] * skewed[c] + frac[3 * i + 1] * skewed[3 + c] + frac[3 * i + 2] * skewed[6 + c];
    const got = keyedPairs(k.neighbours(skewed, cart, cutoff));
    const want = brutePairs(skewed, cart, cutoff, 6);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [key, d] of want) expect(got.get(key)).toBeCloseTo(d, 10);
  });

  it('gives the same distances after lattice translations and a permutation of the atoms', () => {
    const n = 30;
    let seed = 5;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const frac = Float64Array.from({ length: 3 * n }, rnd);
    const cartOf = (f: Float64Array) => {
      const out = new Float64Array(f.length);
      for (let i = 0; i < f.length / 3; i++) for (let c = 0; c < 3; c++) out[3 * i + c] = f[3 * i] * skewed[c] + f[3 * i + 1] * skewed[3 + c] + f[3 * i + 2] * skewed[6 + c];
      return out;
    };
    const base = k.neighbours(skewed, cartOf(frac), 3.3);
    const perm = Array.from({ length: n }, (_, i) => (i * 7) % n);
    const moved = new Float64Array(3 * n);
    perm.forEach((src, dst) => {
      for (let c = 0; c < 3; c++) moved[3 * dst + c] = frac[3 * src + c] + ((src + c) % 3) - 1;
    });
    const other = k.neighbours(skewed, cartOf(moved), 3.3);
    const sortedRows = (nl: typeof base, map: (i: number) => number) =>
      Array.from({ length: n }, (_, i) => Array.from(nl.dist.subarray(nl.offsets[map(i)], nl.offsets[map(i) + 1])).sort((x, y) => x - y));
    const inv = new Array<number>(n);
    perm.forEach((src, dst) => (inv[src] = dst));
    const a = sortedRows(base, (i) => i), b = sortedRows(other, (i) => inv[i]);
    for (let i = 0; i < n; i++) {
      expect(b[i].length).toBe(a[i].length);
      b[i].forEach((d, p) => expect(d).toBeCloseTo(a[i][p], 10));
    }
    // the images keep r_j + image·L − r_i equal to the reported distance with the unwrapped input positions
    const cart = cartOf(moved);
    for (let i = 0; i < n; i++) {
      for (let p = other.offsets[i]; p < other.offsets[i + 1]; p++) {
        const j = other.j[p];
        const v = [0, 1, 2].map((c) => cart[3 * j + c] + other.image[3 * p] * skewed[c] + other.image[3 * p + 1] * skewed[3 + c] + other.image[3 * p + 2] * skewed[6 + c] - cart[3 * i + c]);
        expect(Math.hypot(...v)).toBeCloseTo(other.dist[p], 10);
      }
    }
  });

  it('restricts rows to the given centres', () => {
    const { L, cart } = rockSalt(4.2);
    const nl = k.neighbours(L, cart, 2.2, { centres: new Int32Array([5, 1]) });
    expect(Array.from(nl.offsets)).toEqual([0, 0, 6, 6, 6, 6, 12, 12, 12]);
  });

  it('returns empty rows for an isolated atom', () => {
    const nl = k.neighbours(cubic(10), new Float64Array([1, 1, 1]), 3);
    expect(Array.from(nl.offsets)).toEqual([0, 0]);
    expect(nl.j.length).toBe(0);
  });

  it('refuses a tiny cell with a huge cutoff, a singular cell and NaN coordinates', () => {
    expect(() => k.neighbours(cubic(0.5), new Float64Array(3), 1000)).toThrow(KernelInputError);
    expect(() => k.neighbours(new Float64Array([1, 0, 0, 2, 0, 0, 0, 0, 1]), new Float64Array(3), 1)).toThrow(KernelInputError);
    expect(() => k.neighbours(cubic(4), new Float64Array([0, NaN, 0]), 1)).toThrow(KernelInputError);
    expect(() => k.neighbours(cubic(4), new Float64Array(3), 0)).toThrow(KernelInputError);
    expect(() => k.neighbours(cubic(4), new Float64Array(4), 1)).toThrow(KernelInputError);
  });
});
