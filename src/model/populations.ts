/**
 * Per-atom quantities of a run beyond the structure: Bader volumes (ACF.dat), LOBSTER site potentials, Madelung
 * energies and gross populations, VASP magnetic moments. Arrays are in POSCAR order, one entry per atom.
 */

/** Bader's ACF.dat: electrons inside each atom's Bader volume. */
export interface BaderCharges {
  /** Cartesian position of each atom (Å), as the file lists it */
  cart: Float64Array;
  /** electrons in the Bader volume of each atom (the `CHARGE` column; valence electrons only for VASP) */
  electrons: Float64Array;
  /** distance from the atom to the nearest point of its volume's surface (Å) */
  minDist: Float64Array;
  /** Bader volume of each atom (Å³) */
  volume: Float64Array;
  vacuumCharge: number;
  vacuumVolume: number;
  /** `NUMBER OF ELECTRONS` of the footer; NaN when the file has no footer */
  totalElectrons: number;
}

/** LOBSTER SitePotentials.lobster: the Madelung site potential of each atom from Mulliken and Löwdin charges. */
export interface SitePotentials {
  labels: string[];
  elements: string[];
  /** eV, from Mulliken charges */
  mulliken: Float64Array;
  /** eV, from Löwdin charges */
  loewdin: Float64Array;
  /** Madelung energy of the cell (eV) from the footer; NaN when absent */
  madelungMulliken: number;
  madelungLoewdin: number;
  /** Ewald splitting parameter (1/Å) from the header; NaN when absent */
  ewaldSplitting: number;
}

/** LOBSTER MadelungEnergies.lobster: the Madelung energy of the cell. */
export interface MadelungEnergies {
  /** Ewald splitting parameter (1/Å) */
  ewaldSplitting: number;
  /** eV per cell */
  mulliken: number;
  loewdin: number;
}

/** LOBSTER GROSSPOP.lobster: gross orbital populations (electrons) per atom, Mulliken and Löwdin. */
export interface GrossPopulations {
  labels: string[];
  elements: string[];
  nspin: 1 | 2;
  /** per atom: basis function → populations per spin (one entry non-spin, two spin-polarised), with `total` */
  mulliken: Record<string, number[]>[];
  loewdin: Record<string, number[]>[];
}

/** VASP OUTCAR `magnetization (x|y|z)` tables of the last ionic step that wrote them. */
export interface Magnetization {
  /** column names after the ion number: `s p d tot` or `s p d f tot` */
  columns: string[];
  /** component → per-ion rows (one array of `columns.length` values per ion); `x` always, `y`/`z` in non-collinear runs */
  components: Partial<Record<'x' | 'y' | 'z', Float64Array[]>>;
  /** how many `magnetization (x)` tables the file holds (the last is kept) */
  tables: number;
  /** 1-based line of the last `magnetization (x)` heading */
  line: number;
}

/** Valence electrons of one POTCAR of a run: its element (from TITEL) and ZVAL. */
export interface PotcarValence {
  /** `PAW_PBE Mn_pv 07Sep2000` */
  titel: string;
  element: string;
  zval: number;
}
