import type { NeighbourList } from '../../../src/kernels/types.js';
import { imageShift, repeatCount, type Repeat } from './atoms.js';

/**
 * Bonds as cylinder instances. Which pairs are bonded is decided elsewhere (the census cutoffs for cation–O, or
 * covalent radii for other structures) and arrives as a full neighbour list; here each pair is drawn once.
 */

/**
 * Half-bond segments (6 floats each: start xyz, end xyz, Å): from every site towards each bonded neighbour, up
 * to the middle of the bond. The two halves of a bond meet in the middle and take the colours of their atoms; a
 * bond that leaves the drawn cell shows as a stub, so no bond ends in empty space. `owner[k]` is the site that
 * half k starts from.
 */
export function halfBonds(list: NeighbourList, cart: ArrayLike<number>, lattice: ArrayLike<number>): { segments: Float32Array; owner: Int32Array } {
  const n = list.offsets.length - 1;
  const total = list.offsets[n];
  const segments = new Float32Array(6 * total);
  const owner = new Int32Array(total);
  for (let i = 0; i < n; i++) {
    for (let p = list.offsets[i]; p < list.offsets[i + 1]; p++) {
      const j = list.j[p];
      const ia = list.image[3 * p], ib = list.image[3 * p + 1], ic = list.image[3 * p + 2];
      owner[p] = i;
      for (let k = 0; k < 3; k++) {
        const a = cart[3 * i + k];
        const b = cart[3 * j + k] + ia * lattice[k] + ib * lattice[3 + k] + ic * lattice[6 + k];
        segments[6 * p + k] = a;
        segments[6 * p + 3 + k] = (a + b) / 2;
      }
    }
  }
  return { segments, owner };
}

/**
 * Instance matrices (16 floats each, column-major) that map three.js's unit cylinder (radius 1, height 1 along y,
 * centred at the origin) onto each segment, repeated over the supercell images.
 */
export function cylinderMatrices(segments: Float32Array, radius: number, lattice: ArrayLike<number>, rep: Repeat): Float32Array {
  const nSeg = segments.length / 6;
  const out = new Float32Array(16 * nSeg * repeatCount(rep));
  for (let m = 0; m < repeatCount(rep); m++) {
    const [sx, sy, sz] = imageShift(lattice, rep, m);
    for (let s = 0; s < nSeg; s++) {
      const a = 6 * s;
      const dx = segments[a + 3] - segments[a], dy = segments[a + 4] - segments[a + 1], dz = segments[a + 5] - segments[a + 2];
      const len = Math.hypot(dx, dy, dz) || 1;
      // u ⟂ d: cross d with the axis it is least aligned with; w = d̂ × u
      const hx = dx / len, hy = dy / len, hz = dz / len;
      let ux: number, uy: number, uz: number;
      if (Math.abs(hx) < 0.9) [ux, uy, uz] = [0, hz, -hy];
      else [ux, uy, uz] = [-hz, 0, hx];
      const ul = Math.hypot(ux, uy, uz);
      ux /= ul; uy /= ul; uz /= ul;
      const wx = hy * uz - hz * uy, wy = hz * ux - hx * uz, wz = hx * uy - hy * ux;
      const o = 16 * (m * nSeg + s);
      out[o] = ux * radius; out[o + 1] = uy * radius; out[o + 2] = uz * radius;
      out[o + 4] = dx; out[o + 5] = dy; out[o + 6] = dz;
      out[o + 8] = wx * radius; out[o + 9] = wy * radius; out[o + 10] = wz * radius;
      out[o + 12] = segments[a] + dx / 2 + sx;
      out[o + 13] = segments[a + 1] + dy / 2 + sy;
      out[o + 14] = segments[a + 2] + dz / 2 + sz;
      out[o + 15] = 1;
    }
  }
  return out;
}

/** The half-bonds that start from the given sites (one atom group), so a hidden group hides its bonds too. */
export function halvesOf(bonds: { segments: Float32Array; owner: Int32Array }, sites: Int32Array): Float32Array {
  const mine = new Uint8Array(Math.max(0, ...sites) + 1);
  for (const s of sites) mine[s] = 1;
  let n = 0;
  for (const o of bonds.owner) if (mine[o]) n++;
  const out = new Float32Array(6 * n);
  let k = 0;
  bonds.owner.forEach((o, p) => {
    if (mine[o]) out.set(bonds.segments.subarray(6 * p, 6 * p + 6), 6 * k++);
  });
  return out;
}

/** Segments copied into every supercell image, as flat line-segment vertices (for drawing bonds as lines). */
export function repeatSegments(segments: Float32Array, lattice: ArrayLike<number>, rep: Repeat): Float32Array {
  const out = new Float32Array(segments.length * repeatCount(rep));
  for (let m = 0; m < repeatCount(rep); m++) {
    const [sx, sy, sz] = imageShift(lattice, rep, m);
    const base = m * segments.length;
    for (let i = 0; i < segments.length; i += 3) {
      out[base + i] = segments[i] + sx;
      out[base + i + 1] = segments[i + 1] + sy;
      out[base + i + 2] = segments[i + 2] + sz;
    }
  }
  return out;
}
