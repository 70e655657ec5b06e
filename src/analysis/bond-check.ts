import type { Structure } from '../model/structure.js';
import type { BondAtom } from '../model/cohp.js';
import { cellVolume } from '../model/lattice.js';
import { MismatchError } from '../errors.js';

/**
 * LOBSTER bonds against the structure they are said to belong to. LOBSTER numbers atoms in the order of the POSCAR
 * it read and prints each bond's length: a structure of another run (other atoms, or the same atoms in another
 * geometry, e.g. the CONTCAR of a relaxation beside the POSCAR LOBSTER read) would regroup the bonds silently by
 * wrong O classes. Any mismatch is a MismatchError naming both files.
 */

/** LOBSTER prints lengths to 5 decimals (ICOHPLIST) or more (COHPCAR labels); a geometry that differs by more is another one. */
export const BOND_LENGTH_TOLERANCE = 0.01;

export interface CheckedBond {
  label: string;
  atoms: BondAtom[];
  /** Å; NaN when the file gives none (multi-centre entries) */
  length: number;
}

/** The shortest distance between the planes of lattice points: how many cells a bond of length L may span. */
function minPlaneSpacing(l: Float64Array): number {
  const v = Math.abs(cellVolume(l));
  const cross = (i: number, j: number) => {
    const a = l.subarray(3 * i, 3 * i + 3), b = l.subarray(3 * j, 3 * j + 3);
    return Math.hypot(a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]);
  };
  return v / Math.max(cross(1, 2), cross(0, 2), cross(0, 1));
}

/**
 * The distance of some periodic image of `b` from `a` closest to `length` (Å). Images within the cells a bond of
 * that length can reach are all tried: LOBSTER lists a pair once per translation, COHPCAR labels name none.
 */
function nearestImageLength(s: Structure, a: number, b: number, length: number, reach: number): number {
  const l = s.lattice;
  const d = [0, 1, 2].map((k) => s.cart[3 * b + k] - s.cart[3 * a + k]);
  let best = Infinity;
  for (let i = -reach; i <= reach; i++) {
    for (let j = -reach; j <= reach; j++) {
      for (let k = -reach; k <= reach; k++) {
        const x = d[0] + i * l[0] + j * l[3] + k * l[6];
        const y = d[1] + i * l[1] + j * l[4] + k * l[7];
        const z = d[2] + i * l[2] + j * l[5] + k * l[8];
        const r = Math.hypot(x, y, z);
        if (Math.abs(r - length) < Math.abs(best - length)) best = r;
      }
    }
  }
  return best;
}

/** Throws a MismatchError for the first bond whose atoms or length do not fit `structure`. */
export function checkBondsAgainstStructure(bonds: readonly CheckedBond[], structure: Structure, files: { bonds: string; structure: string }): void {
  const names = [files.bonds, files.structure];
  const n = structure.species.length;
  const spacing = minPlaneSpacing(structure.lattice);
  for (const b of bonds) {
    for (const a of b.atoms) {
      if (a.number < 1 || a.number > n) throw new MismatchError(names, `bond ${b.label}: atom ${a.label} does not exist: the structure has ${n} sites`);
      const have = structure.species[a.number - 1];
      if (have !== a.element) throw new MismatchError(names, `bond ${b.label}: atom ${a.label} is ${have} in the structure (site ${a.number}), not ${a.element}`);
    }
    if (b.atoms.length !== 2 || !Number.isFinite(b.length)) continue;
    const reach = Math.ceil(b.length / spacing) + 1;
    const got = nearestImageLength(structure, b.atoms[0].number - 1, b.atoms[1].number - 1, b.length, reach);
    if (Math.abs(got - b.length) > BOND_LENGTH_TOLERANCE) {
      throw new MismatchError(
        names,
        `bond ${b.label} is ${b.length.toFixed(5)} Å in the LOBSTER file but no image of it is within ${BOND_LENGTH_TOLERANCE} Å of that in the structure (nearest ${got.toFixed(5)} Å): another geometry`,
      );
    }
  }
}
