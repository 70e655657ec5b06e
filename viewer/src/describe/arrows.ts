import type { Repeat } from './atoms.js';
import { cylinderMatrices } from './bonds.js';

/**
 * Arrows from an atom's reference position to its current one (TM migration). The shaft and the head are
 * instances of three.js's unit cylinder and unit cone (both height 1 along y, centred), placed with the same
 * segment → matrix mapping as bonds.
 */
export interface Arrow {
  from: [number, number, number];
  to: [number, number, number];
}

/**
 * Shaft and head matrices; the arrow stops `gap` Å short of `to` (the moved atom's sphere radius), so the head
 * shows instead of vanishing inside the atom.
 */
export function arrowMatrices(arrows: Arrow[], lattice: ArrayLike<number>, rep: Repeat, radius = 0.12, gap = 0): { shafts: Float32Array; heads: Float32Array } {
  const shaft = new Float32Array(6 * arrows.length);
  const head = new Float32Array(6 * arrows.length);
  arrows.forEach((a, i) => {
    const d = [0, 1, 2].map((k) => a.to[k] - a.from[k]);
    const len = Math.hypot(d[0], d[1], d[2]) || 1;
    const end = [0, 1, 2].map((k) => a.to[k] - (d[k] / len) * Math.min(gap, len / 2));
    const headLen = Math.min(0.5, len * 0.3);
    const cut = [0, 1, 2].map((k) => end[k] - (d[k] / len) * headLen);
    shaft.set([...a.from, ...cut], 6 * i);
    head.set([...cut, ...end], 6 * i);
  });
  return { shafts: cylinderMatrices(shaft, radius, lattice, rep), heads: cylinderMatrices(head, radius * 2.6, lattice, rep) };
}
