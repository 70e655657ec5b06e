/** Small LOBSTER outputs: atomic charges (CHARGE.lobster) and the run log (lobsterout). */

/** Mulliken and Löwdin charges per atom, in elementary charges (positive = electron loss). */
export interface Charges {
  /** LOBSTER atom labels in POSCAR order (`Na1`, `Cl5`) */
  labels: string[];
  elements: string[];
  mulliken: Float64Array;
  loewdin: Float64Array;
}

/**
 * Löwdin charges in the LCFO basis (CHARGE.LCFO.lobster, LOBSTER ≥ 5.1): one value per local fragment orbital
 * fragment, in elementary charges (positive = electron loss). Fragments are not atoms: a molecule-like fragment
 * (`AlN`) and single-atom fragments (`Al`, `N`) are listed side by side; LOBSTER gives no Mulliken charges here.
 */
export interface LcfoCharges {
  basis: 'lcfo';
  /** fragment names as written (`AlN`, `Al`, `N`) and their labels in the other LCFO files (`AlN_1`, `Al_2`) */
  fragments: string[];
  labels: string[];
  loewdin: Float64Array;
  /** the `total` line */
  total: number;
}

export interface LobsterBasis {
  element: string;
  /** name of the basis set in parentheses (`pbeVaspFit2015`, `bunge`) */
  basisSet: string;
  /** basis functions as listed, e.g. ['3s', '4s', '3p_y', …] */
  functions: string[];
}

export interface LobsterOut {
  /** e.g. '5.1.1' */
  version: string;
  basis: LobsterBasis[];
  /** absolute charge spilling in %, one entry per spin channel (one entry when the log lists one) */
  chargeSpilling: number[];
  /** absolute total spilling in %, per spin channel; empty when the log omits it (LOBSTER ≥ 5) */
  totalSpilling: number[];
  /** LOBSTER could not orthonormalise some k-points and dumped bandOverlaps.lobster */
  bandOverlapsWarning: boolean;
  /** WARNING messages without the `WARNING:` prefix; consecutive WARNING lines are joined into one message */
  warnings: string[];
  /** wall time of the run in seconds; NaN when the log is cut before `finished in` */
  wallTimeSeconds: number;
  /** threads used, when the log says */
  threads?: number;
}
