/**
 * Bond-resolved populations from LOBSTER: COHP/COOP/COBI curves (COHPCAR.lobster and siblings) and the integrated
 * values at E_F (ICOHPLIST.lobster and siblings). Units: energies in eV, lengths in Å; COHP in eV per bond per spin
 * (COOP and COBI dimensionless), integrated values per bond per spin unless a field says `summed`.
 * Signs as LOBSTER writes them: COHP negative = bonding; COOP and COBI positive = bonding.
 */
export type CohpKind = 'cohp' | 'coop' | 'cobi';

/** One centre of a LOBSTER bond label such as `Mn12`, `Mn12[3d_xy]`, `Fe1[0 0 1]` or `B1[0 0 0][2s]`. */
export interface BondAtom {
  /** label as LOBSTER writes it: element symbol + 1-based number in POSCAR order (`Mn12`) */
  label: string;
  element: string;
  /** 1-based site number in the structure LOBSTER read (POSCAR order) */
  number: number;
  /** lattice translation of this centre (multi-centre COBI labels), when the label gives one */
  translation?: [number, number, number];
  /** orbital of this centre (`3d_xy`, `2p_x`) for orbital-resolved entries */
  orbital?: string;
}

/** One column pair (COHP, ICOHP) of a COHPCAR, i.e. one label line. */
export interface CohpBond {
  /** `k` of `No.k:` as written (LOBSTER ≥ 5 repeats the parent's k on orbital lines, older versions use k+1) */
  index: number;
  /** the label line as written, without `No.k:` */
  label: string;
  /** two centres, or more for multi-centre COBI */
  atoms: BondAtom[];
  /** bond length in Å; NaN when the label has none (multi-centre COBI, some old files) */
  length: number;
  /** orbital per centre when this entry is orbital-resolved, e.g. ['3d_xy', '2p_x'] */
  orbitals?: string[];
  /** position in `bonds` of the bond total this orbital-resolved entry belongs to */
  parent?: number;
  /**
   * the file has only orbital-wise lines for this bond (no summed line): this total is the sum of its orbital
   * pairs, added by the reader after the file's own entries
   */
  summedFromOrbitals?: boolean;
}

export interface Cohp {
  kind: CohpKind;
  /** Fermi level of the DFT run in eV, as in header line 2 (absolute) */
  efermi: number;
  nPoints: number;
  nspin: 1 | 2;
  /** energies in eV relative to the Fermi level (E − E_F): LOBSTER writes them already shifted */
  energies: Float64Array;
  /** true for multi-centre COBI files, which have no Average column */
  multiCentre: boolean;
  /** atoms, or LCFO fragments (`COHPCAR.LCFO.lobster`); absent means atoms */
  basis?: BondBasis;
  /** the file's Average column per spin, layout [s * nPoints + e]; absent for multi-centre COBI files */
  average?: { cohp: Float64Array; icohp: Float64Array };
  /** every label line in file order: bond totals and orbital-resolved entries */
  bonds: CohpBond[];
  /** COHP per entry and spin, layout [(bond * nspin + s) * nPoints + e] (bond = position in `bonds`) */
  cohp: Float64Array;
  /** integrated COHP (running integral from the lowest energy, as the file states it), same layout */
  icohp: Float64Array;
  /** what the reader had to say (bond totals summed from orbital lines) */
  warnings?: string[];
}

/** One spin channel of one entry as a view (no copy). */
export function cohpChannel(c: Cohp, bond: number, spin: number, which: 'cohp' | 'icohp' = 'cohp'): Float64Array {
  const start = (bond * c.nspin + spin) * c.nPoints;
  return c[which].subarray(start, start + c.nPoints);
}

/** Positions in `bonds` of the bond totals (each bond once, no orbital-resolved entries). */
export function bondTotals(bonds: { orbitals?: string[] }[]): number[] {
  const out: number[] = [];
  bonds.forEach((b, i) => {
    if (!b.orbitals) out.push(i);
  });
  return out;
}

/**
 * ICOHPLIST layouts, named by the LOBSTER generation that writes them:
 * - 'lobster-2': LOBSTER ≤ 2.2, 6 columns `k A B d ICOHP nbonds` (value averaged over nbonds symmetry-equivalent
 *   bonds), no translation; spin-polarised files repeat header + block for spin 2.
 * - 'lobster-3-4': LOBSTER 3.x–5.0, 8 columns `k A B d t1 t2 t3 ICOHP`; spin 2 again as a second block.
 * - 'lobster-5-spin-row': LOBSTER ≥ 5.1, two header lines (the second says `for spin 1 [for spin 2]`) and every
 *   spin as a column of the same row (7 + nspin columns).
 * - 'lobster-nc': NcICOBILIST.lobster (LOBSTER ≥ 5.1), `COBI# No. of atoms Nc-ICOBI … for spin 1 Atoms for Nc-ICOBI`:
 *   every line `k nAtoms value A[cell]->B[cell]->…` (orbital lines `A[2s]->B[3p]->…`), spin 2 as a second block.
 */
export type IcohpLayout = 'lobster-2' | 'lobster-3-4' | 'lobster-5-spin-row' | 'lobster-nc';

/**
 * What the centres of a LOBSTER bond are: atoms (`Mn12`), or LCFO fragments (LOBSTER ≥ 5.1 `*.LCFO.lobster`:
 * local fragment orbitals, labels `AlN_1`, `Al_2`). For a fragment, `BondAtom.element` holds the fragment's name
 * (`AlN`), `number` its 1-based fragment number, `orbital` a fragment orbital (`1a1`): they are not sites of the
 * structure.
 */
export type BondBasis = 'atoms' | 'lcfo';

export interface IcohpOrbitalPart {
  /** orbital per centre, e.g. ['3s', '3p_y'] */
  orbitals: string[];
  /** value per spin */
  values: number[];
}

export interface IcohpBond {
  /** `COHP#` column as written; LOBSTER reuses it on the orbital lines of the same bond */
  index: number;
  /** `Na1->Cl5` (or the multi-centre chain as written) */
  label: string;
  atoms: BondAtom[];
  /** Å; NaN when the line has none (multi-centre lines) */
  length: number;
  /** lattice translation of the second atom; undefined in the 'lobster-2' layout, which has none */
  translation?: [number, number, number];
  /** integrated value at E_F per spin (for 'lobster-2': averaged over nBondsAveraged bonds) */
  values: number[];
  /** sum over spins (what LobsterPy and pymatgen call summed_icohp) */
  summed: number;
  /** 'lobster-2' only: over how many symmetry-equivalent bonds the value is averaged; 1 otherwise */
  nBondsAveraged: number;
  /** orbital-resolved sub-lines of this bond (empty when the file has none) */
  parts: IcohpOrbitalPart[];
  /** a multi-centre ICOBI entry (LOBSTER ≥ 4.1), atoms has ≥ 2 centres with cells */
  multiCentre: boolean;
}

export interface IcohpList {
  kind: CohpKind;
  layout: IcohpLayout;
  /** atoms, or LCFO fragments (`ICOHPLIST.LCFO.lobster`); absent means atoms */
  basis?: BondBasis;
  nspin: 1 | 2;
  orbitalResolved: boolean;
  /** each bond once (per translation, as LOBSTER lists it), with its orbital parts */
  bonds: IcohpBond[];
}
