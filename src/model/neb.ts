import type { Structure } from './structure.js';
import type { Magnetization, PotcarValence } from './populations.js';

/** Energies and forces read from one OUTCAR (eV, eV/Å). */
export interface OutcarSummary {
  nions: number;
  /** absolute Fermi level (eV), NaN when absent */
  efermi: number;
  /** last `free  energy   TOTEN` (eV), NaN when absent */
  energy: number;
  /** last `energy(sigma->0)` (eV), NaN when absent */
  energySigma0: number;
  /** last `energy without entropy` (eV), NaN when absent */
  energyWithoutEntropy: number;
  /** last force block, Cartesian eV/Å, 3·nions; empty when the run wrote none */
  forces: Float64Array;
  /** largest per-atom force norm of the last block (eV/Å), NaN without forces */
  maxForce: number;
  /** VTST `NEB: projections on to tangent (spring, REAL)`: the REAL tangential force of the last step (eV/Å), NaN when absent */
  tangentForce: number;
  /**
   * The run converged, in the sense `convergence` names: for a relaxation or NEB (NSW > 0, IBRION 1–3) the ionic
   * loop reached the required accuracy on a converged last SCF loop; for finite differences (IBRION 5–8) the SCF
   * loop of every displacement converged; otherwise (static run, MD) the last SCF loop converged.
   */
  converged: boolean;
  /**
   * What `converged` means: `ionic` (relaxation/NEB: forces), `every-scf` (IBRION 5–8: each displacement is its
   * own SCF and there is no ionic loop to converge, so `ionicConverged` says nothing there), `last-scf` (static, MD).
   */
  convergence: 'ionic' | 'every-scf' | 'last-scf';
  /** the run wrote `reached required accuracy` */
  ionicConverged: boolean;
  /**
   * The SCF loop of the last completed ionic step (of every one, for IBRION 5–8) converged: it ended with `aborting
   * loop because EDIFF is reached` and used fewer than NELM electronic steps (a loop that ran to NELM is not
   * converged, whatever VASP printed after it).
   */
  electronicConverged: boolean;
  /** 1-based ionic steps whose SCF loop did not converge (EDIFF not reached, or all NELM steps used) */
  scfUnconverged: number[];
  /** 1-based ionic steps that used all NELM electronic steps (a subset of scfUnconverged) */
  atNelm: number[];
  /** NELM of the parameter echo (absent when the OUTCAR has none) */
  nelm?: number;
  /** IBRION of the parameter echo (absent when the OUTCAR has none) */
  ibrion?: number;
  /** NSW > 0 and IBRION 1, 2 or 3 (read from the parameter echo) */
  relaxation: boolean;
  /** the run reached VASP's timing block (did not crash or get killed) */
  finished: boolean;
  ionicSteps: number;
  vaspVersion?: string;
  /**
   * The per-atom moments (the last `magnetization (x)` table, and y/z of a non-collinear run; `tables` 0 when
   * ISPIN = 1), read in the same pass by the registry's OUTCAR reader; absent from readers that do not look.
   */
  magnetization?: Magnetization;
  /** ZVAL of each POTCAR in order, from the POTCAR headers the OUTCAR repeats (the registry's OUTCAR reader) */
  zval?: PotcarValence[];
}

/** A nudged-elastic-band run: images 00..NN. */
export interface NebPath {
  folder: string;
  /** image folder names in order (`00`, `01`, …) */
  names: string[];
  /** the structure of each image (POSCAR at the ends, CONTCAR inside when present) */
  images: Structure[];
  /** energy of each image in eV (which one: `energyKind`), NaN where no OUTCAR/OSZICAR was found */
  energies: Float64Array;
  energyKind: 'energySigma0' | 'energy' | 'energyWithoutEntropy' | 'oszicar-E0';
  /** tangential force per image (eV/Å), NaN where unknown (end points usually) */
  tangentForces: Float64Array;
  /** largest per-atom force per image (eV/Å), NaN where unknown */
  maxForces: Float64Array;
  /** per image: the OUTCAR said the run reached the required accuracy; null where unknown (no OUTCAR: OSZICAR does not say) */
  converged: (boolean | null)[];
  /** what the folder's files left uncertain (an empty CONTCAR, …) */
  warnings: string[];
}

/** Why an OUTCAR's run is not converged, in words (for warnings); undefined when it is. */
export function unconvergedReason(o: OutcarSummary): string | undefined {
  if (o.converged) return undefined;
  const steps = o.scfUnconverged;
  const list = `${steps.slice(0, 10).join(', ')}${steps.length > 10 ? ` … (${steps.length} in all)` : ''}`;
  const scf = steps.length === 0 ? '' : `the SCF loop did not converge in ionic step${steps.length === 1 ? '' : 's'} ${list}${o.atNelm.length > 0 ? ` (${o.atNelm.length} used all NELM = ${o.nelm} electronic steps)` : ''}`;
  if (o.convergence === 'every-scf') return `finite differences (IBRION ${o.ibrion}): ${scf || 'no displacement was computed'}`;
  if (o.convergence === 'ionic' && !o.ionicConverged) return `the ionic loop did not reach the required accuracy${scf ? `; ${scf}` : ''}`;
  return scf || 'the SCF loop of the last ionic step did not converge';
}
