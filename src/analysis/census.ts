import type { Kernels, NeighbourList } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import { MismatchError, AnalysisOptionError } from '../errors.js';
import { latticeParameters } from '../model/lattice.js';
import { ALKALI, DEFAULT_ALKALI, DEFAULT_TM, OTHER, TM, anionSites, cationGroups, cutoffMatrix, type CutoffOverrides, type PairCutoff } from './cutoffs.js';

/**
 * The O4/O5 census: every anion (O) classified by the cations on the six octahedral sites around it.
 * Class `O(6 − nTM)` counts the non-TM sites: O4 = 2 TM (OLi4TM2 in Li2MnO3-like regions), O5 = 1 TM, O3 = 3 TM.
 *
 * Without a reference the cation neighbours are those within the per-pair cutoffs (cutoffs.ts); vacancies are
 * 6 − (cation neighbours), never negative. With a reference (the pristine structure, same cell or a scaled one) the
 * sites come from the reference: the (up to) six nearest cation sites of each reference O within the cutoffs.
 * Each current cation sits on its nearest reference cation site (minimum image, within `siteTolerance`), each
 * current O on its nearest reference O; an empty site is a vacancy, and a TM that moved onto a former Li site
 * counts as TM there. A site holding a TM counts as TM even if an alkali atom is assigned to it as well.
 */
export interface CensusOptions {
  /** cations on TM-layer sites (default DEFAULT_TM) */
  tm?: string[];
  /** alkali cations counted as nLi (default Li, Na) */
  alkali?: string[];
  cutoffs?: CutoffOverrides;
  /** pristine structure giving the cation sites (see above) */
  reference?: Structure;
  /** the anion whose environments are counted (default O) */
  anion?: string;
  /** display name copied into the result */
  file?: string;
  /** how far (Å) an atom may be from a reference site and still sit on it (default 1.0) */
  siteTolerance?: number;
  /** include per-O neighbour lists in `sites` (default true) */
  neighbours?: boolean;
}

export interface CensusNeighbour {
  /** site index of the cation in the analysed structure; -1 for an empty reference site */
  index: number;
  /** element of that cation, null for an empty reference site */
  species: string | null;
  /** O–cation distance in Å (with a reference: the O–site distance in the reference) */
  dist: number;
  /** reference cation site (only with a reference) */
  site?: number;
}

export interface CensusSite {
  /** site index of the O in the structure (file order, 0-based) */
  index: number;
  nTM: number;
  /** alkali (Li, Na) neighbours */
  nLi: number;
  /** cations that are neither TM nor alkali */
  nOther: number;
  vacancies: number;
  class: string;
  /** the reference O this O was matched to (with a reference; -1 when none within the tolerance) */
  refSite?: number;
  neighbours?: CensusNeighbour[];
}

export interface CensusResult {
  file: string;
  /** number of anions (O) classified */
  nO: number;
  /** class → number of O */
  classes: Record<string, number>;
  /** class → fraction of O (0..1) */
  fractions: Record<string, number>;
  /** every (nTM, nLi) combination found, with its number of O */
  histogram: { nTM: number; nLi: number; count: number }[];
  /**
   * every (class, nLi, vacancies) combination found, with its number of O: in a delithiated cell the O of one
   * class differ by how many Li they lost (O4 with 4 Li and with 2 Li + 2 vacancies are not the same environment)
   */
  environments: { class: string; nTM: number; nLi: number; vacancies: number; count: number }[];
  sites: CensusSite[];
  cutoffs: PairCutoff[];
  tm: string[];
  alkali: string[];
  /** with a reference: atoms that sat on no reference site within the tolerance (counted by their own neighbours for O, ignored for cations) */
  reference?: { siteTolerance: number; unassignedO: number[]; unassignedCations: number[] };
}

export interface CensusEnsemble {
  /** class → mean fraction over the structures */
  mean: Record<string, number>;
  /** class → sample standard deviation (n − 1) of the fraction; 0 for one structure */
  std: Record<string, number>;
  n: number;
}

/** O6 … O0: one string per class, not one per O */
const CLASS_NAMES = Array.from({ length: 7 }, (_, t) => `O${6 - t}`);

export function className(nTM: number): string {
  return CLASS_NAMES[nTM] ?? `O${6 - nTM}`;
}

/** Class names in order O0, O1 … O6 (and anything else after). */
function classOrder(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1)) || a.localeCompare(b);
}

function round(x: number, digits = 5): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function indicesOf(species: string[], pred: (s: string) => boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < species.length; i++) if (pred(species[i])) out.push(i);
  return Int32Array.from(out);
}

function gather(frac: Float64Array, idx: Int32Array): Float64Array {
  const out = new Float64Array(idx.length * 3);
  for (let k = 0; k < idx.length; k++) for (let d = 0; d < 3; d++) out[3 * k + d] = frac[3 * idx[k] + d];
  return out;
}

/** Cation neighbours of the given centres within the per-pair cation–anion cutoffs. */
export function anionNeighbours(s: Structure, kernels: Kernels, anion: string, centres: Int32Array, overrides?: CutoffOverrides) {
  const m = cutoffMatrix(s.species, anion, overrides);
  const list: NeighbourList =
    m.maxCutoff > 0 && centres.length > 0
      ? kernels.neighbours(s.lattice, s.cart, m.maxCutoff, { types: m.types, nTypes: m.nTypes, pairCutoffs: m.pairCutoffs, centres })
      : { offsets: new Int32Array(s.species.length + 1), j: new Int32Array(0), image: new Int32Array(0), dist: new Float64Array(0) };
  return { list, used: m.used };
}

/**
 * TM / alkali / other neighbour counts (TM, ALKALI, OTHER per centre, in the order of `centres`) within the per-pair
 * cation–anion cutoffs, for `nFrames` frames of one cell (fractional coordinates, frame-major), by the counts
 * kernel: no pair list is built.
 */
export function anionCounts(
  lattice: Float64Array, species: string[], frac: Float64Array, nFrames: number, kernels: Kernels, anion: string, centres: Int32Array, group: Int32Array, overrides?: CutoffOverrides,
) {
  const m = cutoffMatrix(species, anion, overrides);
  const counts = m.maxCutoff > 0 && centres.length > 0 && nFrames > 0
    ? kernels.countNeighbours(lattice, frac, nFrames, m.maxCutoff, { types: m.types, nTypes: m.nTypes, pairCutoffs: m.pairCutoffs, centres, group, nGroups: 3 })
    : new Int32Array(nFrames * centres.length * 3);
  return { counts, used: m.used };
}

/** Pairs of centre i sorted by distance, then index (engines may list them in different orders). */
function sortedPairs(list: NeighbourList, i: number): number[] {
  const p: number[] = [];
  for (let k = list.offsets[i]; k < list.offsets[i + 1]; k++) p.push(k);
  return p.sort((x, y) => list.dist[x] - list.dist[y] || list.j[x] - list.j[y]);
}

/**
 * Throws MismatchError unless `ref` has the shape of `s`'s cell (lengths within ±10%, angles within 5°): more than
 * any real lattice change on (de)lithiation, and tight enough that another supercell of the same parent is refused
 * (3a against 2√3a is 13% off; with ±20% such a reference was accepted and most of its sites missed).
 */
function checkCells(s: Structure, ref: Structure, names: string[]): void {
  const p = latticeParameters(s.lattice);
  const q = latticeParameters(ref.lattice);
  for (const k of ['a', 'b', 'c'] as const) {
    const r = p[k] / q[k];
    if (!(r > 0.9 && r < 1 / 0.9)) throw new MismatchError(names, `cell length ${k} differs too much from the reference (${p[k].toFixed(3)} vs ${q[k].toFixed(3)} Å); use a reference in the same cell`);
  }
  for (const k of ['alpha', 'beta', 'gamma'] as const) {
    if (Math.abs(p[k] - q[k]) > 5) throw new MismatchError(names, `cell angle ${k} differs from the reference (${p[k].toFixed(2)}° vs ${q[k].toFixed(2)}°)`);
  }
}

export function census(s: Structure, kernels: Kernels, options: CensusOptions = {}): CensusResult {
  const anion = options.anion ?? 'O';
  const tm = options.tm ?? DEFAULT_TM;
  const alkali = options.alkali ?? DEFAULT_ALKALI;
  const tmSet = new Set(tm);
  const alkSet = new Set(alkali.filter((a) => !tmSet.has(a)));
  if (tmSet.has(anion) || alkSet.has(anion)) throw new AnalysisOptionError(`the anion ${anion} cannot also be a TM or alkali cation`);
  const file = options.file ?? s.comment;
  const withNeighbours = options.neighbours ?? true;
  const group = cationGroups(s.species, anion, tmSet, alkSet);
  const centres = anionSites(group);
  // the pair list only where the neighbours are shown; the counts alone come from the counts kernel
  const { list, used } = withNeighbours ? anionNeighbours(s, kernels, anion, centres, options.cutoffs) : { list: undefined, used: undefined };
  const byList = list ? kernels.countByGroup(list, group, 3) : undefined;
  const counted = byList ? undefined : anionCounts(s.lattice, s.species, s.frac, 1, kernels, anion, centres, group, options.cutoffs);
  const sites: CensusSite[] = new Array(centres.length);
  const counts = byList ?? counted!.counts;
  for (let k = 0; k < centres.length; k++) {
    const i = centres[k];
    const at = byList ? 3 * i : 3 * k;
    const nTM = counts[at + TM], nLi = counts[at + ALKALI], nOther = counts[at + OTHER];
    const site: CensusSite = { index: i, nTM, nLi, nOther, vacancies: Math.max(0, 6 - nTM - nLi - nOther), class: className(nTM) };
    if (list) site.neighbours = sortedPairs(list, i).map((p) => ({ index: list.j[p], species: s.species[list.j[p]], dist: round(list.dist[p]) }));
    sites[k] = site;
  }

  let reference: CensusResult['reference'];
  if (options.reference) {
    const tol = options.siteTolerance ?? 1.0;
    reference = { siteTolerance: tol, ...onReference(s, options.reference, kernels, anion, group, sites, options, tol, file) };
  }
  return { file, ...tally(sites), sites, cutoffs: used ?? counted!.used, tm, alkali: [...alkSet], ...(reference ? { reference } : {}) };
}

/** Re-counts `sites` on the reference's cation sites (see the module comment); returns the atoms left unassigned. */
function onReference(
  s: Structure, ref: Structure, kernels: Kernels, anion: string, group: Int32Array,
  sites: CensusSite[], options: CensusOptions, tol: number, file: string,
): { unassignedO: number[]; unassignedCations: number[] } {
  checkCells(s, ref, [file, options.reference?.comment ?? 'reference']);
  const refO = indicesOf(ref.species, (x) => x === anion);
  const refCat = indicesOf(ref.species, (x) => x !== anion);
  const { list: refList } = anionNeighbours(ref, kernels, anion, refO, options.cutoffs);
  // reference cation site (position in refCat) of every reference cation index
  const slotOf = new Int32Array(ref.species.length).fill(-1);
  refCat.forEach((r, k) => (slotOf[r] = k));

  const cat = indicesOf(s.species, (x) => x !== anion);
  const catOn = kernels.assignSites(s.lattice, gather(s.frac, cat), gather(ref.frac, refCat), tol);
  const oOn = kernels.assignSites(s.lattice, gather(s.frac, Int32Array.from(sites.map((x) => x.index))), gather(ref.frac, refO), tol);

  // occupant of each reference cation site; a TM wins over an alkali, an alkali over another cation
  const occupant = new Int32Array(refCat.length).fill(-1);
  const unassignedCations: number[] = [];
  for (let k = 0; k < cat.length; k++) {
    const slot = catOn.index[k];
    if (slot < 0) {
      unassignedCations.push(cat[k]);
      continue;
    }
    const prev = occupant[slot];
    if (prev < 0 || group[cat[k]] < group[prev]) occupant[slot] = cat[k];
  }
  const unassignedO: number[] = [];
  sites.forEach((site, k) => {
    const r = oOn.index[k];
    site.refSite = r < 0 ? -1 : refO[r];
    if (r < 0) {
      unassignedO.push(site.index);
      return;
    }
    const o = refO[r];
    const pairs = sortedPairs(refList, o).slice(0, 6);
    let nTM = 0, nLi = 0, nOther = 0, vac = 0;
    const nb: CensusNeighbour[] = [];
    for (const p of pairs) {
      const slot = slotOf[refList.j[p]];
      const occ = occupant[slot];
      if (occ < 0) vac++;
      else if (group[occ] === TM) nTM++;
      else if (group[occ] === ALKALI) nLi++;
      else nOther++;
      nb.push({ index: occ, species: occ < 0 ? null : s.species[occ], dist: round(refList.dist[p]), site: refList.j[p] });
    }
    Object.assign(site, { nTM, nLi, nOther, vacancies: vac, class: className(nTM) });
    if (site.neighbours) site.neighbours = nb;
  });
  return { unassignedO, unassignedCations };
}

function tally(sites: CensusSite[]) {
  // one numeric key per (nTM, nLi, vacancies) (counts below 65536, exact in a double): the histogram and the classes
  // are sums over the few environments found, not one string or Map lookup more per site
  const envs = new Map<number, CensusResult['environments'][number]>();
  for (const x of sites) {
    const key = (x.nTM * 65536 + x.nLi) * 65536 + x.vacancies;
    const env = envs.get(key);
    if (env) env.count++;
    else envs.set(key, { class: x.class, nTM: x.nTM, nLi: x.nLi, vacancies: x.vacancies, count: 1 });
  }
  const classes: Record<string, number> = {};
  const hist = new Map<number, { nTM: number; nLi: number; count: number }>();
  for (const e of envs.values()) {
    classes[e.class] = (classes[e.class] ?? 0) + e.count;
    const key = e.nTM * 65536 + e.nLi;
    const h = hist.get(key);
    if (h) h.count += e.count;
    else hist.set(key, { nTM: e.nTM, nLi: e.nLi, count: e.count });
  }
  const nO = sites.length;
  const ordered: Record<string, number> = {};
  const fractions: Record<string, number> = {};
  for (const c of Object.keys(classes).sort(classOrder)) {
    ordered[c] = classes[c];
    fractions[c] = classes[c] / nO;
  }
  const histogram = [...hist.values()].sort((a, b) => a.nTM - b.nTM || a.nLi - b.nLi);
  const environments = [...envs.values()].sort((a, b) => b.nTM - a.nTM || b.nLi - a.nLi || a.vacancies - b.vacancies);
  return { nO, classes: ordered, fractions, histogram, environments };
}

/** The census class of each O by site index, null at every other site (PDOS grouped by class). */
export function classesBySite(c: Pick<CensusResult, 'sites'>, nSites: number): (string | null)[] {
  const out: (string | null)[] = new Array(nSites).fill(null);
  for (const s of c.sites) out[s.index] = s.class;
  return out;
}

/** Mean and sample standard deviation (n − 1) of each class fraction over an ensemble (SQS cells); a class absent from a structure counts as 0 there. */
export function ensemble(results: CensusResult[]): CensusEnsemble {
  const names = [...new Set(results.flatMap((r) => Object.keys(r.fractions)))].sort(classOrder);
  const n = results.length;
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  for (const c of names) {
    const xs = results.map((r) => r.fractions[c] ?? 0);
    const m = xs.reduce((a, b) => a + b, 0) / n;
    mean[c] = m;
    std[c] = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1)) : 0;
  }
  return { mean, std, n };
}
