import type { SqsProblem } from '../../kernels/types.js';
import { DEFAULT_TM } from '../../analysis/cutoffs.js';
import { UsageError } from '../../errors.js';
import { LI_LAYER, TM_LAYER, type ParentLattice } from './parent.js';
import { VACANCY, type SqsComposition } from './composition.js';

/**
 * The SQS objective (the kernel contract is SqsProblem in src/kernels/types.ts).
 *
 * Warren–Cowley SRO of sublattice L (TM layer or Li layer), in-plane shell s, species X, Y:
 *   α_XY(s) = 1 − N_XY(s) / (E_s · c_X · c_Y · m),  m = 2 for X ≠ Y, 1 for X = Y,
 * with N_XY the ordered in-plane site pairs of shell s holding X and Y in either order, E_s the ordered pairs of
 * the shell and c_X the share of X on L. Random: α = 0. The target α* comes from a template, a probability of each
 * species on each site: `random` (every site the sublattice composition: α* = 0) or `honeycomb` (the ideal Li2MnO3
 * TM layer: on one of the three √3×√3 sublattices of every TM layer Li and TM-layer vacancies, on the other two
 * the TM). Pair term: Σ_{L, s, X ≤ Y} (α − α*)² / s over the species present on L.
 *
 * O-centred triangles: every O has a triangle of three TM-layer sites holding t TM and one of three Li-layer sites
 * holding u TM; its class is O(6 − t − u). Triangle term: Σ_{t,u} (share of O in (t, u) − template share)², the
 * template share assuming independent sites. Class term (with `--target Ok=f`): (O in class Ok − f·nO)², in O².
 */
export type Order = 'random' | 'honeycomb';

export interface ClassTarget {
  /** e.g. O4 */
  name: string;
  fraction: number;
}

export interface SpeciesTable {
  names: string[];
  isTM: Int32Array;
}

export const SUBLATTICE_NAMES = ['TM layer', 'Li layer'];

/** Species indices: Li, the TM in formula order, then the vacancy. */
export function speciesTable(comp: SqsComposition): SpeciesTable {
  const names = [...new Set([...Object.keys(comp.tmLayer.counts), ...Object.keys(comp.liLayer.counts)])].filter((e) => e !== VACANCY);
  names.sort((a, b) => (a === 'Li' ? -1 : b === 'Li' ? 1 : 0));
  names.push(VACANCY);
  const tm = new Set(DEFAULT_TM);
  return { names, isTM: Int32Array.from(names, (e) => (tm.has(e) ? 1 : 0)) };
}

/** Share of each species on each sublattice (rows: sublattice, columns: species). */
function shares(comp: SqsComposition, sp: SpeciesTable): number[][] {
  return [comp.tmLayer, comp.liLayer].map((L) => sp.names.map((e) => (L.counts[e] ?? 0) / L.sites));
}

/**
 * The three √3×√3 sublattices of each TM layer, 0 … 2, from its nearest-neighbour graph (the triangular lattice
 * is 3-coloured, each triangle once); UsageError when the supercell does not fit the honeycomb.
 */
export function honeycombColours(p: ParentLattice): Int32Array {
  const n = p.sublattice.length;
  const ns = p.shells.length;
  const colour = new Int32Array(n).fill(-1);
  const nb = (i: number) => Array.from(p.pairJ.subarray(p.pairOffsets[i * ns], p.pairOffsets[i * ns + 1]));
  for (let seed = 0; seed < n; seed++) {
    if (p.sublattice[seed] !== TM_LAYER || colour[seed] >= 0) continue;
    // a seed and one neighbour fix the colouring of their layer; a site takes the third colour of two coloured
    // neighbours next to each other, sweeping until nothing changes
    const layer = [...p.layer.keys()].filter((i) => p.layer[i] === p.layer[seed]);
    colour[seed] = 0;
    colour[nb(seed)[0]] = 1;
    for (let changed = true; changed;) {
      changed = false;
      for (const i of layer) {
        if (colour[i] < 0) continue;
        const ni = nb(i);
        for (const j of ni) {
          if (colour[j] >= 0) continue;
          const k = nb(j).find((x) => x !== i && colour[x] >= 0 && colour[x] !== colour[i] && ni.includes(x));
          if (k === undefined) continue;
          colour[j] = 3 - colour[i] - colour[k];
          changed = true;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (p.sublattice[i] !== TM_LAYER) continue;
    if (colour[i] < 0 || nb(i).some((j) => colour[j] === colour[i])) {
      throw new UsageError('the honeycomb order needs an in-plane supercell that holds the √3×√3 Li2MnO3 pattern (r3m cell: A and B multiples of 3)');
    }
  }
  return colour;
}

/** Probability of each species on each site under the template. */
function template(p: ParentLattice, comp: SqsComposition, sp: SpeciesTable, order: Order): Float64Array[] {
  const c = shares(comp, sp);
  const n = p.sublattice.length;
  if (order === 'random') return Array.from({ length: n }, (_, i) => Float64Array.from(c[p.sublattice[i]]));
  const colour = honeycombColours(p);
  const li = sp.names.indexOf('Li'), va = sp.names.indexOf(VACANCY);
  const t = c[TM_LAYER];
  const nonTM = t[li] + t[va];
  if (Math.abs(nonTM - 1 / 3) > 1e-9) {
    throw new UsageError(`the honeycomb order needs Li and vacancies on 1/3 of the TM-layer sites (the composition puts them on ${Math.round(nonTM * comp.tmLayer.sites)} of ${comp.tmLayer.sites})`);
  }
  const onLi = Float64Array.from(t, (x, k) => (k === li || k === va ? (3 * x) : 0));
  const onTM = Float64Array.from(t, (x, k) => (k === li || k === va ? 0 : (3 * x) / 2));
  return Array.from({ length: n }, (_, i) => (p.sublattice[i] !== TM_LAYER ? Float64Array.from(c[LI_LAYER]) : colour[i] === 0 ? onLi : onTM));
}

export interface ObjectiveSettings {
  order: Order;
  target?: ClassTarget;
  triangleWeight: number;
  classWeight: number;
}

export interface Targets {
  /** α* per key (NaN where the key is left out) and the normalisation of each key */
  alpha: Float64Array;
  norm: Float64Array;
  pairTarget: Float64Array;
  pairScale: Float64Array;
  triangleTarget: Float64Array;
}

export const keyOf = (nShells: number, nSp: number, L: number, s: number, x: number, y: number) => ((L * nShells + s) * nSp + x) * nSp + y;

export function targets(p: ParentLattice, comp: SqsComposition, sp: SpeciesTable, order: Order): Targets {
  const ns = p.shells.length, nSp = sp.names.length;
  const n = p.sublattice.length;
  const prob = template(p, comp, sp, order);
  const c = shares(comp, sp);
  const nKeys = 2 * ns * nSp * nSp;
  const expected = new Float64Array(nKeys);
  const pairs = new Float64Array(2 * ns);
  for (let i = 0; i < n; i++) {
    const L = p.sublattice[i];
    for (let s = 0; s < ns; s++) {
      for (let e = p.pairOffsets[i * ns + s]; e < p.pairOffsets[i * ns + s + 1]; e++) {
        const q = prob[p.pairJ[e]];
        pairs[L * ns + s]++;
        for (let x = 0; x < nSp; x++) {
          for (let y = x; y < nSp; y++) expected[keyOf(ns, nSp, L, s, x, y)] += prob[i][x] * q[y] + (x === y ? 0 : prob[i][y] * q[x]);
        }
      }
    }
  }
  const alpha = new Float64Array(nKeys).fill(NaN);
  const norm = new Float64Array(nKeys);
  const pairScale = new Float64Array(nKeys);
  for (let L = 0; L < 2; L++) {
    for (let s = 0; s < ns; s++) {
      for (let x = 0; x < nSp; x++) {
        for (let y = x; y < nSp; y++) {
          const k = keyOf(ns, nSp, L, s, x, y);
          const z = pairs[L * ns + s] * c[L][x] * c[L][y] * (x === y ? 1 : 2);
          if (!(z > 0) || c[L][x] === 1) continue;
          norm[k] = z;
          alpha[k] = 1 - expected[k] / z;
          pairScale[k] = 1 / (z * z * (s + 1));
        }
      }
    }
  }
  const triangleTarget = new Float64Array(16);
  const nO = p.triangles.length / 6;
  const tmProb = (site: number) => prob[site].reduce((a, x, k) => a + x * sp.isTM[k], 0);
  for (let o = 0; o < nO; o++) {
    const t = countDistribution([0, 1, 2].map((k) => tmProb(p.triangles[6 * o + k])));
    const u = countDistribution([3, 4, 5].map((k) => tmProb(p.triangles[6 * o + k])));
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) triangleTarget[4 * a + b] += (t[a] * u[b]) / nO;
  }
  return { alpha, norm, pairTarget: expected, pairScale, triangleTarget };
}

/** Distribution of the number of successes of independent trials with these probabilities. */
function countDistribution(ps: number[]): number[] {
  let d = [1];
  for (const p of ps) d = [...d, 0].map((x, k) => x * (1 - p) + (k > 0 ? d[k - 1] * p : 0));
  return d;
}

/** Class name → t + u of its O (O(6 − nTM)). */
export function classTM(name: string): number {
  const m = /^O([0-6])$/.exec(name);
  if (!m) throw new UsageError(`target class ${name}: expected O0 … O6`);
  return 6 - Number(m[1]);
}

export function problem(
  p: ParentLattice, sp: SpeciesTable, tg: Targets, occupation: Int32Array, group: Int32Array, settings: ObjectiveSettings,
  run: { steps: number; t0: number; t1: number; seed: number; traceLength: number },
): SqsProblem {
  const nO = p.triangles.length / 6;
  return {
    occupation, nSpecies: sp.names.length, group, sublattice: p.sublattice, nSublattices: 2, isTM: sp.isTM,
    nShells: p.shells.length, pairOffsets: p.pairOffsets, pairJ: p.pairJ, pairTarget: tg.pairTarget, pairScale: tg.pairScale,
    triangles: p.triangles, triangleTarget: tg.triangleTarget, triangleWeight: settings.triangleWeight,
    classTM: settings.target ? classTM(settings.target.name) : -1,
    classCount: settings.target ? settings.target.fraction * nO : 0,
    classWeight: settings.target ? settings.classWeight : 0,
    steps: run.steps, t0: run.t0, cool: run.steps > 0 ? Math.pow(run.t1 / run.t0, 1 / run.steps) : 1, seed: run.seed, traceLength: run.traceLength,
  };
}

export interface SroEntry {
  sublattice: string;
  shell: number;
  /** shell distance, Å */
  distance: number;
  pair: string;
  alpha: number;
  target: number;
}

export interface TriangleStats {
  /** share of O whose TM-layer triangle holds t = 0 … 3 TM, and the template's */
  tmLayer: number[];
  tmLayerTarget: number[];
  /** the same for the Li-layer triangle (u TM) */
  liLayer: number[];
  liLayerTarget: number[];
  /** O per (t, u), and the class each pair gives */
  joint: { t: number; u: number; class: string; count: number }[];
}

/** Achieved SRO of an occupation, every key the objective uses. */
export function measureSro(p: ParentLattice, sp: SpeciesTable, tg: Targets, occ: Int32Array): SroEntry[] {
  const ns = p.shells.length, nSp = sp.names.length;
  const count = new Float64Array(tg.norm.length);
  for (let i = 0; i < occ.length; i++) {
    for (let s = 0; s < ns; s++) {
      for (let e = p.pairOffsets[i * ns + s]; e < p.pairOffsets[i * ns + s + 1]; e++) {
        const x = occ[i], y = occ[p.pairJ[e]];
        count[keyOf(ns, nSp, p.sublattice[i], s, Math.min(x, y), Math.max(x, y))]++;
      }
    }
  }
  const out: SroEntry[] = [];
  for (let L = 0; L < 2; L++) {
    for (let s = 0; s < ns; s++) {
      for (let x = 0; x < nSp; x++) {
        for (let y = x; y < nSp; y++) {
          const k = keyOf(ns, nSp, L, s, x, y);
          if (!(tg.norm[k] > 0)) continue;
          out.push({ sublattice: SUBLATTICE_NAMES[L], shell: s + 1, distance: p.shells[s], pair: `${sp.names[x]}-${sp.names[y]}`, alpha: round(1 - count[k] / tg.norm[k]), target: round(tg.alpha[k]) });
        }
      }
    }
  }
  return out;
}

export function measureTriangles(p: ParentLattice, sp: SpeciesTable, tg: Targets, occ: Int32Array): TriangleStats {
  const nO = p.triangles.length / 6;
  const joint = new Array<number>(16).fill(0);
  for (let o = 0; o < nO; o++) {
    let t = 0, u = 0;
    for (let k = 0; k < 3; k++) t += sp.isTM[occ[p.triangles[6 * o + k]]];
    for (let k = 3; k < 6; k++) u += sp.isTM[occ[p.triangles[6 * o + k]]];
    joint[4 * t + u]++;
  }
  const marg = (src: ArrayLike<number>, scale: number, side: 't' | 'u') =>
    [0, 1, 2, 3].map((v) => round([0, 1, 2, 3].reduce((a, w) => a + src[side === 't' ? 4 * v + w : 4 * w + v], 0) / scale));
  return {
    tmLayer: marg(joint, nO, 't'),
    tmLayerTarget: marg(tg.triangleTarget, 1, 't'),
    liLayer: marg(joint, nO, 'u'),
    liLayerTarget: marg(tg.triangleTarget, 1, 'u'),
    joint: joint.map((count, b) => ({ t: b >> 2, u: b & 3, class: `O${6 - (b >> 2) - (b & 3)}`, count })).filter((x) => x.count > 0),
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
