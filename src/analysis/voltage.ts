import { MismatchError, AnalysisOptionError } from '../errors.js';
import { atomicMass } from '../model/elements.js';

/**
 * Average intercalation voltages of a host at several Li contents (LiₓHost), from the DFT energy of each
 * calculation: energies per formula unit of the host, the lower convex hull in x, and for each hull segment
 * x₁ < x₂ the average voltage V = −[E(x₂) − E(x₁) − (x₂ − x₁)·E_Li] / (x₂ − x₁) (one electron per Li, e = 1, so eV
 * per Li = V), as pymatgen's InsertionElectrode. Everything off the hull gets its distance above it.
 */

export const WORKING_ION = 'Li';

/** Faraday constant (C/mol) from the exact SI values of e and N_A. */
const FARADAY = 1.602176634e-19 * 6.02214076e23;

/** Below this (eV per formula unit) a point counts as on the hull and two energies as equal. */
const DEFAULT_TOLERANCE = 1e-9;

/** One calculation: composition of its cell and its energy. */
export interface VoltageInput {
  /** calculation name (folder as given) */
  id: string;
  /** the structure file the composition came from (named in mismatch messages) */
  file: string;
  /** atoms per cell by element, in the structure's order */
  composition: Record<string, number>;
  /** total energy of the cell, eV */
  energy: number;
  /** where the energy came from (file and which energy) */
  energySource: string;
  /** census class → fraction of O (0..1), when the census ran */
  classes?: Record<string, number>;
}

/**
 * `O2`: per two O of the host (x in LiₓTMO₂; the usual layered-oxide notation). `host`: per reduced formula of the
 * Li-free host (pymatgen's framework formula). Voltages and capacities do not depend on the choice; x and
 * energies per formula unit do.
 */
export type FormulaUnit = 'O2' | 'host';

export interface VoltageOptions {
  /** energy of Li metal per atom (eV) and where it came from; else a pure-Li input, else no voltages */
  liEnergy?: { value: number; source: string };
  /** default `O2` when the host has O, else `host` */
  formulaUnit?: FormulaUnit;
  /** eV per formula unit (default 1e-9) */
  tolerance?: number;
}

export interface VoltagePoint {
  id: string;
  file: string;
  /** Li per formula unit */
  x: number;
  /** eV per formula unit */
  energy: number;
  /** eV per formula unit, relative to the straight line between the end members of the hull */
  formationEnergy: number;
  /** eV per formula unit above the hull (0 on it) */
  hullDistance: number;
  /** the same per atom (as pymatgen's e_above_hull) */
  hullDistancePerAtom: number;
  /** a vertex of the lower hull */
  onHull: boolean;
  /**
   * the voltage of the hull step from x towards more Li (x₁ ≤ x < x₂): charging at it takes Li out down to x₁, so
   * a hull point is the state reached by charging to this voltage; null at the most lithiated end
   */
  voltage: number | null;
  energySource: string;
  classes: Record<string, number> | null;
}

export interface VoltageStep {
  /** ids of the hull points at x₁ (less Li) and x₂ */
  from: string;
  to: string;
  x1: number;
  x2: number;
  /** average voltage of the step (V vs Li/Li⁺), null without a Li energy */
  voltage: number | null;
  /** mAh per g of the most lithiated composition of the series (pymatgen's normalisation), null without masses */
  capacity: number | null;
  /** mAh per g of the Li-free host */
  capacityPerHostMass: number | null;
}

export interface VoltageProfile {
  ion: typeof WORKING_ION;
  host: {
    /** reduced formula of the Li-free host, e.g. Mn5Ni2CoO24 */
    reduced: string;
    formulaUnit: FormulaUnit;
    /** the formula unit the energies and x are per, e.g. Mn0.4167Ni0.1667Co0.0833O2 */
    formula: string;
    /** g/mol of the host formula unit, null when an element has no standard atomic weight */
    mass: number | null;
  };
  liEnergy: { value: number; source: string } | null;
  /** x of the least and most lithiated hull end members */
  xRange: [number, number];
  /** every calculation, by x then energy */
  points: VoltagePoint[];
  /** ids of the hull vertices, by x */
  hull: string[];
  steps: VoltageStep[];
  /** mean voltage over the whole x range (capacity-weighted mean of the steps) */
  averageVoltage: number | null;
  /** capacity of the whole x range (same normalisation as the steps) */
  capacity: number | null;
  /** census classes found in any point, O0 … O6 */
  classNames: string[];
  notes: string[];
  warnings: string[];
}

/** Atoms per element of a cell, in the order of first appearance. */
export function compositionOf(species: string[]): Record<string, number> {
  const c: Record<string, number> = {};
  for (const s of species) c[s] = (c[s] ?? 0) + 1;
  return c;
}

const isPureLi = (c: Record<string, number>): boolean => Object.entries(c).every(([el, n]) => el === WORKING_ION || n === 0) && (c[WORKING_ION] ?? 0) > 0;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The Li-free host of a composition, reduced by the greatest common divisor of its counts. */
function reducedHost(c: Record<string, number>): { counts: [string, number][]; factor: number } {
  const host = Object.entries(c).filter(([el, n]) => el !== WORKING_ION && n > 0);
  const factor = host.reduce((g, [, n]) => gcd(g, n), 0);
  return { counts: host.map(([el, n]) => [el, n / factor]), factor };
}

const hostKey = (c: Record<string, number>): string => reducedHost(c).counts.map(([el, n]) => `${el}${n}`).sort().join('');

function formulaOf(counts: [string, number][]): string {
  return counts.map(([el, n]) => (n === 1 ? el : `${el}${Number.isInteger(n) ? n : Number(n.toFixed(4))}`)).join('');
}

/** Inputs grouped by host (reduced Li-free composition); pure-Li inputs are left out. */
export function groupByHost<T extends Pick<VoltageInput, 'composition'>>(inputs: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const p of inputs) {
    if (isPureLi(p.composition)) continue;
    const key = hostKey(p.composition);
    const group = groups.get(key);
    if (group) group.push(p);
    else groups.set(key, [p]);
  }
  return [...groups.values()];
}

/** E_Li per atom from a calculation of Li metal; a MismatchError when it holds anything but Li. */
export function liReference(p: Pick<VoltageInput, 'file' | 'composition' | 'energy' | 'energySource'>): { value: number; source: string } {
  if (!isPureLi(p.composition)) {
    const found = Object.entries(p.composition).filter(([, n]) => n > 0).map(([el, n]) => `${el}${n}`).join('');
    throw new MismatchError([p.file], `a Li reference must hold only Li, found ${found}`);
  }
  const n = p.composition[WORKING_ION];
  return { value: p.energy / n, source: `${p.energySource} / ${n} Li` };
}

function massOf(counts: [string, number][]): number | null {
  let m = 0;
  for (const [el, n] of counts) {
    const a = atomicMass(el);
    if (a === undefined) return null;
    m += n * a;
  }
  return m;
}

interface Scaled { input: VoltageInput; x: number; e: number; atomsPerFu: number }

/** Lower convex hull of (x, e), one candidate per x, by x; points within `tol` of a segment are not vertices. */
function lowerHull(candidates: Scaled[], tol: number): Scaled[] {
  const hull: Scaled[] = [];
  for (const p of candidates) {
    while (hull.length >= 2) {
      const a = hull[hull.length - 2], b = hull[hull.length - 1];
      const onLine = a.e + ((b.x - a.x) / (p.x - a.x)) * (p.e - a.e);
      if (b.e < onLine - tol) break;
      hull.pop();
    }
    hull.push(p);
  }
  return hull;
}

/** The hull energy at x (x within the hull's range). */
function hullAt(hull: Scaled[], x: number): number {
  let k = 1;
  while (k < hull.length - 1 && hull[k].x < x) k++;
  const a = hull[k - 1], b = hull[k];
  return a.e + ((x - a.x) / (b.x - a.x)) * (b.e - a.e);
}

const f4 = (v: number): string => String(Number(v.toFixed(4)));

export function voltageProfile(inputs: VoltageInput[], options: VoltageOptions = {}): VoltageProfile {
  const tol = options.tolerance ?? DEFAULT_TOLERANCE;
  const notes: string[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const p of inputs) {
    if (seen.has(p.id)) throw new AnalysisOptionError(`${p.id} is given twice`);
    seen.add(p.id);
    if (!Number.isFinite(p.energy)) throw new AnalysisOptionError(`${p.id}: the energy is not a number (${p.energy})`);
  }

  let liEnergy = options.liEnergy ?? null;
  const liInputs = inputs.filter((p) => isPureLi(p.composition));
  if (liInputs.length > 0) {
    const refs = liInputs.map((p) => ({ id: p.id, ...liReference(p) }));
    if (liEnergy) notes.push(`Li energy as given (${liEnergy.source}); ${refs.map((r) => r.id).join(', ')} (pure Li) left out of the series`);
    else {
      const best = refs.reduce((a, b) => (b.value < a.value ? b : a));
      liEnergy = { value: best.value, source: `${best.id}: ${best.source}` };
      notes.push(`Li energy from the pure-Li calculation ${best.id}${refs.length > 1 ? ` (the lowest per atom of ${refs.map((r) => r.id).join(', ')})` : ''}`);
    }
  }
  const series = inputs.filter((p) => !isPureLi(p.composition));
  if (series.length === 0) throw new AnalysisOptionError('no calculation of a Li host among the inputs (only pure Li or nothing): a voltage needs a host at two Li contents');

  const first = series[0];
  const key = hostKey(first.composition);
  const others = series.filter((p) => hostKey(p.composition) !== key);
  if (others.length > 0) {
    const host = (p: VoltageInput) => formulaOf(reducedHost(p.composition).counts);
    throw new MismatchError([first.file, ...others.map((p) => p.file)], `different hosts (the composition without Li must be the same up to a factor): ${[first, ...others].map((p) => `${p.id} ${host(p)}`).join(', ')}`);
  }

  const reduced = reducedHost(first.composition).counts;
  const hasO = reduced.some(([el]) => el === 'O');
  const unit = options.formulaUnit ?? (hasO ? 'O2' : 'host');
  if (unit === 'O2' && !hasO) throw new AnalysisOptionError(`the host ${formulaOf(reduced)} has no O: use the formula unit "host"`);
  // formula units per cell: O/2, or the host's reduction factor
  const fuOf = (c: Record<string, number>): number => (unit === 'O2' ? c.O / 2 : reducedHost(c).factor);
  const oPerReduced = reduced.find(([el]) => el === 'O')?.[1] ?? 0;
  const fuCounts: [string, number][] = unit === 'O2' ? reduced.map(([el, n]) => [el, (2 * n) / oPerReduced]) : reduced;

  const scaled: Scaled[] = series.map((p) => {
    const fu = fuOf(p.composition);
    const atoms = Object.values(p.composition).reduce((s, n) => s + n, 0);
    return { input: p, x: (p.composition[WORKING_ION] ?? 0) / fu, e: p.energy / fu, atomsPerFu: atoms / fu };
  });
  scaled.sort((a, b) => a.x - b.x || a.e - b.e);

  // one hull candidate per Li content: the lowest energy there
  const byX: Scaled[][] = [];
  for (const s of scaled) {
    const last = byX[byX.length - 1];
    if (last && Math.abs(last[0].x - s.x) < 1e-9) last.push(s);
    else byX.push([s]);
  }
  if (byX.length < 2) {
    throw new MismatchError(series.map((p) => p.file), `every calculation has the same Li content x = ${f4(scaled[0].x)} per ${formulaOf(fuCounts)}: a hull and a voltage need at least two Li contents`);
  }
  for (const group of byX) {
    group.sort((p, q) => p.e - q.e);
    if (group.length < 2) continue;
    notes.push(`x = ${f4(group[0].x)}: ${group.length} structures (${group.map((s) => s.input.id).join(', ')}); the lowest, ${group[0].input.id}, is the hull candidate`);
    for (const s of group.slice(1)) {
      if (s.e - group[0].e < tol) warnings.push(`x = ${f4(s.x)}: ${group[0].input.id} and ${s.input.id} have the same energy per formula unit: the same calculation twice?`);
    }
  }
  const hull = lowerHull(byX.map((g) => g[0]), tol);
  const a = hull[0], b = hull[hull.length - 1];
  const onHull = new Set(hull.map((h) => h.input.id));
  if (hull.length === 2 && byX.length > 2) {
    warnings.push(`every intermediate Li content lies above the hull: one step from x = ${f4(a.x)} to x = ${f4(b.x)} (the intermediate structures would separate into the end members)`);
  }

  const hostMass = massOf(fuCounts);
  const liMass = atomicMass(WORKING_ION)!;
  if (hostMass === null) warnings.push(`no standard atomic weight for an element of ${formulaOf(fuCounts)}: capacities not computed`);
  const lithiatedMass = hostMass === null ? null : hostMass + b.x * liMass;
  const mAhPerMol = (dx: number) => (dx * FARADAY) / 3.6;

  if (!liEnergy) warnings.push('no Li metal energy (--li-energy, --li-ref, or a pure-Li calculation among the inputs): hull and formation energies only, no voltages');
  const voltage = (p: Scaled, q: Scaled): number | null => (liEnergy ? -(q.e - p.e - (q.x - p.x) * liEnergy.value) / (q.x - p.x) : null);
  const steps: VoltageStep[] = [];
  for (let k = 1; k < hull.length; k++) {
    const p = hull[k - 1], q = hull[k];
    const dx = q.x - p.x;
    steps.push({
      from: p.input.id,
      to: q.input.id,
      x1: p.x,
      x2: q.x,
      voltage: voltage(p, q),
      capacity: lithiatedMass === null ? null : mAhPerMol(dx) / lithiatedMass,
      capacityPerHostMass: hostMass === null ? null : mAhPerMol(dx) / hostMass,
    });
  }
  for (const s of steps) {
    if (s.voltage !== null && s.voltage <= 0) warnings.push(`step x = ${f4(s.x1)} → ${f4(s.x2)} has V = ${s.voltage.toFixed(3)} V ≤ 0: Li would rather plate as metal than enter the host (check the energies and E_Li)`);
  }
  if (a.x > 0) notes.push(`the least lithiated calculation has x = ${f4(a.x)}: the profile starts there, not at the empty host`);

  const line = (x: number) => a.e + ((x - a.x) / (b.x - a.x)) * (b.e - a.e);
  const points: VoltagePoint[] = scaled.map((s) => {
    const d = Math.max(0, s.e - hullAt(hull, s.x));
    return {
      id: s.input.id,
      file: s.input.file,
      x: s.x,
      energy: s.e,
      formationEnergy: s.e - line(s.x),
      hullDistance: d,
      hullDistancePerAtom: d / s.atomsPerFu,
      onHull: onHull.has(s.input.id),
      voltage: steps.find((t) => t.x1 <= s.x + 1e-12 && s.x < t.x2 - 1e-12)?.voltage ?? null,
      energySource: s.input.energySource,
      classes: s.input.classes ?? null,
    };
  });
  const classNames = [...new Set(points.flatMap((p) => Object.keys(p.classes ?? {})))].sort((p, q) => Number(p.slice(1)) - Number(q.slice(1)) || p.localeCompare(q));
  return {
    ion: WORKING_ION,
    host: { reduced: formulaOf(reduced), formulaUnit: unit, formula: formulaOf(fuCounts), mass: hostMass },
    liEnergy,
    xRange: [a.x, b.x],
    points,
    hull: hull.map((h) => h.input.id),
    steps,
    averageVoltage: voltage(a, b),
    capacity: lithiatedMass === null ? null : mAhPerMol(b.x - a.x) / lithiatedMass,
    classNames,
    notes,
    warnings,
  };
}
