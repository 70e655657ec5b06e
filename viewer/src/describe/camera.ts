/**
 * Camera presets: look along a, b or c, or down the stacking axis (the normal of the close-packed layers).
 * Each preset gives the viewing direction (unit vector from the target towards the camera) and an up vector
 * perpendicular to it.
 */
export type Preset = 'a' | 'b' | 'c' | 'stacking';

type V3 = [number, number, number];

const norm = (v: V3): V3 => {
  const l = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / l, v[1] / l, v[2] / l];
};
const cross = (p: V3, q: V3): V3 => [p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0]];
const dot = (p: V3, q: V3) => p[0] * q[0] + p[1] * q[1] + p[2] * q[2];
const row = (l: ArrayLike<number>, i: number): V3 => [l[3 * i], l[3 * i + 1], l[3 * i + 2]];

/** Unit normal of the a–b plane (c* direction): the stacking axis of a hexagonal-setting layered cell. */
export function abNormal(lattice: ArrayLike<number>): V3 {
  const n = norm(cross(row(lattice, 0), row(lattice, 1)));
  return dot(n, row(lattice, 2)) < 0 ? [-n[0], -n[1], -n[2]] : n;
}

/**
 * Direction and up vector of a preset. `stackingAxis` (unit, Cartesian) comes from the migration analysis when it
 * found one; otherwise the a–b normal stands in.
 */
export function presetView(preset: Preset, lattice: ArrayLike<number>, stackingAxis?: V3): { dir: V3; up: V3 } {
  const dir =
    preset === 'stacking' ? norm(stackingAxis ?? abNormal(lattice)) : norm(row(lattice, preset === 'a' ? 0 : preset === 'b' ? 1 : 2));
  // up: the next lattice vector with its component along dir removed, so the picture keeps a crystal edge upright
  const other = preset === 'c' || preset === 'stacking' ? row(lattice, 1) : row(lattice, 2);
  const d = dot(other, dir);
  let up: V3 = [other[0] - d * dir[0], other[1] - d * dir[1], other[2] - d * dir[2]];
  if (Math.hypot(...up) < 1e-6) up = Math.abs(dir[2]) < 0.9 ? [0, 0, 1] : [0, 1, 0];
  return { dir, up: norm(up) };
}
