import { invert3 } from '../../math/lattice.js';

/**
 * Periodic cell helpers shared by the neighbour search and the site assignment: wrapping into the cell,
 * perpendicular widths, and the linked-cell grid. The WASM engine follows the same arithmetic step by step,
 * so both engines agree on which pairs sit exactly at a cutoff.
 */

/** Distance between opposite faces of the cell along each lattice direction (Å): V / |b × c| etc. */
export function perpendicularWidths(L: ArrayLike<number>): [number, number, number] {
  const inv = invert3(L);
  // rows of L⁻ᵀ are the reciprocal vectors; the face spacing is 1 / |reciprocal vector|
  const w = (k: number) => 1 / Math.hypot(inv[k], inv[3 + k], inv[6 + k]);
  return [w(0), w(1), w(2)];
}

/** Largest number of grid cells the search builds per atom; keeps sparse cells with tiny cutoffs in memory. */
export const MAX_CELLS_PER_ATOM = 2;

export interface Grid {
  /** cells along a, b, c */
  nc: Int32Array;
  /** how many cells to search on each side along a, b, c */
  reach: Int32Array;
  /** atoms of cell k are order[start[k] .. start[k+1]) */
  start: Int32Array;
  order: Int32Array;
  /** wrapped Cartesian positions by atom (3N), the same in grid-slot order (3N), and the integer lattice shift that wrapped each atom (3N) */
  wrapped: Float64Array;
  sorted: Float64Array;
  shift: Int32Array;
  /** grid cell of each atom */
  cellOf: Int32Array;
}

/**
 * Cells along each axis and the search reach, for a cutoff r: each cell is at least r thick when the cell allows
 * it (then reach 1); when r exceeds a perpendicular width the single cell is searched over ⌈r/w⌉ images each side.
 */
export function gridShape(L: ArrayLike<number>, cutoff: number, nAtoms: number): { nc: Int32Array; reach: Int32Array } {
  const w = perpendicularWidths(L);
  const nc = new Int32Array(3);
  for (let k = 0; k < 3; k++) nc[k] = Math.max(1, Math.min(1 << 20, Math.floor(w[k] / cutoff)));
  const cap = Math.max(8, MAX_CELLS_PER_ATOM * nAtoms);
  while (nc[0] * nc[1] * nc[2] > cap) {
    const k = nc[0] >= nc[1] && nc[0] >= nc[2] ? 0 : nc[1] >= nc[2] ? 1 : 2;
    nc[k] = Math.max(1, nc[k] >> 1);
  }
  const reach = new Int32Array(3);
  // atoms in cells δ apart along k differ by more than (|δ| − 1)/nc in fractional k, i.e. (|δ| − 1)·w/nc in Å
  for (let k = 0; k < 3; k++) reach[k] = nc[k] * cutoff <= w[k] ? 1 : Math.ceil((cutoff * nc[k]) / w[k]);
  return { nc, reach };
}

/** Wrap fractional positions into [0, 1) and bin them into the grid (counting sort by cell). */
export function buildGrid(L: ArrayLike<number>, frac: Float64Array, nc: Int32Array, reach: Int32Array): Grid {
  const n = frac.length / 3;
  const wrapped = new Float64Array(3 * n);
  const shift = new Int32Array(3 * n);
  const cellOf = new Int32Array(n);
  const nCells = nc[0] * nc[1] * nc[2];
  const start = new Int32Array(nCells + 1);
  for (let i = 0; i < n; i++) {
    let cell = 0;
    const w = [0, 0, 0];
    for (let k = 0; k < 3; k++) {
      const f = frac[3 * i + k];
      const s = Math.floor(f);
      const u = f - s;
      shift[3 * i + k] = s;
      w[k] = u;
      let b = Math.floor(u * nc[k]);
      if (b >= nc[k]) b = nc[k] - 1;
      cell = cell * nc[k] + b;
    }
    for (let k = 0; k < 3; k++) wrapped[3 * i + k] = w[0] * L[k] + w[1] * L[3 + k] + w[2] * L[6 + k];
    cellOf[i] = cell;
    start[cell + 1]++;
  }
  for (let k = 0; k < nCells; k++) start[k + 1] += start[k];
  const fill = start.slice(0, nCells);
  const order = new Int32Array(n);
  const sorted = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const slot = fill[cellOf[i]]++;
    order[slot] = i;
    sorted[3 * slot] = wrapped[3 * i];
    sorted[3 * slot + 1] = wrapped[3 * i + 1];
    sorted[3 * slot + 2] = wrapped[3 * i + 2];
  }
  return { nc, reach, start, order, wrapped, sorted, shift, cellOf };
}

/** Cell and lattice image of the unbounded grid index v − reach, for v = 0 … nc + 2·reach − 1. */
export function axisTable(nc: number, reach: number): [Int32Array, Int32Array] {
  const len = nc + 2 * reach;
  const wrap = new Int32Array(len);
  const image = new Int32Array(len);
  for (let v = 0; v < len; v++) {
    const m = Math.floor((v - reach) / nc);
    image[v] = m;
    wrap[v] = v - reach - m * nc;
  }
  return [wrap, image];
}
