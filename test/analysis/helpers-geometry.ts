/**
 * Brute-force geometry for the analysis tests, independent of the kernels: minimum-image distance by trying the
 * 27 neighbouring cells (enough for the near-orthogonal and 120° cells used here when distances stay below half a cell).
 */
import type { Structure } from '../../src/model/structure.js';

export function distance(s: Structure, i: number, j: number): number {
  return distanceTo(s, i, [s.frac[3 * j], s.frac[3 * j + 1], s.frac[3 * j + 2]]);
}

export function distanceTo(s: Structure, i: number, f: [number, number, number]): number {
  const L = s.lattice;
  let best = Infinity;
  for (let a = -1; a <= 1; a++) {
    for (let b = -1; b <= 1; b++) {
      for (let c = -1; c <= 1; c++) {
        const d0 = f[0] - s.frac[3 * i] - Math.round(f[0] - s.frac[3 * i]) + a;
        const d1 = f[1] - s.frac[3 * i + 1] - Math.round(f[1] - s.frac[3 * i + 1]) + b;
        const d2 = f[2] - s.frac[3 * i + 2] - Math.round(f[2] - s.frac[3 * i + 2]) + c;
        const x = d0 * L[0] + d1 * L[3] + d2 * L[6];
        const y = d0 * L[1] + d1 * L[4] + d2 * L[7];
        const z = d0 * L[2] + d1 * L[5] + d2 * L[8];
        best = Math.min(best, Math.hypot(x, y, z));
      }
    }
  }
  return best;
}

/** Indices of the O within `r` Å of fractional position f. */
export function oxygenAround(s: Structure, f: [number, number, number], r = 2.3): number[] {
  const out: number[] = [];
  s.species.forEach((sp, i) => sp === 'O' && distanceTo(s, i, f) < r && out.push(i));
  return out.sort((a, b) => a - b);
}
