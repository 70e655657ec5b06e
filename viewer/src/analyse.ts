import type { Kernels, NeighbourList } from '../../src/kernels/types.js';
import type { Structure } from '../../src/model/structure.js';
import type { NebPath } from '../../src/model/neb.js';
import { makeStructure } from '../../src/model/structure.js';
import { frameStructure } from '../../src/model/trajectory.js';
import { cartToFrac } from '../../src/model/lattice.js';
import { anionNeighbours, type CensusResult, type CensusSite } from '../../src/analysis/census.js';
import { analyseStructure, nebFrames, pathCensusOf } from '../../src/pipeline/calculation.js';
import type { PathCensusResult, PathFrames } from '../../src/analysis/path-census.js';
import { OxyError } from '../../src/errors.js';
import { nebAnalysis, type NebAnalysis } from '../../src/analysis/neb.js';
import type { MigratedTm, MigrationResult } from '../../src/analysis/migration.js';
import type { Arrow } from './describe/arrows.js';
import { groupSites, type AtomGroup } from './describe/atoms.js';
import { halfBonds } from './describe/bonds.js';
import { clustersOf, type Cluster } from './describe/clusters.js';
import { framePositions } from './describe/paths.js';
import { covalentCutoffs, type SiteRole } from './describe/style.js';
import type { Dataset } from './load.js';

/**
 * What the scene and the panel show for a loaded dataset, computed in the page: the census and migration of each
 * frame from the calculation pipeline (analyseStructure, the same rules as `report`: classes change along an NEB
 * path), bonds by the census cutoffs, O5 clusters, the NEB profile and the migrating atoms' paths. A file problem
 * (an OxyError) becomes a note; anything else is a bug and is shown as one.
 */

export interface FrameView {
  index: number;
  label: string;
  /** the structure drawn (migrating atoms on their unwrapped path) */
  structure: Structure;
  census?: CensusResult;
  /** census row of each O site */
  siteInfo: Map<number, CensusSite>;
  roles: SiteRole[];
  /** census class per site (undefined for cations and without a census) */
  classes: (string | undefined)[];
  /** bonds: cation–O within the census cutoffs (oxides) or covalent radii (other structures); every site a centre */
  list: NeighbourList;
  groups: AtomGroup[];
  /** half-bond segments and the site each starts from */
  bonds: { segments: Float32Array; owner: Int32Array };
  /** O5 clusters: O5 sites linked through shared cations */
  clusters: Cluster[];
  /** layers, stacking axis and (with a reference) migrated TM; undefined for structures without TM layers */
  migration?: MigrationResult;
  /** TM moves relative to the reference (from the reference site to the current position, Å) */
  arrows: { inPlane: Arrow[]; outOfPlane: Arrow[] };
  /** analyses that could not run on this frame, with the reason */
  notes: string[];
}

/** The anion whose environments the census counts. */
const ANION = 'O';

export class Analysis {
  readonly nFrames: number;
  readonly labels: string[];
  /** NEB analysis: energies and spline for NEB folders; migrating atoms' paths for NEB folders and trajectories */
  readonly neb?: NebAnalysis;
  /** the census along an NEB path or trajectory (the pipeline's, as `report` has it): fractions per frame, class changes */
  readonly path?: PathCensusResult;
  /** why there is no path census, or what it noted */
  readonly pathNotes: string[] = [];
  private cache = new Map<number, FrameView>();

  constructor(
    readonly dataset: Dataset,
    readonly kernels: Kernels,
    readonly reference?: { file: string; structure: Structure },
  ) {
    this.labels =
      dataset.kind === 'neb' ? dataset.neb.names : dataset.kind === 'trajectory' ? Array.from(dataset.trajectory.steps, (s) => `step ${s}`) : [dataset.name];
    this.nFrames = this.labels.length;
    const path = nebPathOf(dataset);
    if (path) this.neb = nebAnalysis(path, kernels);
    const frames = pathFramesOf(dataset, this.neb, this.labels);
    try {
      this.path = frames && pathCensusOf(frames, kernels, { reference }, this.pathNotes);
    } catch (e) {
      if (!(e instanceof OxyError)) throw e;
      this.pathNotes.push(`path census: ${e.message}`);
    }
  }

  /** The class changes arriving at frame `i`. */
  changesAt(i: number): PathCensusResult['events'] {
    return this.path?.events.filter((e) => e.frame === i) ?? [];
  }

  /** Energy profile available (an NEB folder with at least one energy). */
  get hasProfile(): boolean {
    return this.dataset.kind === 'neb' && this.neb !== undefined && this.neb.energies.some((e) => e !== null);
  }

  frame(index: number): FrameView {
    const i = Math.max(0, Math.min(this.nFrames - 1, index));
    let v = this.cache.get(i);
    if (!v) {
      v = this.compute(i);
      // an NEB path has few images; trajectories can be long, so keep only a window of computed frames
      if (this.cache.size > 64) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(i, v);
    }
    return v;
  }

  private compute(i: number): FrameView {
    const base = structureAt(this.dataset, i);
    const cart = framePositions(base.cart, this.neb?.path ?? [], i);
    const s = cart === base.cart ? base : makeStructure({ ...base, frac: cartToFrac(base.lattice, cart), cart });
    const hasAnion = s.species.includes(ANION);
    const a = analyseStructure(s, this.kernels, this.dataset.name, { reference: this.reference }, true);
    const notes = [...a.notes, ...a.errors.map((e) => `${e.analysis}: ${e.message}`)];
    const c: CensusResult | undefined = a.census;
    const siteInfo = new Map<number, CensusSite>();
    const classes: (string | undefined)[] = new Array(s.species.length).fill(undefined);
    for (const row of c?.sites ?? []) {
      siteInfo.set(row.index, row);
      classes[row.index] = row.class;
    }
    const tm = new Set(c?.tm ?? []);
    const alkali = new Set(c?.alkali ?? []);
    const roles: SiteRole[] = s.species.map((x) =>
      !c ? 'other' : x === ANION ? 'oxygen' : tm.has(x) ? 'tm' : alkali.has(x) ? 'alkali' : 'other',
    );
    const all = Int32Array.from(s.species, (_, k) => k);
    let list: NeighbourList;
    if (hasAnion) {
      list = anionNeighbours(s, this.kernels, ANION, all).list;
    } else {
      const m = covalentCutoffs(s.species);
      list = this.kernels.neighbours(s.lattice, s.cart, m.maxCutoff, { types: m.types, nTypes: m.nTypes, pairCutoffs: m.pairCutoffs });
    }
    const mig: MigrationResult | undefined = a.migration;
    const clusters = clustersOf(
      list,
      classes.map((k) => k === 'O5'),
      roles.map((r) => r !== 'oxygen'),
    );
    return {
      index: i,
      label: this.labels[i],
      structure: s,
      census: c,
      siteInfo,
      roles,
      classes,
      list,
      groups: groupSites(s.species, roles, classes),
      bonds: halfBonds(list, s.cart, s.lattice),
      clusters,
      migration: mig,
      arrows: { inPlane: this.arrowsOf(s, mig?.migrated.inPlane ?? []), outOfPlane: this.arrowsOf(s, mig?.migrated.outOfPlane ?? []) },
      notes,
    };
  }

  /** Arrow from the reference site (minimum image next to the atom) to the atom's current position. */
  private arrowsOf(s: Structure, moved: MigratedTm[]): Arrow[] {
    if (moved.length === 0) return [];
    const from = Float64Array.from(moved.flatMap((m) => m.from.frac));
    const to = Float64Array.from(moved.flatMap((m) => [0, 1, 2].map((k) => s.frac[3 * m.index + k])));
    const d = this.kernels.minImage(s.lattice, from, to);
    return moved.map((m, k) => {
      const end: [number, number, number] = [s.cart[3 * m.index], s.cart[3 * m.index + 1], s.cart[3 * m.index + 2]];
      return { from: [end[0] - d[3 * k], end[1] - d[3 * k + 1], end[2] - d[3 * k + 2]], to: end };
    });
  }
}

/**
 * Trajectories up to this many site-frames get migrating-atom paths (the unwrapping keeps every frame's
 * coordinates in memory: 8 bytes × 3 × this).
 */
const PATH_LIMIT = 4_000_000;

/**
 * The frames of a dataset as an NEB path, so NEB folders and trajectories share one analysis of the migrating
 * atoms (a trajectory has no energies); undefined for one structure or a trajectory too long to unwrap.
 */
function nebPathOf(d: Dataset): NebPath | undefined {
  if (d.kind === 'neb') return d.neb;
  if (d.kind !== 'trajectory') return undefined;
  const t = d.trajectory;
  const n = t.nFrames;
  if (n < 2 || n * t.nSites > PATH_LIMIT) return undefined;
  const nan = () => new Float64Array(n).fill(NaN);
  return {
    folder: d.name,
    names: Array.from(t.steps, (s) => String(s)),
    images: Array.from({ length: n }, (_, f) => structureAt(d, f)),
    energies: nan(),
    energyKind: 'energy',
    tangentForces: nan(),
    maxForces: nan(),
    converged: new Array(n).fill(false),
    warnings: [],
  };
}

/** NEB images (with their reaction coordinate) or trajectory frames as the frames of a path census. */
function pathFramesOf(d: Dataset, neb: NebAnalysis | undefined, labels: string[]): PathFrames | undefined {
  if (d.kind === 'neb' && neb) return nebFrames(d.neb, neb, d.name);
  if (d.kind === 'trajectory' && d.trajectory.nFrames > 1) return { kind: 'trajectory', source: d.name, trajectory: d.trajectory, names: labels };
  return undefined;
}

function structureAt(d: Dataset, i: number): Structure {
  if (d.kind === 'structure') return d.structure;
  if (d.kind === 'neb') return d.neb.images[i];
  if (d.kind === 'trajectory') {
    return frameStructure(d.trajectory, i);
  }
  throw new Error(`dataset ${d.name} holds no structure`); // callers only analyse structure datasets
}
