/**
 * Picking by ray–sphere intersection over the drawn sphere centres (exact for spheres, and far cheaper than
 * testing the triangles of every atom).
 */
export interface Hit {
  instance: number;
  /** distance along the (unit) ray to the sphere's surface */
  t: number;
}

/** The nearest sphere of radius `r` (centres: 3 floats each) that the ray origin + t·dir (t ≥ 0) hits. */
export function pickSpheres(origin: ArrayLike<number>, dir: ArrayLike<number>, centres: ArrayLike<number>, r: number): Hit | undefined {
  let best: Hit | undefined;
  for (let i = 0; 3 * i < centres.length; i++) {
    const cx = centres[3 * i] - origin[0], cy = centres[3 * i + 1] - origin[1], cz = centres[3 * i + 2] - origin[2];
    const along = cx * dir[0] + cy * dir[1] + cz * dir[2];
    if (along < 0) continue;
    const d2 = cx * cx + cy * cy + cz * cz - along * along;
    if (d2 > r * r) continue;
    const t = along - Math.sqrt(r * r - d2);
    if (!best || t < best.t) best = { instance: i, t };
  }
  return best;
}
