import type { CountOptions } from '../types.js';
import { axisTable, gridShape } from './cell.js';

/**
 * Neighbour counts by group without a pair list (the census of every frame of a trajectory). Only the counted sites
 * (group ≥ 0) are binned; each centre is wrapped like a binned site and scans the cells within reach of its own, in
 * runs of consecutive cells along c that share one lattice image. The grid shape, the cell list (the runs around
 * every cell, with their lattice translations) and the squared cutoffs are set up once per call; each frame only
 * re-bins. The WASM twin (assembly/counts.ts)
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

  // translation of each lattice image within reach: (m0·a + m1·b) + m2·c
  const s1 = 2 * r1 + 1, s2 = 2 * r2 + 1;
  const nImages = (2 * r0 + 1) * s1 * s2;
  const TX = new Float64Array(nImages), TY = new Float64Array(nImages), TZ = new Float64Array(nImages);
  for (let m0 = -r0; m0 <= r0; m0++) {
    for (let m1 = -r1; m1 <= r1; m1++) {
      for (let m2 = -r2; m2 <= r2; m2++) {
        const m = ((m0 + r0) * s1 + m1 + r1) * s2 + m2 + r2;
        TX[m] = m0 * L0 + m1 * L3 + m2 * L6;
        TY[m] = m0 * L1 + m1 * L4 + m2 * L7;
        TZ[m] = m0 * L2 + m1 * L5 + m2 * L8;
      }
    }
  }
  const zero = (r0 * s1 + r1) * s2 + r2;
  // the cell list of a constant cell, built once for all frames: the cells around each cell as runs of consecutive
  // cells along c that share one lattice image (one slot range each)
  const runOf = new Int32Array(nCells + 1);
  const runFirst = new Int32Array(nCells * nImages), runLast = new Int32Array(nCells * nImages), runImage = new Int32Array(nCells * nImages);
  let nRuns = 0;
  for (let cell = 0; cell < nCells; cell++) {
    runOf[cell] = nRuns;
    const b0 = Math.floor(cell / (nc1 * nc2)), b1 = Math.floor(cell / nc2) % nc1, b2 = cell % nc2;
    for (let d0 = 0; d0 <= 2 * r0; d0++) {
      const c0 = wrap0[b0 + d0], m0 = img0[b0 + d0];
      for (let d1 = 0; d1 <= 2 * r1; d1++) {
        const c1 = wrap1[b1 + d1], m1 = img1[b1 + d1];
        const row = (c0 * nc1 + c1) * nc2;
        let d2 = 0;
        while (d2 <= 2 * r2) {
          const m2 = img2[b2 + d2];
          let e = d2;
          while (e < 2 * r2 && img2[b2 + e + 1] === m2) e++;
          runFirst[nRuns] = row + wrap2[b2 + d2];
          runLast[nRuns] = row + wrap2[b2 + e];
          runImage[nRuns] = ((m0 + r0) * s1 + m1 + r1) * s2 + m2 + r2;
          nRuns++;
          d2 = e + 1;
        }
      }
    }
  }
  runOf[nCells] = nRuns;

  for (let f = 0; f < nFrames; f++) {
    const fb = f * n * 3;
    // bin the counted sites (counting sort by cell)
    start.fill(0);
    for (let t = 0; t < nTg; t++) {
      const a = fb + 3 * targets[t];
      const u0 = frac[a] - Math.floor(frac[a]), u1 = frac[a + 1] - Math.floor(frac[a + 1]), u2 = frac[a + 2] - Math.floor(frac[a + 2]);
      const cell = (bin(u0, nc0) * nc1 + bin(u1, nc1)) * nc2 + bin(u2, nc2);
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
      const xi = u0 * L0 + u1 * L3 + u2 * L6;
      const yi = u0 * L1 + u1 * L4 + u2 * L7;
      const zi = u0 * L2 + u1 * L5 + u2 * L8;
      const ti = types[i] * nT;
      const ob = (f * nC + k) * nG;
      const cell = (bin(u0, nc0) * nc1 + bin(u1, nc1)) * nc2 + bin(u2, nc2);
      for (let q = runOf[cell], qEnd = runOf[cell + 1]; q < qEnd; q++) {
        const m = runImage[q];
        const tx = TX[m], ty = TY[m], tz = TZ[m];
        // the centre's own slot is skipped in the zero image only: -1 matches no site elsewhere
        const me = m === zero ? i : -1;
        const pEnd = start[runLast[q] + 1];
        for (let p = start[runFirst[q]]; p < pEnd; p++) {
          const dx = X[p] + tx - xi, dy = Y[p] + ty - yi, dz = Z[p] + tz - zi;
          const dd = dx * dx + dy * dy + dz * dz;
          if (dd <= pc2[ti + T[p]] && J[p] !== me) out[ob + G[p]]++;
        }
      }
    }
  }
  return out;
}

/** The cell bin of a wrapped fractional coordinate u ∈ [0, 1) along an axis of nc cells (u·nc rounding up to nc stays in the last cell). */
function bin(u: number, nc: number): number {
  const b = Math.floor(u * nc);
  return b >= nc ? nc - 1 : b;
}
