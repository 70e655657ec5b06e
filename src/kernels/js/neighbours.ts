import type { NeighbourList, NeighbourOptions } from '../types.js';
import { cartToFrac, det3 } from '../../math/lattice.js';
import { axisTable, buildGrid, gridShape, type Grid } from './cell.js';

/**
 * Linked-cell neighbour search (O(N) at fixed density) in a triclinic cell. Atoms are wrapped into the cell and
 * binned on a grid whose cells are at least `cutoff` thick; each centre scans the cells within `reach` of its own,
 * indexing an unbounded periodic grid so that every (cell, lattice image) combination is visited once. When the
 * cutoff exceeds a perpendicular width, the reach covers every image that can hold a neighbour, including images
 * of the centre itself.
 *
 * Output rows are indexed by site (offsets has N + 1 entries); sites that are not centres have empty rows.
 * Within a row, pairs come in grid-traversal order (not sorted).
 */
export function neighbours(lattice: Float64Array, cart: Float64Array, cutoff: number, options: NeighbourOptions = {}): NeighbourList {
  const n = cart.length / 3;
  const { nc, reach } = gridShape(lattice, cutoff, n);
  const grid = buildGrid(lattice, cartToFrac(lattice, cart), nc, reach);
  return search(lattice, grid, cutoff, options);
}

function search(L: Float64Array, g: Grid, cutoff: number, options: NeighbourOptions): NeighbourList {
  const n = g.cellOf.length;
  const { nc, reach, start, order, sorted: S, shift } = g;
  const cut2 = cutoff * cutoff;
  const types = options.types;
  const nT = options.nTypes ?? 0;
  const pc = options.pairCutoffs;
  const pc2 = pc ? pc.map((c) => (c > 0 ? c * c : -1)) : undefined;
  const isCentre = options.centres ? new Uint8Array(n) : undefined;
  if (isCentre) for (const c of options.centres!) isCentre[c] = 1;

  // the cells around one cell: index, lattice image and its translation
  const nNb = (2 * reach[0] + 1) * (2 * reach[1] + 1) * (2 * reach[2] + 1);
  const nbCell = new Int32Array(nNb);
  const nbLast = new Int32Array(nNb);
  const nbImage = new Int32Array(3 * nNb);
  const nbT = new Float64Array(3 * nNb);

  // start from the expected number of pairs (uniform density) so that growing is rare
  const nCentres = options.centres ? options.centres.length : n;
  // per axis, the cell and lattice image of the unbounded grid index b + d − reach, indexed by b + d
  const tables = [0, 1, 2].map((k) => axisTable(nc[k], reach[k]));
  const wrap = tables.map((t) => t[0]);
  const image = tables.map((t) => t[1]);

  let cap = Math.max(1024, Math.ceil((1.25 * nCentres * n * (4 / 3) * Math.PI * cutoff ** 3) / Math.abs(det3(L))));
  let J = new Int32Array(cap);
  let IMG = new Int32Array(3 * cap);
  let D = new Float64Array(cap);
  // rows are built in grid-slot order (atoms of one cell share their neighbour cells in cache), then reordered
  const rowStart = new Int32Array(n + 1);
  let np = 0;
  const nCells = nc[0] * nc[1] * nc[2];
  const n12 = nc[1] * nc[2];
  const hasCentre = (cell: number) => {
    for (let s = start[cell]; s < start[cell + 1]; s++) if (!isCentre || isCentre[order[s]]) return true;
    return false;
  };
  for (let cell = 0; cell < nCells; cell++) {
    if (!hasCentre(cell)) {
      for (let s = start[cell]; s < start[cell + 1]; s++) rowStart[s] = np;
      continue;
    }
    const b0 = (cell / n12) | 0, b1 = ((cell / nc[2]) | 0) % nc[1], b2 = cell % nc[2];
    // neighbour cells in runs: consecutive c2 with one lattice image are consecutive cells, hence one slot range
    let q = 0;
    for (let d0 = 0; d0 <= 2 * reach[0]; d0++) {
      const c0 = wrap[0][b0 + d0], m0 = image[0][b0 + d0];
      for (let d1 = 0; d1 <= 2 * reach[1]; d1++) {
        const c1 = wrap[1][b1 + d1], m1 = image[1][b1 + d1];
        for (let d2 = 0; d2 <= 2 * reach[2]; d2++) {
          const c2 = wrap[2][b2 + d2], m2 = image[2][b2 + d2];
          const cellQ = c0 * n12 + c1 * nc[2] + c2;
          if (d2 > 0 && m2 === image[2][b2 + d2 - 1]) {
            nbLast[q - 1] = cellQ;
            continue;
          }
          nbCell[q] = nbLast[q] = cellQ;
          nbImage[3 * q] = m0;
          nbImage[3 * q + 1] = m1;
          nbImage[3 * q + 2] = m2;
          nbT[3 * q] = m0 * L[0] + m1 * L[3] + m2 * L[6];
          nbT[3 * q + 1] = m0 * L[1] + m1 * L[4] + m2 * L[7];
          nbT[3 * q + 2] = m0 * L[2] + m1 * L[5] + m2 * L[8];
          q++;
        }
      }
    }
    const nRuns = q;
    for (let s = start[cell]; s < start[cell + 1]; s++) {
      rowStart[s] = np;
      const i = order[s];
      if (isCentre && !isCentre[i]) continue;
      const xi = S[3 * s], yi = S[3 * s + 1], zi = S[3 * s + 2];
      const ti = types ? types[i] * nT : 0;
      for (q = 0; q < nRuns; q++) {
        const m0 = nbImage[3 * q], m1 = nbImage[3 * q + 1], m2 = nbImage[3 * q + 2];
        const tx = nbT[3 * q], ty = nbT[3 * q + 1], tz = nbT[3 * q + 2];
        const self = m0 === 0 && m1 === 0 && m2 === 0;
        for (let p = start[nbCell[q]], e = start[nbLast[q] + 1]; p < e; p++) {
          const dx = S[3 * p] + tx - xi, dy = S[3 * p + 1] + ty - yi, dz = S[3 * p + 2] + tz - zi;
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 > cut2 || (self && p === s)) continue;
          const j = order[p];
          if (pc2 && !(d2 <= pc2[ti + types![j]])) continue;
          if (np === cap) {
            cap *= 2;
            J = grow(J, cap);
            IMG = grow(IMG, 3 * cap);
            D = grow(D, cap);
          }
          J[np] = j;
          IMG[3 * np] = m0 - shift[3 * j] + shift[3 * i];
          IMG[3 * np + 1] = m1 - shift[3 * j + 1] + shift[3 * i + 1];
          IMG[3 * np + 2] = m2 - shift[3 * j + 2] + shift[3 * i + 2];
          D[np] = Math.sqrt(d2);
          np++;
        }
      }
    }
  }
  rowStart[n] = np;
  return bySite(order, rowStart, J, IMG, D);
}

/** Reorder rows built in grid-slot order into site order. */
function bySite(order: Int32Array, rowStart: Int32Array, J: Int32Array, IMG: Int32Array, D: Float64Array): NeighbourList {
  const n = order.length;
  const np = rowStart[n];
  const offsets = new Int32Array(n + 1);
  for (let s = 0; s < n; s++) offsets[order[s] + 1] = rowStart[s + 1] - rowStart[s];
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const j = new Int32Array(np);
  const image = new Int32Array(3 * np);
  const dist = new Float64Array(np);
  for (let s = 0; s < n; s++) {
    let to = offsets[order[s]];
    for (let p = rowStart[s]; p < rowStart[s + 1]; p++, to++) {
      j[to] = J[p];
      image[3 * to] = IMG[3 * p];
      image[3 * to + 1] = IMG[3 * p + 1];
      image[3 * to + 2] = IMG[3 * p + 2];
      dist[to] = D[p];
    }
  }
  return { offsets, j, image, dist };
}

function grow<T extends Int32Array | Float64Array>(a: T, size: number): T {
  const g = new (a.constructor as { new (n: number): T })(size);
  g.set(a);
  return g;
}

/** Per-centre neighbour counts by group of the neighbour: out[i * nGroups + group[j]]. */
export function countByGroup(list: NeighbourList, group: Int32Array, nGroups: number): Int32Array {
  const n = list.offsets.length - 1;
  const out = new Int32Array(n * nGroups);
  for (let i = 0; i < n; i++) {
    for (let p = list.offsets[i], e = list.offsets[i + 1]; p < e; p++) {
      const gj = group[list.j[p]];
      if (gj >= 0) out[i * nGroups + gj]++;
    }
  }
  return out;
}
