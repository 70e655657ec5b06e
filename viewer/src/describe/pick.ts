/**
 * Picking by ray–sphere intersection over instance matrices (exact for spheres and far cheaper than testing
 * every triangle of every instance). Matrices are the column-major 4×4 ones of sphereMatrices: the scale is the
 * radius, the translation the centre.
 */
export interface Hit {
  instance: number;
  /** distance along the (unit) ray to the sphere's surface */
  t: number;
}

export function pickSpheres(origin: ArrayLike<number>, dir: ArrayLike<number>, matrices: ArrayLike<number>, count: number): Hit | undefined {
  let best: Hit | undefined;
  for (let i = 0; i < count; i++) {
    const o = 16 * i;
    const r = matrices[o];
    const cx = matrices[o + 12] - origin[0], cy = matrices[o + 13] - origin[1], cz = matrices[o + 14] - origin[2];
    const along = cx * dir[0] + cy * dir[1] + cz * dir[2];
    if (along < 0) continue;
    const d2 = cx * cx + cy * cy + cz * cz - along * along;
    if (d2 > r * r) continue;
    const t = along - Math.sqrt(r * r - d2);
    if (!best || t < best.t) best = { instance: i, t };
  }
  return best;
}
