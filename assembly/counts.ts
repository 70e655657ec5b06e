// Neighbour counts by group without a pair list; the WASM twin of src/kernels/js/counts.ts (same traversal order
// and arithmetic). Set up once per call: squared cutoffs, the counted sites, the cell list (the runs of cells around
// every cell with their lattice translations) and the grid arrays; then per frame: bin the counted sites, scan the
// runs around each centre's cell.

import { alloc } from './arena';
import { axisTable, F, I } from './cell';

/**
 * frac: nFrames × n × 3 f64; types, group: n i32; pairCut: nT² f64; centres: nC i32; nc, reach: 3 i32 each.
 * Writes out: nFrames × nC × nG i32.
 */
export function countNeighbours(
  L: usize, frac: usize, n: i32, nFrames: i32, types: usize, nT: i32, pairCut: usize,
  centres: usize, nC: i32, group: usize, nG: i32, nc: usize, reach: usize, out: usize,
): void {
  const pc2 = alloc(<usize>(nT * nT) << 3);
  for (let k = 0; k < nT * nT; k++) {
    const c = F(pairCut, k);
    store<f64>(pc2 + (<usize>k << 3), c > 0 ? c * c : -1);
  }
  const targets = alloc(<usize>n << 2);
  let nTg = 0;
  for (let j = 0; j < n; j++) {
    if (I(group, j) >= 0) {
      store<i32>(targets + (<usize>nTg << 2), j);
      nTg++;
    }
  }
  const nc0 = I(nc, 0), nc1 = I(nc, 1), nc2 = I(nc, 2);
  const r0 = I(reach, 0), r1 = I(reach, 1), r2 = I(reach, 2);
  const wrap0 = axisTable(nc0, r0), wrap1 = axisTable(nc1, r1), wrap2 = axisTable(nc2, r2);
  const nCells = nc0 * nc1 * nc2;
  const startBytes = (<usize>nCells + 1) << 2;
  const start = alloc(startBytes);
  const fill = alloc(<usize>nCells << 2);
  const ut = <usize>nTg;
  const cellOf = alloc(ut << 2);
  const wx = alloc(ut << 3), wy = alloc(ut << 3), wz = alloc(ut << 3);
  const X = alloc(ut << 3), Y = alloc(ut << 3), Z = alloc(ut << 3);
  const T = alloc(ut << 2), G = alloc(ut << 2), J = alloc(ut << 2);
  const L0 = F(L, 0), L1 = F(L, 1), L2 = F(L, 2), L3 = F(L, 3), L4 = F(L, 4), L5 = F(L, 5), L6 = F(L, 6), L7 = F(L, 7), L8 = F(L, 8);
  const fn0 = <f64>nc0, fn1 = <f64>nc1, fn2 = <f64>nc2;
  memory.fill(out, 0, (<usize>nFrames * <usize>nC * <usize>nG) << 2);

  // translation of each lattice image within reach: (m0·a + m1·b) + m2·c
  const s1 = 2 * r1 + 1, s2 = 2 * r2 + 1;
  const nImages = (2 * r0 + 1) * s1 * s2;
  const trans = alloc(<usize>nImages * 24);
  for (let m0 = -r0; m0 <= r0; m0++) {
    for (let m1 = -r1; m1 <= r1; m1++) {
      for (let m2 = -r2; m2 <= r2; m2++) {
        const t = trans + <usize>(((m0 + r0) * s1 + m1 + r1) * s2 + m2 + r2) * 24;
        const fm0 = <f64>m0, fm1 = <f64>m1, fm2 = <f64>m2;
        store<f64>(t, fm0 * L0 + fm1 * L3 + fm2 * L6);
        store<f64>(t, fm0 * L1 + fm1 * L4 + fm2 * L7, 8);
        store<f64>(t, fm0 * L2 + fm1 * L5 + fm2 * L8, 16);
      }
    }
  }
  const zero = (r0 * s1 + r1) * s2 + r2;
  // the cell list of a constant cell, built once for all frames: the cells around each cell as runs of consecutive
  // cells along c that share one lattice image (first cell, last cell, image: 3 i32 each)
  const runOf = alloc((<usize>nCells + 1) << 2);
  const runs = alloc(<usize>nCells * <usize>nImages * 12);
  let nRuns = 0;
  const n12 = nc1 * nc2;
  for (let cell = 0; cell < nCells; cell++) {
    store<i32>(runOf + (<usize>cell << 2), nRuns);
    const b0 = cell / n12, b1 = (cell / nc2) % nc1, b2 = cell % nc2;
    for (let d0 = 0; d0 <= 2 * r0; d0++) {
      const c0 = I(wrap0, 2 * (b0 + d0)), m0 = I(wrap0, 2 * (b0 + d0) + 1);
      for (let d1 = 0; d1 <= 2 * r1; d1++) {
        const c1 = I(wrap1, 2 * (b1 + d1)), m1 = I(wrap1, 2 * (b1 + d1) + 1);
        const row = (c0 * nc1 + c1) * nc2;
        let d2 = 0;
        while (d2 <= 2 * r2) {
          const m2 = I(wrap2, 2 * (b2 + d2) + 1);
          let e = d2;
          while (e < 2 * r2 && I(wrap2, 2 * (b2 + e + 1) + 1) == m2) e++;
          const rq = runs + <usize>nRuns * 12;
          store<i32>(rq, row + I(wrap2, 2 * (b2 + d2)));
          store<i32>(rq, row + I(wrap2, 2 * (b2 + e)), 4);
          store<i32>(rq, ((m0 + r0) * s1 + m1 + r1) * s2 + m2 + r2, 8);
          nRuns++;
          d2 = e + 1;
        }
      }
    }
  }
  store<i32>(runOf + (<usize>nCells << 2), nRuns);

  for (let f = 0; f < nFrames; f++) {
    const fb = frac + <usize>f * <usize>n * 24;
    memory.fill(start, 0, startBytes);
    for (let t = 0; t < nTg; t++) {
      const a = fb + <usize>I(targets, t) * 24;
      const f0 = load<f64>(a), f1 = load<f64>(a, 8), f2 = load<f64>(a, 16);
      const u0 = f0 - Math.floor(f0), u1 = f1 - Math.floor(f1), u2 = f2 - Math.floor(f2);
      const cell = (bin(u0, fn0, nc0) * nc1 + bin(u1, fn1, nc1)) * nc2 + bin(u2, fn2, nc2);
      store<i32>(cellOf + (<usize>t << 2), cell);
      const sp = start + (<usize>(cell + 1) << 2);
      store<i32>(sp, load<i32>(sp) + 1);
      store<f64>(wx + (<usize>t << 3), u0 * L0 + u1 * L3 + u2 * L6);
      store<f64>(wy + (<usize>t << 3), u0 * L1 + u1 * L4 + u2 * L7);
      store<f64>(wz + (<usize>t << 3), u0 * L2 + u1 * L5 + u2 * L8);
    }
    for (let c = 0; c < nCells; c++) {
      const sp = start + (<usize>(c + 1) << 2);
      store<i32>(sp, load<i32>(sp) + I(start, c));
    }
    memory.copy(fill, start, <usize>nCells << 2);
    for (let t = 0; t < nTg; t++) {
      const fp = fill + (<usize>I(cellOf, t) << 2);
      const slot = load<i32>(fp);
      store<i32>(fp, slot + 1);
      const j = I(targets, t);
      const us = <usize>slot;
      store<f64>(X + (us << 3), F(wx, t));
      store<f64>(Y + (us << 3), F(wy, t));
      store<f64>(Z + (us << 3), F(wz, t));
      store<i32>(T + (us << 2), I(types, j));
      store<i32>(G + (us << 2), I(group, j));
      store<i32>(J + (us << 2), j);
    }
    for (let k = 0; k < nC; k++) {
      const i = I(centres, k);
      const a = fb + <usize>i * 24;
      const f0 = load<f64>(a), f1 = load<f64>(a, 8), f2 = load<f64>(a, 16);
      const u0 = f0 - Math.floor(f0), u1 = f1 - Math.floor(f1), u2 = f2 - Math.floor(f2);
      const xi = u0 * L0 + u1 * L3 + u2 * L6;
      const yi = u0 * L1 + u1 * L4 + u2 * L7;
      const zi = u0 * L2 + u1 * L5 + u2 * L8;
      const pt = pc2 + (<usize>(I(types, i) * nT) << 3);
      const ob = out + ((<usize>f * <usize>nC + <usize>k) * <usize>nG << 2);
      const cell = (bin(u0, fn0, nc0) * nc1 + bin(u1, fn1, nc1)) * nc2 + bin(u2, fn2, nc2);
      const qEnd = I(runOf, cell + 1);
      for (let q = I(runOf, cell); q < qEnd; q++) {
        const rq = runs + (<usize>q) * 12;
        const m = load<i32>(rq, 8);
        const tm = trans + (<usize>m) * 24;
        const tx = load<f64>(tm), ty = load<f64>(tm, 8), tz = load<f64>(tm, 16);
        // the centre's own slot is skipped in the zero image only: -1 matches no site elsewhere
        const me = m == zero ? i : -1;
        const pEnd = I(start, load<i32>(rq, 4) + 1);
        for (let p = I(start, load<i32>(rq)); p < pEnd; p++) {
          const up = <usize>p;
          const dx = load<f64>(X + (up << 3)) + tx - xi;
          const dy = load<f64>(Y + (up << 3)) + ty - yi;
          const dz = load<f64>(Z + (up << 3)) + tz - zi;
          const dd = dx * dx + dy * dy + dz * dz;
          // branch-free: whether a pair is within its cutoff is close to a coin toss
          const hit = <i32>(dd <= load<f64>(pt + (<usize>load<i32>(T + (up << 2)) << 3))) & <i32>(load<i32>(J + (up << 2)) != me);
          const o = ob + (<usize>load<i32>(G + (up << 2)) << 2);
          store<i32>(o, load<i32>(o) + hit);
        }
      }
    }
  }
}

/** The cell bin of a wrapped fractional coordinate u ∈ [0, 1) along an axis of nc cells (u·nc rounding up to nc stays in the last cell). */
@inline function bin(u: f64, fn: f64, nc: i32): i32 {
  const b = <i32>Math.floor(u * fn);
  return b >= nc ? nc - 1 : b;
}
