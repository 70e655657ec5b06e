import type { NebAnalysis } from '../../../src/analysis/neb.js';

/**
 * Migration paths: the migrating atoms' unwrapped positions through all images (from `nebAnalysis`) as
 * polylines (the scene puts ghost spheres at both ends), and frame positions in which the movers follow their
 * unwrapped path instead of jumping across the cell boundary.
 */
export type AtomPath = NebAnalysis['path'][number];

/** One polyline per migrating atom: 3 floats per image, Å. */
export function pathPolylines(paths: AtomPath[]): Float32Array[] {
  return paths.map((p) => Float32Array.from(p.positions.flat()));
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
