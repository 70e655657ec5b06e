import type { Kernels } from '../kernels/types.js';
import { frameFrac, frameLattice, type Trajectory } from '../model/trajectory.js';
import { fracToCart, invert3 } from '../model/lattice.js';

/**
 * Cartesian positions (Å) per frame, made continuous: each site moves from one frame to the next by its
 * minimum-image displacement, so paths do not jump across the cell where VASP wrapped the coordinates.
 * The image shift is kept in fractional units, so with a variable cell the positions follow the cell of each frame.
 * Layout as `Trajectory.frac`: out[(frame * nSites + site) * 3 + k].
 */
export function unwrapTrajectory(traj: Trajectory, kernels: Kernels): Float64Array {
  const n3 = traj.nSites * 3;
  const out = new Float64Array(traj.nFrames * n3);
  if (traj.nFrames === 0) return out;
  // unwrapped fractional coordinates of the previous frame
  const prev = Float64Array.from(frameFrac(traj, 0));
  out.set(fracToCart(frameLattice(traj, 0), prev), 0);
  let prevRaw = frameFrac(traj, 0);
  for (let f = 1; f < traj.nFrames; f++) {
    const lattice = frameLattice(traj, f);
    const raw = frameFrac(traj, f);
    const d = kernels.minImage(lattice, prevRaw, raw);
    const dFrac = fracToCart(invert3(lattice), d);
    // snap to the file's coordinate plus a whole lattice shift: no drift from summing displacements
    for (let i = 0; i < n3; i++) prev[i] = raw[i] + Math.round(prev[i] + dFrac[i] - raw[i]);
    out.set(fracToCart(lattice, prev), f * n3);
    prevRaw = raw;
  }
  return out;
}
