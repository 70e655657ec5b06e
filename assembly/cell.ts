// Linked-cell grid over wrapped positions; the same arithmetic as src/kernels/js/cell.ts so that both engines
// bin atoms identically and visit pairs in the same order. The grid shape (cells and reach per axis) is computed
// once on the JS side and passed in.

import { alloc } from './arena';

// @ts-ignore: decorator
@inline export function F(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

// @ts-ignore: decorator
@inline export function I(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

/** ⌊a / b⌋ for b > 0 */
// @ts-ignore: decorator
@inline export function floorDiv(a: i32, b: i32): i32 {
  const q = a / b;
  return a % b < 0 ? q - 1 : q;
}

// The grid of the current call, as globals: the kernels allocate nothing on the runtime heap, which the
// arena overlays.
export let nc0: i32 = 0;
export let nc1: i32 = 0;
export let nc2: i32 = 0;
/** cell start offsets (nCells + 1 i32) */
export let start: usize = 0;
/** atom index per grid slot (n i32) */
export let order: usize = 0;
/** wrapped Cartesian x, y, z in grid-slot order (n f64 each; separate arrays so two slots load as one f64x2) */
export let sortedX: usize = 0;
export let sortedY: usize = 0;
export let sortedZ: usize = 0;
/** wrapped Cartesian positions by atom (3n f64) */
export let wrapped: usize = 0;
/** integer wrap shift by atom (3n i32) */
export let shift: usize = 0;
/** grid cell by atom (n i32) */
export let cellOf: usize = 0;

/** Fractional coordinates (frac, 3n f64) → grid. */
export function buildGrid(L: usize, frac: usize, n: i32, nc: usize): void {
  nc0 = I(nc, 0);
  nc1 = I(nc, 1);
  nc2 = I(nc, 2);
  const nCells = nc0 * nc1 * nc2;
  const un = <usize>n;
  wrapped = alloc(un * 24);
  sortedX = alloc(un << 3);
  sortedY = alloc(un << 3);
  sortedZ = alloc(un << 3);
  shift = alloc(un * 12);
  cellOf = alloc(un << 2);
  order = alloc(un << 2);
  start = alloc((<usize>nCells + 1) << 2);
  memory.fill(start, 0, (<usize>nCells + 1) << 2);
  for (let i = 0; i < n; i++) {
    const f0 = F(frac, 3 * i), f1 = F(frac, 3 * i + 1), f2 = F(frac, 3 * i + 2);
    const s0 = Math.floor(f0), s1 = Math.floor(f1), s2 = Math.floor(f2);
    const u0 = f0 - s0, u1 = f1 - s1, u2 = f2 - s2;
    store<i32>(shift + (<usize>(3 * i) << 2), <i32>s0);
    store<i32>(shift + (<usize>(3 * i + 1) << 2), <i32>s1);
    store<i32>(shift + (<usize>(3 * i + 2) << 2), <i32>s2);
    let b0 = <i32>Math.floor(u0 * <f64>nc0);
    if (b0 >= nc0) b0 = nc0 - 1;
    let b1 = <i32>Math.floor(u1 * <f64>nc1);
    if (b1 >= nc1) b1 = nc1 - 1;
    let b2 = <i32>Math.floor(u2 * <f64>nc2);
    if (b2 >= nc2) b2 = nc2 - 1;
    const cell = (b0 * nc1 + b1) * nc2 + b2;
    const w = wrapped + (<usize>(3 * i) << 3);
    store<f64>(w, u0 * F(L, 0) + u1 * F(L, 3) + u2 * F(L, 6));
    store<f64>(w, u0 * F(L, 1) + u1 * F(L, 4) + u2 * F(L, 7), 8);
    store<f64>(w, u0 * F(L, 2) + u1 * F(L, 5) + u2 * F(L, 8), 16);
    store<i32>(cellOf + (<usize>i << 2), cell);
    const sp = start + (<usize>(cell + 1) << 2);
    store<i32>(sp, load<i32>(sp) + 1);
  }
  for (let k = 0; k < nCells; k++) {
    const sp = start + (<usize>(k + 1) << 2);
    store<i32>(sp, load<i32>(sp) + I(start, k));
  }
  const fill = alloc(<usize>nCells << 2);
  memory.copy(fill, start, <usize>nCells << 2);
  for (let i = 0; i < n; i++) {
    const fp = fill + (<usize>I(cellOf, i) << 2);
    const slot = load<i32>(fp);
    store<i32>(fp, slot + 1);
    store<i32>(order + (<usize>slot << 2), i);
    const w = wrapped + <usize>i * 24;
    store<f64>(sortedX + (<usize>slot << 3), load<f64>(w));
    store<f64>(sortedY + (<usize>slot << 3), load<f64>(w, 8));
    store<f64>(sortedZ + (<usize>slot << 3), load<f64>(w, 16));
  }
}

/** Cartesian (3n) → fractional (3n) with the inverse lattice `inv`. */
export function toFrac(inv: usize, cart: usize, n: i32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const x = F(cart, 3 * i), y = F(cart, 3 * i + 1), z = F(cart, 3 * i + 2);
    for (let k = 0; k < 3; k++) store<f64>(out + (<usize>(3 * i + k) << 3), x * F(inv, k) + y * F(inv, 3 + k) + z * F(inv, 6 + k));
  }
}

/** (cell, image) pairs along one axis for the grid indices −reach … nc + reach − 1, as 2 i32 each. */
export function axisTable(nc: i32, reach: i32): usize {
  const len = nc + 2 * reach;
  const t = alloc(<usize>len << 3);
  for (let v = 0; v < len; v++) {
    const m = floorDiv(v - reach, nc);
    store<i32>(t + (<usize>v << 3), v - reach - m * nc);
    store<i32>(t + (<usize>v << 3), m, 4);
  }
  return t;
}
