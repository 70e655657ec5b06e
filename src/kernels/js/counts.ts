import type { CountOptions } from '../types.js';
import { axisTable, gridShape } from './cell.js';

/**
 * Neighbour counts by group without a pair list (the census of every frame of a trajectory). Only the counted sites
 * (group ≥ 0) are binned; each centre is wrapped like a binned site and scans the cells within reach of its own, in
 * runs of consecutive cells along c that share one lattice image. The grid shape, the per-axis (cell, image) tables
 * and the squared cutoffs are set up once per call; each frame only re-bins. The WASM twin (assembly/counts.ts)
 * does the same arithmetic in the same order, so both count the same pairs at a cutoff.
 */
export function countNeighbours(L: Float64Array, frac: Float64Array, nFrames: number, cutoff: number, o: CountOptions): Int32Array {
  const n = o.group.length;
  const { types, nTypes: nT, centres, group, nGroups: nG } = o;
  const pc2 = o.pairCutoffs.map((c) => (c > 0 ? c * c : -1));
  const targets: number[] = [];
  for (let j = 0; j < n; j++) if (group[j] >= 0) targets.push(j);
  const nTg = targets.length;
  const { nc, reach } = gridShape(L, cutoff, nTg);
  const [nc0, nc1, nc2] = nc;
  const [r0, r1, r2] = reach;
  const [wrap0, img0] = axisTable(nc0, r0);
  const [wrap1, img1] = axisTable(nc1, r1);
  const [wrap2, img2] = axisTable(nc2, r2);
  const nCells = nc0 * nc1 * nc2;
  const start = new Int32Array(nCells + 1);
  const fill = new Int32Array(nCells);
  const cellOf = new Int32Array(nTg);
  const wx = new Float64Array(nTg), wy = new Float64Array(nTg), wz = new Float64Array(nTg);
  const X = new Float64Array(nTg), Y = new Float64Array(nTg), Z = new Float64Array(nTg);
  const T = new Int32Array(nTg), G = new Int32Array(nTg), J = new Int32Array(nTg);
  const nC = centres.length;
  const out = new Int32Array(nFrames * nC * nG);
  const L0 = L[0], L1 = L[1], L2 = L[2], L3 = L[3], L4 = L[4], L5 = L[5], L6 = L[6], L7 = L[7], L8 = L[8];

  for (let f = 0; f < nFrames; f++) {
    const fb = f * n * 3;
    // bin the counted sites (counting sort by cell)
    start.fill(0);
    for (let t = 0; t < nTg; t++) {
      const a = fb + 3 * targets[t];
      const u0 = frac[a] - Math.floor(frac[a]), u1 = frac[a + 1] - Math.floor(frac[a + 1]), u2 = frac[a + 2] - Math.floor(frac[a + 2]);
      let b0 = Math.floor(u0 * nc0);
      if (b0 >= nc0) b0 = nc0 - 1;
      let b1 = Math.floor(u1 * nc1);
      if (b1 >= nc1) b1 = nc1 - 1;
      let b2 = Math.floor(u2 * nc2);
      if (b2 >= nc2) b2 = nc2 - 1;
      const cell = (b0 * nc1 + b1) * nc2 + b2;
      cellOf[t] = cell;
      start[cell + 1]++;
      wx[t] = u0 * L0 + u1 * L3 + u2 * L6;
      wy[t] = u0 * L1 + u1 * L4 + u2 * L7;
      wz[t] = u0 * L2 + u1 * L5 + u2 * L8;
    }
    for (let c = 0; c < nCells; c++) start[c + 1] += start[c];
    fill.set(start.subarray(0, nCells));
    for (let t = 0; t < nTg; t++) {
      const slot = fill[cellOf[t]]++;
      const j = targets[t];
      X[slot] = wx[t];
      Y[slot] = wy[t];
      Z[slot] = wz[t];
      T[slot] = types[j];
      G[slot] = group[j];
      J[slot] = j;
    }
    // count around each centre
    for (let k = 0; k < nC; k++) {
      const i = centres[k];
      const a = fb + 3 * i;
      const u0 = frac[a] - Math.floor(frac[a]), u1 = frac[a + 1] - Math.floor(frac[a + 1]), u2 = frac[a + 2] - Math.floor(frac[a + 2]);
      let b0 = Math.floor(u0 * nc0);
      if (b0 >= nc0) b0 = nc0 - 1;
      let b1 = Math.floor(u1 * nc1);
      if (b1 >= nc1) b1 = nc1 - 1;
      let b2 = Math.floor(u2 * nc2);
      if (b2 >= nc2) b2 = nc2 - 1;
      const xi = u0 * L0 + u1 * L3 + u2 * L6;
      const yi = u0 * L1 + u1 * L4 + u2 * L7;
      const zi = u0 * L2 + u1 * L5 + u2 * L8;
      const ti = types[i] * nT;
      const ob = (f * nC + k) * nG;
      for (let d0 = 0; d0 <= 2 * r0; d0++) {
        const c0 = wrap0[b0 + d0], m0 = img0[b0 + d0];
        for (let d1 = 0; d1 <= 2 * r1; d1++) {
          const c1 = wrap1[b1 + d1], m1 = img1[b1 + d1];
          const row = (c0 * nc1 + c1) * nc2;
          const sx = m0 * L0 + m1 * L3, sy = m0 * L1 + m1 * L4, sz = m0 * L2 + m1 * L5;
          let d2 = 0;
          while (d2 <= 2 * r2) {
            const m2 = img2[b2 + d2];
            let e = d2;
            while (e < 2 * r2 && img2[b2 + e + 1] === m2) e++;
            const tx = sx + m2 * L6, ty = sy + m2 * L7, tz = sz + m2 * L8;
            // the centre's own slot is skipped in the zero image only: -1 matches no site elsewhere
            const me = m0 === 0 && m1 === 0 && m2 === 0 ? i : -1;
            const pEnd = start[row + wrap2[b2 + e] + 1];
            for (let p = start[row + wrap2[b2 + d2]]; p < pEnd; p++) {
              const dx = X[p] + tx - xi, dy = Y[p] + ty - yi, dz = Z[p] + tz - zi;
              const dd = dx * dx + dy * dy + dz * dz;
              if (dd <= pc2[ti + T[p]] && J[p] !== me) out[ob + G[p]]++;
            }
            d2 = e + 1;
          }
        }
      }
    }
  }
  return out;
}
