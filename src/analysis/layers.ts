import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import { gcd, invert3 } from '../math/lattice.js';
import { AnalysisOptionError } from '../errors.js';
import { ALKALI, TM } from './cutoffs.js';

/**
 * Cation layers along the stacking axis of a layered oxide.
 *
 * The stacking axis is the normal of a family of lattice planes (h k l), so heights along it repeat with the plane
 * spacing d = 1/|h a* + k b* + l c*| and are compared as phases (height / d mod 1), which a scaled reference cell
 * shares. Automatic choice: every primitive (h k l) with |h|,|k|,|l| ≤ 2 whose cation heights split into layers
 * LAYER_MIN … LAYER_MAX Å apart with at least 90% of the cations within 0.3 Å of their layer is a candidate; the
 * winner separates TM from alkali best (largest population-weighted variance of the TM share between layers, which
 * is what tells the stacking normal apart from the other close-packed directions of the same cation sublattice),
 * then fits best, then has the smallest indices. An axis given as (h k l) is the normal of those planes (the CLI's `--axis a|b|c`
 * is (1 0 0), (0 1 0), (0 0 1): a*, b*, c*, the vector itself in hexagonal and orthogonal cells).
 *
 * Layers: heights sorted around the period split wherever the gap exceeds GAP Å; each atom then belongs to the
 * nearest layer centre. Kind: with an even number of layers whose two alternating sets differ clearly in TM count
 * (the smaller ≤ half the larger), the set with more TM are TM layers and the others Li layers (a Li layer keeps its
 * name when most of its Li has left); otherwise each layer by majority (TM vs alkali; `other` when it has neither).
 */
export const LAYER_MIN = 1.9;
export const LAYER_MAX = 3.0;
export const GAP = 1.0;
const FIT = 0.3;
const AXIS_SAMPLE = 20000;

export type LayerKind = 'TM' | 'Li' | 'other';

export interface StackingAxis {
  /** unit vector, Cartesian */
  vector: [number, number, number];
  /** Miller indices of the planes it is normal to */
  hkl: [number, number, number];
  /** plane spacing d_hkl: the period of heights along the axis, Å */
  period: number;
  source: 'auto' | 'option';
}

export interface Layer {
  index: number;
  /** height of the layer centre along the axis, Å, in [0, period) */
  height: number;
  kind: LayerKind;
  /** atoms per element in this layer (of the analysed structure) */
  counts: Record<string, number>;
}

export interface Layering {
  axis: StackingAxis;
  layers: Layer[];
  /** layer index of every cation of the analysed structure (-1 for anions) */
  layerOf: Int32Array;
  /** distance of every cation from its layer's centre plane along the axis, Å (NaN for anions) */
  offsetOf: Float64Array;
  /** with a reference: layer index of every reference cation (-1 for anions) */
  referenceLayerOf?: Int32Array;
}

/** Site roles from cationGroups (cutoffs.ts): TM, ALKALI, OTHER, -1 for the anion. */
export type CationGroups = Int32Array;

function reciprocal(lattice: Float64Array, hkl: [number, number, number]): [number, number, number] {
  const inv = invert3(lattice);
  // rows of inv^T are a*, b*, c* (without 2π): columns of inv
  const g: [number, number, number] = [0, 0, 0];
  for (let k = 0; k < 3; k++) g[k] = hkl[0] * inv[3 * k] + hkl[1] * inv[3 * k + 1] + hkl[2] * inv[3 * k + 2];
  return g;
}

/** The stacking axis normal to the planes (h k l) of `lattice`. */
export function axisOf(lattice: Float64Array, hkl: [number, number, number], source: StackingAxis['source']): StackingAxis {
  const g = reciprocal(lattice, hkl);
  const len = Math.hypot(g[0], g[1], g[2]);
  return { vector: [g[0] / len, g[1] / len, g[2] / len], hkl, period: 1 / len, source };
}

function candidates(): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let h = -2; h <= 2; h++) {
    for (let k = -2; k <= 2; k++) {
      for (let l = -2; l <= 2; l++) {
        const first = h !== 0 ? h : k !== 0 ? k : l;
        if (first <= 0 || gcd(gcd(h, k), l) !== 1) continue;
        out.push([h, k, l]);
      }
    }
  }
  // smallest indices first, c* before b* before a* among equals (layered cells put the stacking along c)
  const w = (x: [number, number, number]) => Math.abs(x[0]) + Math.abs(x[1]) + Math.abs(x[2]);
  return out.sort((p, q) => w(p) - w(q) || Math.abs(q[2]) - Math.abs(p[2]) || Math.abs(q[1]) - Math.abs(p[1]));
}

/** Phases (height / period mod 1) of the chosen sites along `axis`. */
export function phases(s: Structure, kernels: Kernels, axis: StackingAxis, sites: Int32Array): Float64Array {
  const cart = new Float64Array(sites.length * 3);
  sites.forEach((i, k) => cart.set(s.cart.subarray(3 * i, 3 * i + 3), 3 * k));
  const h = kernels.project(cart, new Float64Array(axis.vector));
  const out = new Float64Array(sites.length);
  for (let k = 0; k < h.length; k++) {
    const p = h[k] / axis.period;
    out[k] = p - Math.floor(p);
    if (out[k] >= 1) out[k] = 0;
  }
  return out;
}

/** Layer centres (phases, ascending) from phases split at gaps > gap (a fraction of the period). */
export function clusterPhases(ph: Float64Array, gap: number): number[] {
  const sorted = Float64Array.from(ph).sort();
  const n = sorted.length;
  if (n === 0) return [];
  // start right after the widest gap so that no cluster straddles the start
  let start = 0;
  let widest = sorted[0] + 1 - sorted[n - 1];
  for (let i = 1; i < n; i++) {
    const g = sorted[i] - sorted[i - 1];
    if (g > widest) {
      widest = g;
      start = i;
    }
  }
  const centres: number[] = [];
  let sum = 0, count = 0, prev = NaN;
  for (let k = 0; k < n; k++) {
    const i = (start + k) % n;
    const x = sorted[i] + (i < start ? 1 : 0);
    if (count > 0 && x - prev > gap) {
      centres.push(sum / count);
      sum = 0;
      count = 0;
    }
    sum += x;
    count++;
    prev = x;
  }
  centres.push(sum / count);
  return centres.map((c) => c - Math.floor(c)).sort((a, b) => a - b);
}

/** Nearest centre (circular distance in phase) for every phase, and that distance. */
export function assignPhases(ph: Float64Array, centres: number[]): { layer: Int32Array; dist: Float64Array } {
  const layer = new Int32Array(ph.length);
  const dist = new Float64Array(ph.length);
  for (let k = 0; k < ph.length; k++) {
    let best = Infinity, bi = -1;
    for (let c = 0; c < centres.length; c++) {
      let d = Math.abs(ph[k] - centres[c]);
      d = Math.min(d, 1 - d);
      if (d < best) {
        best = d;
        bi = c;
      }
    }
    layer[k] = bi;
    dist[k] = best;
  }
  return { layer, dist };
}

interface Trial {
  axis: StackingAxis;
  centres: number[];
  segregation: number;
  fit: number;
  rms: number;
}

function trial(s: Structure, kernels: Kernels, axis: StackingAxis, cations: Int32Array, group: CationGroups): Trial | undefined {
  const ph = phases(s, kernels, axis, cations);
  const centres = clusterPhases(ph, GAP / axis.period);
  const spacing = axis.period / centres.length;
  if (spacing < LAYER_MIN || spacing > LAYER_MAX) return undefined;
  const { layer, dist } = assignPhases(ph, centres);
  let within = 0, sq = 0;
  const tm = new Float64Array(centres.length);
  const all = new Float64Array(centres.length);
  for (let k = 0; k < cations.length; k++) {
    const d = dist[k] * axis.period;
    if (d <= FIT) within++;
    sq += d * d;
    all[layer[k]]++;
    if (group[cations[k]] === TM) tm[layer[k]]++;
  }
  const fit = within / cations.length;
  if (fit < 0.9) return undefined;
  const share = tm.reduce((a, b) => a + b, 0) / cations.length;
  let segregation = 0;
  for (let c = 0; c < centres.length; c++) if (all[c] > 0) segregation += all[c] * (tm[c] / all[c] - share) ** 2;
  return { axis, centres, segregation: segregation / cations.length, fit, rms: Math.sqrt(sq / cations.length) };
}

/** The stacking axis of `s` from its cations (see the module comment); AnalysisOptionError when no direction is layered. */
export function findAxis(s: Structure, kernels: Kernels, group: CationGroups): StackingAxis {
  const all = cationIndices(group);
  if (all.length === 0) throw new AnalysisOptionError(`${s.comment || 'structure'}: no cations to find layers from`);
  // an even sample of AXIS_SAMPLE cations judges each direction as well as all of them, at a fraction of the cost
  const stride = Math.ceil(all.length / AXIS_SAMPLE);
  const cations = stride > 1 ? all.filter((_, k) => k % stride === 0) : all;
  let best: Trial | undefined;
  for (const hkl of candidates()) {
    const t = trial(s, kernels, axisOf(s.lattice, hkl, 'auto'), cations, group);
    if (!t) continue;
    if (
      !best ||
      t.segregation > best.segregation + 1e-3 ||
      (Math.abs(t.segregation - best.segregation) <= 1e-3 && (t.fit > best.fit + 1e-9 || (t.fit >= best.fit - 1e-9 && t.rms < best.rms - 1e-3)))
    ) {
      best = t;
    }
  }
  if (!best) throw new AnalysisOptionError(`${s.comment || 'structure'}: no lattice-plane normal splits the cations into layers ${LAYER_MIN}–${LAYER_MAX} Å apart; give the stacking axis`, 'axis');
  return best.axis;
}

function cationIndices(group: CationGroups): Int32Array {
  const out: number[] = [];
  group.forEach((g, i) => g >= 0 && out.push(i));
  return Int32Array.from(out);
}

/** TM / Li / other per layer from per-layer TM and alkali counts (see the module comment). */
export function layerKinds(tm: number[], alkali: number[]): LayerKind[] {
  const n = tm.length;
  if (n >= 2 && n % 2 === 0) {
    let even = 0, odd = 0;
    tm.forEach((x, i) => (i % 2 === 0 ? (even += x) : (odd += x)));
    const hi = Math.max(even, odd), lo = Math.min(even, odd);
    if (hi > 0 && lo <= hi / 2) {
      const tmParity = even >= odd ? 0 : 1;
      return tm.map((_, i) => (i % 2 === tmParity ? 'TM' : 'Li'));
    }
  }
  return tm.map((x, i) => (x === 0 && alkali[i] === 0 ? 'other' : x > alkali[i] ? 'TM' : 'Li'));
}

/**
 * Layers of `s`. With a reference (same cell up to scaling, same setting) the layer centres and kinds come from the
 * reference's cations and the atoms of `s` are placed in the nearest reference layer.
 */
/** The stacking axis asked for: the normal of the lattice planes (h k l), or 'auto' (found, see the module comment). */
export type AxisOption = [number, number, number] | 'auto';

export function findLayers(
  s: Structure, kernels: Kernels, group: CationGroups, options: { axis?: AxisOption; reference?: { structure: Structure; group: CationGroups } } = {},
): Layering {
  const base = options.reference?.structure ?? s;
  const baseGroup = options.reference?.group ?? group;
  const found = options.axis && options.axis !== 'auto' ? axisOf(base.lattice, options.axis, 'option') : findAxis(base, kernels, baseGroup);
  const baseCations = cationIndices(baseGroup);
  const basePh = phases(base, kernels, found, baseCations);
  const centres = clusterPhases(basePh, GAP / found.period);
  const baseAssign = assignPhases(basePh, centres);
  const tmB = new Array<number>(centres.length).fill(0);
  const alkB = new Array<number>(centres.length).fill(0);
  baseCations.forEach((i, k) => {
    if (baseGroup[i] === TM) tmB[baseAssign.layer[k]]++;
    else if (baseGroup[i] === ALKALI) alkB[baseAssign.layer[k]]++;
  });
  const kinds = layerKinds(tmB, alkB);

  const axis = base === s ? found : axisOf(s.lattice, found.hkl, found.source);
  const cations = cationIndices(group);
  const ph = base === s ? basePh : phases(s, kernels, axis, cations);
  const { layer, dist } = base === s ? baseAssign : assignPhases(ph, centres);
  const layerOf = new Int32Array(s.species.length).fill(-1);
  const offsetOf = new Float64Array(s.species.length).fill(NaN);
  const counts: Record<string, number>[] = centres.map(() => ({}));
  cations.forEach((i, k) => {
    layerOf[i] = layer[k];
    offsetOf[i] = dist[k] * axis.period;
    counts[layer[k]][s.species[i]] = (counts[layer[k]][s.species[i]] ?? 0) + 1;
  });
  const layers = centres.map((c, index) => ({ index, height: Math.round(c * axis.period * 1e4) / 1e4, kind: kinds[index], counts: counts[index] }));
  if (base === s) return { axis, layers, layerOf, offsetOf };
  const referenceLayerOf = new Int32Array(base.species.length).fill(-1);
  baseCations.forEach((i, k) => (referenceLayerOf[i] = baseAssign.layer[k]));
  return { axis, layers, layerOf, offsetOf, referenceLayerOf };
}
