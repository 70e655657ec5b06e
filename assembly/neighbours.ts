// Linked-cell neighbour search and nearest-site assignment; the WASM twin of src/kernels/js/neighbours.ts and
// the assignSites part of src/kernels/js/geometry.ts (same traversal order and arithmetic).

import { alloc, claim, ensure, mark } from './arena';
import { buildGrid, F, floorDiv, I, toFrac } from './cell';

const PAIR = 24; // j, image[3] (i32) and distance (f64)

/**
 * Pairs within `cutoff`. types/pairCut may be 0 (no per-pair cutoffs); centres lists nCentres site indices, or
 * is 0 for all sites.
 * Writes offsets (n + 1 i32) and res (i32): [pairs, jPtr, imagePtr, distPtr].
 */
export function neighbours(
  L: usize, inv: usize, cart: usize, n: i32, cutoff: f64, nc: usize, reach: usize,
  types: usize, nT: i32, pairCut: usize, centres: usize, nCentres: i32, offsets: usize, res: usize,
): void {
  let isCentre: usize = 0;
  if (centres != 0) {
    isCentre = alloc(<usize>n);
    memory.fill(isCentre, 0, <usize>n);
    for (let k = 0; k < nCentres; k++) store<u8>(isCentre + <usize>I(centres, k), 1);
  }
  const frac = alloc(<usize>n * 24);
  toFrac(inv, cart, n, frac);
  const g = buildGrid(L, frac, n, nc);
  const nc0 = g.nc0, nc1 = g.nc1, nc2 = g.nc2;
  const r0 = I(reach, 0), r1 = I(reach, 1), r2 = I(reach, 2);
  const cut2 = cutoff * cutoff;
  let pc2: usize = 0;
  if (pairCut != 0) {
    pc2 = alloc(<usize>(nT * nT) << 3);
    for (let k = 0; k < nT * nT; k++) {
      const c = F(pairCut, k);
      store<f64>(pc2 + (<usize>k << 3), c > 0 ? c * c : -1);
    }
  }
  const L0 = F(L, 0), L1 = F(L, 1), L2 = F(L, 2), L3 = F(L, 3), L4 = F(L, 4), L5 = F(L, 5), L6 = F(L, 6), L7 = F(L, 7), L8 = F(L, 8);
  const W = g.wrapped, S = g.sorted, order = g.order, start = g.start, shift = g.shift;
  const base = mark();
  let cap: usize = base + 65536 * PAIR;
  ensure(cap);
  let np = 0;
  const n12 = nc1 * nc2;
  for (let i = 0; i < n; i++) {
    store<i32>(offsets + (<usize>i << 2), np);
    if (isCentre != 0 && load<u8>(isCentre + <usize>i) == 0) continue;
    const ci = I(g.cellOf, i);
    const b0 = ci / n12, b1 = (ci / nc2) % nc1, b2 = ci % nc2;
    const xi = F(W, 3 * i), yi = F(W, 3 * i + 1), zi = F(W, 3 * i + 2);
    const ti = types != 0 ? I(types, i) * nT : 0;
    const si0 = I(shift, 3 * i), si1 = I(shift, 3 * i + 1), si2 = I(shift, 3 * i + 2);
    for (let d0 = -r0; d0 <= r0; d0++) {
      const v0 = b0 + d0, m0 = floorDiv(v0, nc0), c0 = v0 - m0 * nc0;
      for (let d1 = -r1; d1 <= r1; d1++) {
        const v1 = b1 + d1, m1 = floorDiv(v1, nc1), c1 = v1 - m1 * nc1;
        for (let d2 = -r2; d2 <= r2; d2++) {
          const v2 = b2 + d2, m2 = floorDiv(v2, nc2), c2 = v2 - m2 * nc2;
          const fm0 = <f64>m0, fm1 = <f64>m1, fm2 = <f64>m2;
          const tx = fm0 * L0 + fm1 * L3 + fm2 * L6;
          const ty = fm0 * L1 + fm1 * L4 + fm2 * L7;
          const tz = fm0 * L2 + fm1 * L5 + fm2 * L8;
          const cell = c0 * n12 + c1 * nc2 + c2;
          const self = m0 == 0 && m1 == 0 && m2 == 0;
          const e = I(start, cell + 1);
          for (let p = I(start, cell); p < e; p++) {
            const q = S + <usize>p * 24;
            const dx = load<f64>(q) + tx - xi, dy = load<f64>(q, 8) + ty - yi, dz = load<f64>(q, 16) + tz - zi;
            const d2 = dx * dx + dy * dy + dz * dz;
            if (d2 > cut2) continue;
            const j = I(order, p);
            if (self && j == i) continue;
            if (pc2 != 0 && !(d2 <= F(pc2, ti + I(types, j)))) continue;
            let r = base + <usize>np * PAIR;
            if (r + PAIR > cap) {
              cap = base + (cap - base) * 2;
              ensure(cap);
            }
            store<i32>(r, j);
            store<i32>(r, m0 - I(shift, 3 * j) + si0, 4);
            store<i32>(r, m1 - I(shift, 3 * j + 1) + si1, 8);
            store<i32>(r, m2 - I(shift, 3 * j + 2) + si2, 12);
            store<f64>(r, Math.sqrt(d2), 16);
            np++;
          }
        }
      }
    }
  }
  store<i32>(offsets + (<usize>n << 2), np);
  claim(base + <usize>np * PAIR);
  const up = <usize>np;
  const jOut = alloc(up << 2);
  const imgOut = alloc(up * 12);
  const dOut = alloc(up << 3);
  for (let k: usize = 0; k < up; k++) {
    const r = base + k * PAIR;
    store<i32>(jOut + (k << 2), load<i32>(r));
    store<i32>(imgOut + k * 12, load<i32>(r, 4));
    store<i32>(imgOut + k * 12, load<i32>(r, 8), 4);
    store<i32>(imgOut + k * 12, load<i32>(r, 12), 8);
    store<f64>(dOut + (k << 3), load<f64>(r, 16));
  }
  store<i32>(res, np);
  store<i32>(res, <i32>jOut, 4);
  store<i32>(res, <i32>imgOut, 8);
  store<i32>(res, <i32>dOut, 12);
}

/** Per-centre counts by group: out[i * nGroups + group[j]] (n × nGroups i32, zeroed here). */
export function countByGroup(offsets: usize, n: i32, j: usize, group: usize, nGroups: i32, out: usize): void {
  memory.fill(out, 0, <usize>(n * nGroups) << 2);
  for (let i = 0; i < n; i++) {
    const e = I(offsets, i + 1);
    for (let p = I(offsets, i); p < e; p++) {
      const gj = I(group, I(j, p));
      if (gj >= 0) {
        const o = out + (<usize>(i * nGroups + gj) << 2);
        store<i32>(o, load<i32>(o) + 1);
      }
    }
  }
}

/** Nearest reference site within tol for each of n sites (frac) among m reference sites (refFrac). */
export function assignSites(
  L: usize, frac: usize, n: i32, refFrac: usize, m: i32, tol: f64, nc: usize, reach: usize, index: usize, dist: usize,
): void {
  const g = buildGrid(L, refFrac, m, nc);
  const nc0 = g.nc0, nc1 = g.nc1, nc2 = g.nc2;
  const r0 = I(reach, 0), r1 = I(reach, 1), r2 = I(reach, 2);
  const W = g.wrapped, start = g.start, order = g.order;
  const tol2 = tol * tol;
  const n12 = nc1 * nc2;
  for (let i = 0; i < n; i++) {
    const f0 = F(frac, 3 * i), f1 = F(frac, 3 * i + 1), f2 = F(frac, 3 * i + 2);
    const u0 = f0 - Math.floor(f0), u1 = f1 - Math.floor(f1), u2 = f2 - Math.floor(f2);
    const b0 = min(nc0 - 1, <i32>Math.floor(u0 * <f64>nc0));
    const b1 = min(nc1 - 1, <i32>Math.floor(u1 * <f64>nc1));
    const b2 = min(nc2 - 1, <i32>Math.floor(u2 * <f64>nc2));
    const xi = u0 * F(L, 0) + u1 * F(L, 3) + u2 * F(L, 6);
    const yi = u0 * F(L, 1) + u1 * F(L, 4) + u2 * F(L, 7);
    const zi = u0 * F(L, 2) + u1 * F(L, 5) + u2 * F(L, 8);
    let best = Infinity;
    let bestK = -1;
    for (let d0 = -r0; d0 <= r0; d0++) {
      const v0 = b0 + d0, m0 = floorDiv(v0, nc0), c0 = v0 - m0 * nc0;
      for (let d1 = -r1; d1 <= r1; d1++) {
        const v1 = b1 + d1, m1 = floorDiv(v1, nc1), c1 = v1 - m1 * nc1;
        for (let d2 = -r2; d2 <= r2; d2++) {
          const v2 = b2 + d2, m2 = floorDiv(v2, nc2), c2 = v2 - m2 * nc2;
          const fm0 = <f64>m0, fm1 = <f64>m1, fm2 = <f64>m2;
          const tx = fm0 * F(L, 0) + fm1 * F(L, 3) + fm2 * F(L, 6);
          const ty = fm0 * F(L, 1) + fm1 * F(L, 4) + fm2 * F(L, 7);
          const tz = fm0 * F(L, 2) + fm1 * F(L, 5) + fm2 * F(L, 8);
          const cell = c0 * n12 + c1 * nc2 + c2;
          const e = I(start, cell + 1);
          for (let p = I(start, cell); p < e; p++) {
            const k = I(order, p);
            const dx = F(W, 3 * k) + tx - xi, dy = F(W, 3 * k + 1) + ty - yi, dz = F(W, 3 * k + 2) + tz - zi;
            const dd = dx * dx + dy * dy + dz * dz;
            if (dd <= tol2 && (dd < best || (dd == best && k < bestK))) {
              best = dd;
              bestK = k;
            }
          }
        }
      }
    }
    store<i32>(index + (<usize>i << 2), bestK);
    store<f64>(dist + (<usize>i << 3), bestK >= 0 ? Math.sqrt(best) : NaN);
  }
}
