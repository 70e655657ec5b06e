import type { NebAnalysis } from '../../../src/analysis/neb.js';

/**
 * Migration paths: the migrating atoms' unwrapped positions through all images (from `nebAnalysis`) as
 * polylines, ghost spheres at the start and end, and frame positions in which the movers follow their
 * unwrapped path instead of jumping across the cell boundary.
 */
export type AtomPath = NebAnalysis['path'][number];

/** One polyline per migrating atom: 3 floats per image, Å. */
export function pathPolylines(paths: AtomPath[]): Float32Array[] {
  return paths.map((p) => Float32Array.from(p.positions.flat()));
}

/** Ghost positions (3 floats each, Å): the first and the last image of every migrating atom. */
export function ghostPositions(paths: AtomPath[]): Float32Array {
  const out: number[] = [];
  for (const p of paths) out.push(...p.positions[0], ...p.positions[p.positions.length - 1]);
  return Float32Array.from(out);
}

/** Cartesian positions of a frame with every migrating atom placed on its unwrapped path. */
export function framePositions(cart: Float64Array, paths: AtomPath[], frame: number): Float64Array {
  if (paths.length === 0) return cart;
  const out = Float64Array.from(cart);
  for (const p of paths) {
    const q = p.positions[Math.min(frame, p.positions.length - 1)];
    out[3 * p.index] = q[0];
    out[3 * p.index + 1] = q[1];
    out[3 * p.index + 2] = q[2];
  }
  return out;
}
