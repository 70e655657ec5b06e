// Linked-cell neighbour search and nearest-site assignment; the WASM twin of src/kernels/js/neighbours.ts and
// the assignSites part of src/kernels/js/geometry.ts (same traversal order and arithmetic).

import { alloc, claim, ensure, mark } from './arena';
import { axisTable, buildGrid, F, floorDiv, I, toFrac } from './cell';
import * as grid from './cell';

const PAIR = 24; // j, image[3] (i32) and distance (f64)

/**
 * Pairs within `cutoff`. types/pairCut may be 0 (no per-pair cutoffs); centres lists nCentres site indices, or
 * is 0 for all sites. Rows are built in grid-slot order (the atoms of one cell share their neighbour cells in
 * cache) and then reordered by site. Writes offsets (n + 1 i32) and res (i32): [pairs, jPtr, imagePtr, distPtr].
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
  buildGrid(L, frac, n, nc);
  const nc0 = grid.nc0, nc1 = grid.nc1, nc2 = grid.nc2;
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
  const SX = grid.sortedX, SY = grid.sortedY, SZ = grid.sortedZ, order = grid.order, start = grid.start;
  shift = grid.shift;
  types_ = types;
  pc2_ = pc2;
  const nNb = (2 * r0 + 1) * (2 * r1 + 1) * (2 * r2 + 1);
  const nbCell = alloc(<usize>nNb << 2);
  const nbLast = alloc(<usize>nNb << 2);
  const nbImage = alloc(<usize>nNb * 12);
  const nbT = alloc(<usize>nNb * 24);
  const rowStart = alloc((<usize>n + 1) << 2);
  // per axis, the cell and lattice image of the unbounded grid index b + d − reach, indexed by b + d
  const wrap0 = axisTable(nc0, r0), wrap1 = axisTable(nc1, r1), wrap2 = axisTable(nc2, r2);
  // pairs grow in place at the arena's end until the search is done
  base = mark();
  cap = base + 65536 * PAIR;
  ensure(cap);
  np = 0;
  const nCells = nc0 * nc1 * nc2;
  const n12 = nc1 * nc2;
  for (let cell = 0; cell < nCells; cell++) {
    const sBegin = I(start, cell), sEnd = I(start, cell + 1);
    let any = false;
    for (let s = sBegin; s < sEnd; s++) if (isCentre == 0 || load<u8>(isCentre + <usize>I(order, s)) != 0) any = true;
    if (!any) {
      for (let s = sBegin; s < sEnd; s++) store<i32>(rowStart + (<usize>s << 2), np);
      continue;
    }
    const b0 = cell / n12, b1 = (cell / nc2) % nc1, b2 = cell % nc2;
    // neighbour cells in runs: consecutive c2 with one lattice image are consecutive cells, hence one slot range
    let q = 0;
    for (let d0 = 0; d0 <= 2 * r0; d0++) {
      const c0 = I(wrap0, 2 * (b0 + d0)), m0 = I(wrap0, 2 * (b0 + d0) + 1);
      for (let d1 = 0; d1 <= 2 * r1; d1++) {
        const c1 = I(wrap1, 2 * (b1 + d1)), m1 = I(wrap1, 2 * (b1 + d1) + 1);
        for (let d2 = 0; d2 <= 2 * r2; d2++) {
          const c2 = I(wrap2, 2 * (b2 + d2)), m2 = I(wrap2, 2 * (b2 + d2) + 1);
          const cellQ = c0 * n12 + c1 * nc2 + c2;
          if (d2 > 0 && m2 == I(wrap2, 2 * (b2 + d2 - 1) + 1)) {
            store<i32>(nbLast + (<usize>(q - 1) << 2), cellQ);
            continue;
          }
          const fm0 = <f64>m0, fm1 = <f64>m1, fm2 = <f64>m2;
          store<i32>(nbCell + (<usize>q << 2), cellQ);
          store<i32>(nbLast + (<usize>q << 2), cellQ);
          const im = nbImage + <usize>q * 12;
          store<i32>(im, m0);
          store<i32>(im, m1, 4);
          store<i32>(im, m2, 8);
          const t = nbT + <usize>q * 24;
          store<f64>(t, fm0 * L0 + fm1 * L3 + fm2 * L6);
          store<f64>(t, fm0 * L1 + fm1 * L4 + fm2 * L7, 8);
          store<f64>(t, fm0 * L2 + fm1 * L5 + fm2 * L8, 16);
          q++;
        }
      }
    }
    const nRuns = q;
    for (let s = sBegin; s < sEnd; s++) {
      store<i32>(rowStart + (<usize>s << 2), np);
      const i = I(order, s);
      if (isCentre != 0 && load<u8>(isCentre + <usize>i) == 0) continue;
      const xi = F(SX, s), yi = F(SY, s), zi = F(SZ, s);
      ti_ = types != 0 ? I(types, i) * nT : 0;
      s_ = s;
      const sh = shift + <usize>i * 12;
      si0_ = load<i32>(sh);
      si1_ = load<i32>(sh, 4);
      si2_ = load<i32>(sh, 8);
      for (q = 0; q < nRuns; q++) {
        const im = nbImage + <usize>q * 12;
        m0_ = load<i32>(im);
        m1_ = load<i32>(im, 4);
        m2_ = load<i32>(im, 8);
        self_ = m0_ == 0 && m1_ == 0 && m2_ == 0;
        const t = nbT + <usize>q * 24;
        const tx = load<f64>(t), ty = load<f64>(t, 8), tz = load<f64>(t, 16);
        const e = I(start, I(nbLast, q) + 1);
        let p = I(start, I(nbCell, q));
        for (; p < e; p++) {
          const dx = F(SX, p) + tx - xi, dy = F(SY, p) + ty - yi, dz = F(SZ, p) + tz - zi;
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 <= cut2) record(p, d2, order);
        }
      }
    }
  }
  store<i32>(rowStart + (<usize>n << 2), np);
  claim(base + <usize>np * PAIR);
  // reorder rows by site
  store<i32>(offsets, 0);
  for (let s = 0; s < n; s++) store<i32>(offsets + (<usize>(I(order, s) + 1) << 2), I(rowStart, s + 1) - I(rowStart, s));
  for (let i = 0; i < n; i++) {
    const o = offsets + (<usize>(i + 1) << 2);
    store<i32>(o, load<i32>(o) + I(offsets, i));
  }
  const up = <usize>np;
  const jOut = alloc(up << 2);
  const imgOut = alloc(up * 12);
  const dOut = alloc(up << 3);
  for (let s = 0; s < n; s++) {
    let to = <usize>I(offsets, I(order, s));
    const pEnd = I(rowStart, s + 1);
    for (let p = I(rowStart, s); p < pEnd; p++, to++) {
      const r = base + <usize>p * PAIR;
      store<i32>(jOut + (to << 2), load<i32>(r));
      store<i32>(imgOut + to * 12, load<i32>(r, 4));
      store<i32>(imgOut + to * 12, load<i32>(r, 8), 4);
      store<i32>(imgOut + to * 12, load<i32>(r, 12), 8);
      store<f64>(dOut + (to << 3), load<f64>(r, 16));
    }
  }
  store<i32>(res, np);
  store<i32>(res, <i32>jOut, 4);
  store<i32>(res, <i32>imgOut, 8);
  store<i32>(res, <i32>dOut, 12);
}

// State of the current search, shared with record() (globals: the kernels allocate nothing on the runtime heap).
let base: usize = 0;
let cap: usize = 0;
let np: i32 = 0;
let shift: usize = 0;
let types_: usize = 0;
let pc2_: usize = 0;
let s_: i32 = 0;
let ti_: i32 = 0;
let si0_: i32 = 0;
let si1_: i32 = 0;
let si2_: i32 = 0;
let m0_: i32 = 0;
let m1_: i32 = 0;
let m2_: i32 = 0;
let self_: bool = false;

/** Keep slot p at squared distance d2 ≤ cutoff² from the current centre, unless it is the centre itself or its per-pair cutoff excludes it. */
// @ts-ignore: decorator
@inline function record(p: i32, d2: f64, order: usize): void {
  if (self_ && p == s_) return;
  const j = I(order, p);
  if (pc2_ != 0 && !(d2 <= F(pc2_, ti_ + I(types_, j)))) return;
  const r = base + <usize>np * PAIR;
  if (r + PAIR > cap) {
    cap = base + (cap - base) * 2;
    ensure(cap);
  }
  const sj = shift + <usize>j * 12;
  store<i32>(r, j);
  store<i32>(r, m0_ - load<i32>(sj) + si0_, 4);
  store<i32>(r, m1_ - load<i32>(sj, 4) + si1_, 8);
  store<i32>(r, m2_ - load<i32>(sj, 8) + si2_, 12);
  store<f64>(r, Math.sqrt(d2), 16);
  np++;
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
  buildGrid(L, refFrac, m, nc);
  const nc0 = grid.nc0, nc1 = grid.nc1, nc2 = grid.nc2;
  const r0 = I(reach, 0), r1 = I(reach, 1), r2 = I(reach, 2);
  const W = grid.wrapped, start = grid.start, order = grid.order;
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
