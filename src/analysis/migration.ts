import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import { MismatchError, AnalysisOptionError } from '../errors.js';
import { DEFAULT_ALKALI, DEFAULT_TM, TM, cationGroups, pairCutoff, type CutoffOverrides, type PairCutoff } from './cutoffs.js';
import { findLayers, type AxisOption, type CationGroups, type Layer, type LayerKind, type StackingAxis } from './layers.js';
import { shortContacts } from './contacts.js';

/**
 * TM coordination and migration in a layered oxide.
 *
 * For every TM: TM neighbours within `tmCutoff` (default 3.2 Å: the nearest cation shell of the close-packed
 * lattice is ≈ 2.85–2.9 Å, the next ≈ 4.9 Å) split into those in its own cation layer (in-plane coordination:
 * Mn–TM3 in a Li2MnO3 honeycomb, TM6 in LiTMO2, TM4/5/6 after in-plane migration) and those in other layers; its O
 * neighbours within the cation–O cutoffs (cutoffs.ts); whether its layer is a Li layer (out-of-plane migration,
 * Li/TM mixing) and whether it is tetrahedral: exactly 4 O neighbours at tetrahedral angles (every O–TM–O angle
 * within TETRA_ANGLE_TOLERANCE of 109.47°; a square or an octahedron with two O beyond the cutoff has 90° and 180°)
 * on a site between the cation planes (at least TETRA_OFFSET from its layer's centre plane: tetrahedral sites of a
 * close-packed O lattice sit ≈ d/4 ≈ 0.6 Å off the octahedral plane, d the cation-layer spacing). An in-plane hop
 * passing between two octahedral sites stays in its plane, so it is never called tetrahedral or out of plane.
 *
 * With a reference (the pristine structure): TM atoms are matched per element in file order (the k-th Mn of the
 * structure is the k-th Mn of the reference, as in VASP runs where Li was removed but no TM reordered); the
 * displacement is the minimum-image difference of fractional coordinates in the analysed cell. A TM that moved more
 * than `tolerance` (default 1.0 Å) migrated out of plane when it now sits in a Li layer or on a tetrahedral site, in
 * plane when it stays in a TM layer.
 */
export const TETRA_ANGLE = (Math.acos(-1 / 3) * 180) / Math.PI;
export const TETRA_ANGLE_TOLERANCE = 20;
export const TETRA_OFFSET = 0.3;

export interface MigrationOptions {
  tm?: string[];
  alkali?: string[];
  anion?: string;
  cutoffs?: CutoffOverrides;
  /** TM–TM neighbour cutoff, Å (default 3.2) */
  tmCutoff?: number;
  /** the stacking axis as the normal of lattice planes (h k l), or 'auto' (default: found) */
  axis?: AxisOption;
  reference?: Structure;
  /** displacement above which a TM counts as migrated, Å (default 1.0) */
  tolerance?: number;
  file?: string;
}

export interface TmSite {
  index: number;
  species: string;
  layer: number;
  layerKind: LayerKind;
  /** TM neighbours in the same layer */
  inPlaneTM: number;
  /** TM neighbours in other layers */
  adjacentTM: number;
  /** O neighbours within the cation–O cutoff */
  nO: number;
  /** distance from its layer's centre plane along the stacking axis, Å */
  offset: number;
  tetrahedral: boolean;
  inLiLayer: boolean;
}

export interface Placement {
  frac: [number, number, number];
  layer: number;
  kind: LayerKind;
  /** reference cation site the atom sits on (within `tolerance`), -1 when none (e.g. a tetrahedral site) */
  site: number;
  /** element on that site in the reference (`Li` = a former Li site), null when none */
  siteSpecies: string | null;
}

export interface MigratedTm {
  index: number;
  species: string;
  from: Placement;
  to: Placement;
  /** minimum-image displacement from the reference, Å */
  displacement: number;
}

export interface MigrationResult {
  file: string;
  axis: StackingAxis;
  layers: Layer[];
  tm: TmSite[];
  /** species → histogram of in-plane TM neighbours (count of TM with n neighbours, keyed by n) */
  coordination: Record<string, Record<string, number>>;
  /** species → histogram of TM neighbours in other layers */
  coordinationAdjacent: Record<string, Record<string, number>>;
  tmInLiLayer: { index: number; species: string; layer: number }[];
  tetrahedralTM: { index: number; species: string; layer: number }[];
  migrated: { reference: boolean; tolerance: number; inPlane: MigratedTm[]; outOfPlane: MigratedTm[] };
  cutoffs: { tmTm: number; tmO: PairCutoff[] };
  /** unphysical distances (see contacts.ts) */
  warnings: string[];
}

/** Four O around a centre at tetrahedral angles (vectors from the centre, flat xyz). */
export function tetrahedralAngles(v: number[]): boolean {
  if (v.length !== 12) return false;
  for (let a = 0; a < 4; a++) {
    for (let b = a + 1; b < 4; b++) {
      const dot = v[3 * a] * v[3 * b] + v[3 * a + 1] * v[3 * b + 1] + v[3 * a + 2] * v[3 * b + 2];
      const cos = dot / (Math.hypot(v[3 * a], v[3 * a + 1], v[3 * a + 2]) * Math.hypot(v[3 * b], v[3 * b + 1], v[3 * b + 2]));
      if (Math.abs((Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI - TETRA_ANGLE) > TETRA_ANGLE_TOLERANCE) return false;
    }
  }
  return true;
}

function bump(h: Record<string, Record<string, number>>, species: string, n: number): void {
  const row = (h[species] ??= {});
  row[String(n)] = (row[String(n)] ?? 0) + 1;
}

function sortHist(h: Record<string, Record<string, number>>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const sp of Object.keys(h).sort()) {
    out[sp] = {};
    for (const k of Object.keys(h[sp]).sort((a, b) => Number(a) - Number(b))) out[sp][k] = h[sp][k];
  }
  return out;
}

export function migration(s: Structure, kernels: Kernels, options: MigrationOptions = {}): MigrationResult {
  const anion = options.anion ?? 'O';
  const tmSet = new Set(options.tm ?? DEFAULT_TM);
  const alkSet = new Set((options.alkali ?? DEFAULT_ALKALI).filter((a) => !tmSet.has(a)));
  const tmCutoff = options.tmCutoff ?? 3.2;
  const tolerance = options.tolerance ?? 1.0;
  if (!(tmCutoff > 0) || !(tolerance > 0)) throw new AnalysisOptionError('migration: tmCutoff and tolerance must be positive');
  const file = options.file ?? s.comment;
  const group = cationGroups(s.species, anion, tmSet, alkSet);
  const ref = options.reference;
  const refGroup = ref ? cationGroups(ref.species, anion, tmSet, alkSet) : undefined;
  const layering = findLayers(s, kernels, group, { axis: options.axis, reference: ref && refGroup ? { structure: ref, group: refGroup } : undefined });
  const { layers, layerOf, offsetOf } = layering;

  // one neighbour search: TM–TM within tmCutoff, TM–O within the cation–O cutoffs; types 0 = TM, 1 = O, 2 + e = other
  const tmIdx = Int32Array.from(s.species.flatMap((x, i) => (group[i] === TM ? [i] : [])));
  const tmSpecies = [...new Set(tmIdx.length ? Array.from(tmIdx, (i) => s.species[i]) : [])];
  const typeNames = [...tmSpecies, anion, '*'];
  const types = Int32Array.from(s.species, (x) => {
    const t = typeNames.indexOf(x);
    return t >= 0 ? t : typeNames.length - 1;
  });
  const nTypes = typeNames.length;
  const pair = new Float64Array(nTypes * nTypes);
  const o = tmSpecies.length;
  const tmO = tmSpecies.map((sp) => pairCutoff(sp, anion, options.cutoffs));
  for (let a = 0; a < tmSpecies.length; a++) {
    for (let b = 0; b < tmSpecies.length; b++) pair[a * nTypes + b] = tmCutoff;
    pair[a * nTypes + o] = pair[o * nTypes + a] = tmO[a].cutoff;
  }
  const maxCut = Math.max(tmCutoff, ...tmO.map((p) => p.cutoff));
  const list = tmIdx.length
    ? kernels.neighbours(s.lattice, s.cart, maxCut, { types, nTypes, pairCutoffs: pair, centres: tmIdx })
    : undefined;

  const tm: TmSite[] = [];
  const coordination: Record<string, Record<string, number>> = {};
  const coordinationAdjacent: Record<string, Record<string, number>> = {};
  for (const i of tmIdx) {
    let inPlane = 0, adjacent = 0, nO = 0;
    const toO: number[] = [];
    if (list) {
      for (let p = list.offsets[i]; p < list.offsets[i + 1]; p++) {
        const j = list.j[p];
        if (s.species[j] === anion) {
          nO++;
          const [ia, ib, ic] = [list.image[3 * p], list.image[3 * p + 1], list.image[3 * p + 2]];
          for (let k = 0; k < 3; k++) toO.push(s.cart[3 * j + k] + ia * s.lattice[k] + ib * s.lattice[3 + k] + ic * s.lattice[6 + k] - s.cart[3 * i + k]);
        }
        else if (group[j] === TM) layerOf[j] === layerOf[i] ? inPlane++ : adjacent++;
      }
    }
    const kind = layers[layerOf[i]].kind;
    const offset = Math.round(offsetOf[i] * 1e4) / 1e4;
    const tetrahedral = nO === 4 && offset >= TETRA_OFFSET && tetrahedralAngles(toO);
    tm.push({ index: i, species: s.species[i], layer: layerOf[i], layerKind: kind, inPlaneTM: inPlane, adjacentTM: adjacent, nO, offset, tetrahedral, inLiLayer: kind === 'Li' });
    bump(coordination, s.species[i], inPlane);
    bump(coordinationAdjacent, s.species[i], adjacent);
  }
  const brief = (t: TmSite) => ({ index: t.index, species: t.species, layer: t.layer });
  const migrated: MigrationResult['migrated'] = { reference: !!ref, tolerance, inPlane: [], outOfPlane: [] };
  if (ref && refGroup) {
    const { inPlane, outOfPlane } = migrations(s, ref, kernels, tm, refGroup, layers, layering.referenceLayerOf!, tolerance, file);
    migrated.inPlane = inPlane;
    migrated.outOfPlane = outOfPlane;
  }
  return {
    file,
    axis: layering.axis,
    layers,
    tm,
    coordination: sortHist(coordination),
    coordinationAdjacent: sortHist(coordinationAdjacent),
    tmInLiLayer: tm.filter((t) => t.inLiLayer).map(brief),
    tetrahedralTM: tm.filter((t) => t.tetrahedral).map(brief),
    migrated,
    cutoffs: { tmTm: tmCutoff, tmO },
    warnings: shortContacts(s, kernels, anion),
  };
}

/**
 * The reference partner of each TM (by element, in file order): the k-th atom of an element is the k-th of the same
 * element in the reference, -1 when the reference has fewer. Also the reference TM by element and the counts seen.
 */
export function referencePartners(tmSpecies: string[], ref: Structure, refGroup: CationGroups) {
  const refBySpecies = new Map<string, number[]>();
  ref.species.forEach((sp, i) => refGroup[i] === TM && (refBySpecies.get(sp) ?? refBySpecies.set(sp, []).get(sp)!).push(i));
  const seen = new Map<string, number>();
  const partner = tmSpecies.map((sp) => {
    const k = seen.get(sp) ?? 0;
    seen.set(sp, k + 1);
    return refBySpecies.get(sp)?.[k] ?? -1;
  });
  return { partner, refBySpecies, seen };
}

function migrations(
  s: Structure, ref: Structure, kernels: Kernels, tm: TmSite[], refGroup: CationGroups, layers: Layer[], refLayerOf: Int32Array,
  tolerance: number, file: string,
): { inPlane: MigratedTm[]; outOfPlane: MigratedTm[] } {
  const { partner, refBySpecies, seen } = referencePartners(tm.map((t) => t.species), ref, refGroup);
  for (const [sp, list] of refBySpecies) {
    if ((seen.get(sp) ?? 0) !== list.length) throw new MismatchError([file, ref.comment || 'reference'], `${sp}: ${seen.get(sp) ?? 0} atoms vs ${list.length} in the reference (TM are matched per element in file order)`);
  }
  for (const sp of seen.keys()) if (!refBySpecies.has(sp)) throw new MismatchError([file, ref.comment || 'reference'], `${sp} is not in the reference`);

  const n = tm.length;
  const fa = new Float64Array(3 * n), fb = new Float64Array(3 * n);
  tm.forEach((t, k) => {
    fa.set(ref.frac.subarray(3 * partner[k], 3 * partner[k] + 3), 3 * k);
    fb.set(s.frac.subarray(3 * t.index, 3 * t.index + 3), 3 * k);
  });
  const d = kernels.minImage(s.lattice, fa, fb);
  const refCat: number[] = [];
  refGroup.forEach((g, i) => g >= 0 && refCat.push(i));
  const refCatFrac = new Float64Array(refCat.length * 3);
  refCat.forEach((i, k) => refCatFrac.set(ref.frac.subarray(3 * i, 3 * i + 3), 3 * k));
  const on = kernels.assignSites(s.lattice, fb, refCatFrac, tolerance);
  const triple = (f: Float64Array, k: number): [number, number, number] => [round(f[3 * k]), round(f[3 * k + 1]), round(f[3 * k + 2])];

  const inPlane: MigratedTm[] = [], outOfPlane: MigratedTm[] = [];
  tm.forEach((t, k) => {
    const disp = Math.hypot(d[3 * k], d[3 * k + 1], d[3 * k + 2]);
    if (!(disp > tolerance)) return;
    const r = partner[k];
    const site = on.index[k] < 0 ? -1 : refCat[on.index[k]];
    const entry: MigratedTm = {
      index: t.index,
      species: t.species,
      from: { frac: triple(fa, k), layer: refLayerOf[r], kind: layers[refLayerOf[r]]?.kind ?? 'other', site: r, siteSpecies: ref.species[r] },
      to: { frac: triple(fb, k), layer: t.layer, kind: t.layerKind, site, siteSpecies: site < 0 ? null : ref.species[site] },
      displacement: round(disp),
    };
    if (t.inLiLayer || t.tetrahedral) outOfPlane.push(entry);
    else if (t.layerKind === 'TM') inPlane.push(entry);
  });
  return { inPlane, outOfPlane };
}

function round(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}
