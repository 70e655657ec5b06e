import type { Lattice } from './lattice.js';
import { makeStructure, type Structure } from './structure.js';

/**
 * Frames of one set of sites (XDATCAR, or NEB images viewed as a path).
 * Coordinates are fractional as written (VASP wraps them into the cell); use the unwrapping
 * helper before drawing paths.
 */
export interface Trajectory {
  comment: string;
  species: string[];
  nSites: number;
  nFrames: number;
  /** fractional coordinates, frame-major: frac[(frame * nSites + site) * 3 + k] */
  frac: Float64Array;
  /** 9 numbers per frame when `variableCell`, else 9 numbers for all frames (Å, rows a, b, c) */
  lattices: Float64Array;
  variableCell: boolean;
  /** ionic step number of each frame from `Direct configuration= N` (frame index + 1 when absent) */
  steps: Int32Array;
  /** true when the file ended inside a frame; that frame is not included */
  truncated: boolean;
}

export function frameLattice(t: Trajectory, frame: number): Lattice {
  return t.variableCell ? t.lattices.subarray(9 * frame, 9 * frame + 9) : t.lattices.subarray(0, 9);
}

export function frameFrac(t: Trajectory, frame: number): Float64Array {
  return t.frac.subarray(frame * t.nSites * 3, (frame + 1) * t.nSites * 3);
}

/** One frame as a Structure (coordinates are views into the trajectory's arrays, not copies). */
export function frameStructure(t: Trajectory, frame: number): Structure {
  return makeStructure({ comment: `${t.comment} (step ${t.steps[frame]})`, lattice: frameLattice(t, frame), species: t.species, frac: frameFrac(t, frame) });
}
