import type { Kernels } from '../../kernels/types.js';
import { makeRandom } from '../../kernels/js/sqs.js';
import { makeStructure, formula, type Structure } from '../../model/structure.js';
import { census, ensemble, type CensusEnsemble, type CensusResult } from '../../analysis/census.js';
import { UsageError } from '../../errors.js';
import { parentLattice, parentStructure, TM_LAYER, LI_LAYER, type BuiltinCell, type ParentLattice } from './parent.js';
import { sqsComposition, VACANCY, type SqsComposition } from './composition.js';
import {
  measureSro, measureTriangles, problem, speciesTable, targets,
  type ClassTarget, type Order, type SpeciesTable, type SroEntry, type Targets, type TriangleStats,
} from './objective.js';

/**
 * Special quasirandom structures of Li-rich layered oxides (model structures, not DFT results). For each of
 * `count` seeds (seed, seed + 1, …): a random start (shuffled within each sublattice), simulated annealing of the
 * objective (objective.ts) in the chosen kernel engine with swaps inside the TM layer and inside the Li layer,
 * then `migrateInPlane` Mn each moved into a vacant TM-layer site next to it in plane and `migrateOutOfPlane` Ni each
 * moved onto a vacant Li-layer site next to it (the lrlo builder's convention), chosen by the seeded stream. With
 * vacancies the pristine reference (vacancies refilled with Li, before migration) goes with the model, and the
 * census counts on its sites.
 */
export interface SqsOptions {
  /** pristine composition, e.g. Li1.2Mn0.54Ni0.13Co0.13O2 */
  composition: string;
  supercell: [number, number, number];
  /** built-in parent (default r3m), or the user's parent structure */
  cell?: BuiltinCell;
  parent?: Structure;
  /** Li removed per O2 and the share of the TM-layer Li among it (see composition.ts) */
  delithiate?: number;
  tmLayerLi?: number;
  migrateInPlane?: number;
  migrateOutOfPlane?: number;
  order?: Order;
  target?: ClassTarget;
  shells?: number;
  seed?: number;
  count?: number;
  /** Metropolis steps per structure (default 4000 per movable site, at least 2·10⁵) */
  steps?: number;
  /** start and end temperature of the geometric schedule (defaults 0.05, 1e-5) */
  t0?: number;
  t1?: number;
  triangleWeight?: number;
  classWeight?: number;
  traceLength?: number;
}

export interface SqsMove {
  species: string;
  kind: 'inPlane' | 'outOfPlane';
  /** cation site indices of the parent, and their fractional coordinates */
  from: number;
  to: number;
  fromFrac: [number, number, number];
  toFrac: [number, number, number];
}

export interface SqsModel {
  seed: number;
  structure: Structure;
  /** pristine reference on the same sites (with vacancies only) */
  reference?: Structure;
  /** objective of the annealed occupation (before migration), and its trace over the steps */
  objective: number;
  trace: number[];
  steps: number;
  accepted: number;
  /** achieved SRO and triangle statistics of the final model (after migration) */
  sro: SroEntry[];
  triangles: TriangleStats;
  census: CensusResult;
  moved: SqsMove[];
  warnings: string[];
}

export interface SqsRun {
  engine: string;
  parent: { description: string; tmLayerSites: number; liLayerSites: number; oSites: number; shells: number[] };
  composition: SqsComposition;
  species: string[];
  order: Order;
  target?: ClassTarget;
  models: SqsModel[];
  ensemble: CensusEnsemble;
  warnings: string[];
}

const check = (ok: boolean, msg: string) => {
  if (!ok) throw new UsageError(msg);
};

function validate(o: SqsOptions): void {
  check(o.supercell.length === 3 && o.supercell.every((x) => Number.isInteger(x) && x >= 1 && x <= 64), `supercell must be three integers 1 … 64, got ${o.supercell.join('x')}`);
  const int = (name: string, v: number | undefined, min: number, max: number) => check(v === undefined || (Number.isInteger(v) && v >= min && v <= max), `${name} must be an integer ${min} … ${max}, got ${v}`);
  int('shells', o.shells, 1, 8);
  int('seed', o.seed, 0, 0xffffffff - (o.count ?? 1));
  int('count', o.count, 1, 10000);
  int('steps', o.steps, 0, 2 ** 31 - 1);
  int('migrate-in-plane', o.migrateInPlane, 0, 1e6);
  int('migrate-out-of-plane', o.migrateOutOfPlane, 0, 1e6);
  check(o.delithiate === undefined || (o.delithiate >= 0 && o.delithiate <= 2), `delithiate must be 0 … 2 Li per O2, got ${o.delithiate}`);
  check(o.tmLayerLi === undefined || (o.delithiate !== undefined && o.tmLayerLi >= 0 && o.tmLayerLi <= 1), 'tm-layer-li is a share 0 … 1 of the TM-layer Li and needs delithiate');
  check(((o.migrateInPlane ?? 0) === 0 && (o.migrateOutOfPlane ?? 0) === 0) || (o.delithiate ?? 0) > 0, 'migration needs vacancies: give delithiate');
  if (o.target) check(o.target.fraction >= 0 && o.target.fraction <= 1, `target fraction must be 0 … 1, got ${o.target.fraction}`);
  for (const [k, v] of [['t0', o.t0], ['t1', o.t1], ['triangleWeight', o.triangleWeight], ['classWeight', o.classWeight]] as const) {
    check(v === undefined || (Number.isFinite(v) && v > 0), `${k} must be a positive number, got ${v}`);
  }
}

/** Species index per site: the sublattice counts in site order, shuffled within each sublattice by the stream. */
function startingOccupation(p: ParentLattice, comp: SqsComposition, sp: SpeciesTable, rnd: () => number): Int32Array {
  const occ = new Int32Array(p.sublattice.length);
  for (const [L, counts] of [[TM_LAYER, comp.tmLayer.counts], [LI_LAYER, comp.liLayer.counts]] as const) {
    const sites = [...p.sublattice.keys()].filter((i) => p.sublattice[i] === L);
    const pool = Object.entries(counts).flatMap(([e, c]) => new Array<number>(c).fill(sp.names.indexOf(e)));
    for (let k = pool.length - 1; k > 0; k--) {
      const j = Math.floor((rnd() * (k + 1)) / 4294967296);
      [pool[k], pool[j]] = [pool[j], pool[k]];
    }
    sites.forEach((i, k) => (occ[i] = pool[k]));
  }
  return occ;
}

const fracOf = (p: ParentLattice, i: number): [number, number, number] => [p.siteFrac[3 * i], p.siteFrac[3 * i + 1], p.siteFrac[3 * i + 2]];

/** Moves `count` atoms of `species` into vacant neighbour sites (in plane: shell 1 of the same layer; out of plane: the adjacent layer). */
function migrate(p: ParentLattice, sp: SpeciesTable, occ: Int32Array, kind: SqsMove['kind'], species: string, count: number, rnd: () => number, moved: Set<number>): SqsMove[] {
  const x = sp.names.indexOf(species), va = sp.names.indexOf(VACANCY);
  const ns = p.shells.length;
  const out: SqsMove[] = [];
  for (let m = 0; m < count; m++) {
    const cands: [number, number][] = [];
    for (let i = 0; i < occ.length; i++) {
      if (p.sublattice[i] !== TM_LAYER || occ[i] !== x || moved.has(i)) continue;
      const [e0, e1] = kind === 'inPlane' ? [p.pairOffsets[i * ns], p.pairOffsets[i * ns + 1]] : [p.interOffsets[i], p.interOffsets[i + 1]];
      const js = kind === 'inPlane' ? p.pairJ : p.interJ;
      for (let e = e0; e < e1; e++) if (occ[js[e]] === va && !cands.some((c) => c[0] === i && c[1] === js[e])) cands.push([i, js[e]]);
    }
    if (cands.length === 0) {
      throw new UsageError(`only ${m} ${species} next to a vacant ${kind === 'inPlane' ? 'TM-layer' : 'Li-layer'} site for ${count} ${kind === 'inPlane' ? 'in-plane' : 'out-of-plane'} moves; remove more Li or use a larger cell`);
    }
    const [from, to] = cands[Math.floor((rnd() * cands.length) / 4294967296)];
    occ[to] = x;
    occ[from] = va;
    moved.add(to);
    out.push({ species, kind, from, to, fromFrac: fracOf(p, from), toFrac: fracOf(p, to) });
  }
  return out;
}

/** POSCAR-ready structure of an occupation: species in table order (vacancies left out), then O. */
function structureOf(p: ParentLattice, sp: SpeciesTable, occ: Int32Array, comment: string): Structure {
  const va = sp.names.indexOf(VACANCY);
  const order = [...occ.keys()].filter((i) => occ[i] !== va).sort((a, b) => occ[a] - occ[b] || a - b);
  const nO = p.oFrac.length / 3;
  const species = [...order.map((i) => sp.names[occ[i]]), ...new Array<string>(nO).fill('O')];
  const frac = new Float64Array(3 * species.length);
  order.forEach((i, k) => frac.set(p.siteFrac.subarray(3 * i, 3 * i + 3), 3 * k));
  frac.set(p.oFrac, 3 * order.length);
  return makeStructure({ comment, lattice: p.lattice, species, frac });
}

/** The options given (an option set to undefined keeps its default). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Everything the runs of one option set share: parent, composition, species, targets. */
export function prepareSqs(options: SqsOptions, kernels: Kernels) {
  validate(options);
  const o = { shells: 3, seed: 1, count: 1, order: 'random' as Order, t0: 0.05, t1: 1e-5, triangleWeight: 1, classWeight: 10, traceLength: 100, migrateInPlane: 0, migrateOutOfPlane: 0, ...defined(options) };
  const { structure: parentS, description } = parentStructure(o.supercell, { cell: o.cell, structure: o.parent });
  const p = parentLattice(parentS, kernels, o.shells, description);
  const nTM = p.sublattice.filter((x) => x === TM_LAYER).length;
  const comp = sqsComposition(o.composition, { tm: nTM, li: p.sublattice.length - nTM }, o.delithiate !== undefined ? { delithiate: o.delithiate, tmLayerLi: o.tmLayerLi } : undefined);
  const sp = speciesTable(comp);
  const tg: Targets = targets(p, comp, sp, o.order);
  for (const [kind, species, k] of [['inPlane', 'Mn', o.migrateInPlane], ['outOfPlane', 'Ni', o.migrateOutOfPlane]] as const) {
    check(k === 0 || sp.names.includes(species), `${kind === 'inPlane' ? 'in-plane' : 'out-of-plane'} migration moves ${species}, which the composition lacks`);
  }
  const steps = o.steps ?? Math.max(200_000, 4000 * p.sublattice.length);
  return { o, p, comp, sp, tg, description, nTM, steps };
}

export type PreparedSqs = ReturnType<typeof prepareSqs>;

/** The kernel problem of one seed, with the stream that continues after the random start (for the migrations). */
export function seedProblem(prep: PreparedSqs, seed: number) {
  const { o, p, comp, sp, tg, steps } = prep;
  const rnd = makeRandom(seed ^ 0x5bd1e995);
  const start = startingOccupation(p, comp, sp, rnd);
  return { problem: problem(p, sp, tg, start, Int32Array.from(p.sublattice), o, { steps, t0: o.t0, t1: o.t1, seed, traceLength: o.traceLength }), rnd };
}

export function generateSqs(options: SqsOptions, kernels: Kernels): SqsRun {
  const prep = prepareSqs(options, kernels);
  const { o, p, comp, sp, tg, description, nTM, steps } = prep;
  const warnings: string[] = [];
  if (p.shells.length < o.shells) warnings.push(`the supercell holds only ${p.shells.length} in-plane shells of the ${o.shells} asked for`);
  const nO = p.triangles.length / 6;
  const hasVacancies = (comp.delithiation?.removed ?? 0) > 0;
  const label = `${o.order}${o.target ? `, target ${o.target.name}=${o.target.fraction}` : ''}`;

  const models: SqsModel[] = [];
  for (let k = 0; k < o.count; k++) {
    const seed = o.seed + k;
    const { problem: pr, rnd } = seedProblem(prep, seed);
    const res = kernels.sqsAnneal(pr);
    const occ = Int32Array.from(res.occupation);
    const pristineOcc = occ.map((x) => (x === sp.names.indexOf(VACANCY) ? sp.names.indexOf('Li') : x));
    const moved = new Set<number>();
    const moves = [
      ...migrate(p, sp, occ, 'inPlane', 'Mn', o.migrateInPlane, rnd, moved),
      ...migrate(p, sp, occ, 'outOfPlane', 'Ni', o.migrateOutOfPlane, rnd, moved),
    ];
    const objective = Number(res.objective.toPrecision(10));
    const speciesNow = [...occ].filter((x) => sp.names[x] !== VACANCY).map((x) => sp.names[x]);
    const comment = `oxyscope model structure (not a DFT result): SQS ${formula([...speciesNow, ...new Array<string>(nO).fill('O')])}, seed ${seed}, objective ${objective} (${label}, ${o.shells} shells), ${o.supercell.join('x')} ${o.parent ? 'parent POSCAR' : (o.cell ?? 'r3m')}`;
    const structure = structureOf(p, sp, occ, comment);
    const reference = hasVacancies ? structureOf(p, sp, pristineOcc, `oxyscope model structure (not a DFT result): pristine reference of SQS seed ${seed}`) : undefined;
    const c = census(structure, kernels, { reference, file: `seed ${seed}`, neighbours: false });
    const triangles = measureTriangles(p, sp, tg, occ);
    const mw: string[] = [];
    if (o.target) {
      const got = c.classes[o.target.name] ?? 0;
      const want = o.target.fraction * nO;
      if (Math.abs(got - want) > 1) mw.push(`seed ${seed}: target ${o.target.name}=${o.target.fraction} (${want.toFixed(1)} O) not reached: ${got} of ${nO} O`);
    }
    warnings.push(...mw);
    models.push({
      seed, structure, reference, objective, trace: Array.from(res.trace, (x) => Number(x.toPrecision(8))), steps, accepted: res.accepted,
      sro: measureSro(p, sp, tg, occ), triangles, census: c, moved: moves, warnings: mw,
    });
  }
  return {
    engine: kernels.engine,
    parent: { description, tmLayerSites: nTM, liLayerSites: p.sublattice.length - nTM, oSites: nO, shells: p.shells },
    composition: comp, species: sp.names, order: o.order, target: o.target, models, ensemble: ensemble(models.map((m) => m.census)), warnings,
  };
}
