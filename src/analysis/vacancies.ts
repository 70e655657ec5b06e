import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import { AnalysisOptionError } from '../errors.js';
import type { CensusResult } from './census.js';
import { cationGroups, DEFAULT_ALKALI, DEFAULT_TM } from './cutoffs.js';
import { findLayers, type AxisOption } from './layers.js';

/**
 * Vacancy clusters in the TM layers: the reference cation sites of TM layers that no current cation occupies (the
 * census on the reference decides occupancy: each cation sits on its nearest reference site within the tolerance),
 * joined into clusters when two empty sites of the same layer are within `inPlaneCutoff` (default 3.2 Å: in-plane
 * cation neighbours are ≈ a ≈ 2.85 Å apart). Around each cluster: the O whose six reference cation sites include
 * one of its sites, with their census classes.
 */
export interface VacancyOptions {
  tm?: string[];
  alkali?: string[];
  anion?: string;
  /** in-plane adjacency of empty sites, Å (default 3.2) */
  inPlaneCutoff?: number;
  /** stacking axis (default found from the reference) */
  axis?: AxisOption;
}

export interface VacancyCluster {
  /** reference cation sites (0-based indices in the reference) */
  sites: number[];
  size: number;
  /** layer index (as in `migration`) */
  layer: number;
  /** reference species of the empty sites → count (Li = former TM-layer Li) */
  formerSpecies: Record<string, number>;
  /** O next to the cluster: site in the analysed structure, its class and how many of its six sites are in the cluster */
  oxygens: { index: number; class: string; vacantSites: number }[];
  /** class → O next to the cluster */
  oxygenClasses: Record<string, number>;
}

export interface VacancyResult {
  inPlaneCutoff: number;
  /** empty reference sites in TM layers */
  vacancies: number;
  clusters: VacancyCluster[];
  /** cluster size → number of clusters */
  histogram: Record<string, number>;
  /** the largest cluster size (0 without vacancies) */
  largest: number;
}

const numeric = (p: string, q: string) => p.localeCompare(q, 'en', { numeric: true });

function sortedRecord(r: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(r).sort(numeric)) out[k] = r[k];
  return out;
}

/** Needs a census run with the reference and neighbour lists (`census(s, k, { reference, neighbours: true })`). */
export function vacancyClusters(s: Structure, reference: Structure, kernels: Kernels, census: Pick<CensusResult, 'sites'>, options: VacancyOptions = {}): VacancyResult {
  const anion = options.anion ?? 'O';
  const cutoff = options.inPlaneCutoff ?? 3.2;
  if (!(cutoff > 0)) throw new AnalysisOptionError(`in-plane cutoff ${cutoff}: expected a positive length in Å`);
  if (census.sites.some((o) => o.neighbours && o.neighbours.some((n) => n.site === undefined))) {
    throw new AnalysisOptionError('vacancy clusters need a census run on the reference');
  }
  const tm = new Set(options.tm ?? DEFAULT_TM);
  const alkali = new Set((options.alkali ?? DEFAULT_ALKALI).filter((a) => !tm.has(a)));
  const group = cationGroups(s.species, anion, tm, alkali);
  const refGroup = cationGroups(reference.species, anion, tm, alkali);
  const layering = findLayers(s, kernels, group, { axis: options.axis, reference: { structure: reference, group: refGroup } });
  const refLayer = layering.referenceLayerOf!;
  const tmLayer = (site: number) => refLayer[site] >= 0 && layering.layers[refLayer[site]].kind === 'TM';

  // empty sites and the O around each, from the census on the reference
  const empty = new Set<number>();
  const around = new Map<number, { index: number; class: string; sites: number[] }[]>();
  for (const o of census.sites) {
    for (const n of o.neighbours ?? []) {
      if (n.index >= 0 || !tmLayer(n.site!)) continue;
      empty.add(n.site!);
      const list = around.get(n.site!) ?? [];
      list.push({ index: o.index, class: o.class, sites: [] });
      around.set(n.site!, list);
    }
  }
  const sites = Int32Array.from([...empty].sort((p, q) => p - q));
  // union–find over empty sites of one layer within the cutoff
  const parent = new Map<number, number>([...sites].map((x) => [x, x]));
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r)! !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  if (sites.length > 1) {
    const types = Int32Array.from(reference.species, (_, i) => (empty.has(i) ? 1 : 0));
    const list = kernels.neighbours(reference.lattice, reference.cart, cutoff, { types, nTypes: 2, pairCutoffs: Float64Array.of(0, 0, 0, cutoff), centres: sites });
    for (const i of sites) {
      for (let k = list.offsets[i]; k < list.offsets[i + 1]; k++) {
        const j = list.j[k];
        if (refLayer[j] !== refLayer[i]) continue;
        const a = find(i), b = find(j);
        if (a !== b) parent.set(Math.max(a, b), Math.min(a, b));
      }
    }
  }
  const members = new Map<number, number[]>();
  for (const x of sites) {
    const r = find(x);
    const m = members.get(r);
    if (m) m.push(x);
    else members.set(r, [x]);
  }
  const clusters: VacancyCluster[] = [...members.values()].map((m) => {
    const formerSpecies: Record<string, number> = {};
    for (const x of m) formerSpecies[reference.species[x]] = (formerSpecies[reference.species[x]] ?? 0) + 1;
    const oxygens = new Map<number, { index: number; class: string; vacantSites: number }>();
    for (const x of m) {
      for (const o of around.get(x) ?? []) {
        const row = oxygens.get(o.index) ?? { index: o.index, class: o.class, vacantSites: 0 };
        row.vacantSites++;
        oxygens.set(o.index, row);
      }
    }
    const oList = [...oxygens.values()].sort((p, q) => p.index - q.index);
    const oxygenClasses: Record<string, number> = {};
    for (const o of oList) oxygenClasses[o.class] = (oxygenClasses[o.class] ?? 0) + 1;
    return { sites: m, size: m.length, layer: refLayer[m[0]], formerSpecies: sortedRecord(formerSpecies), oxygens: oList, oxygenClasses: sortedRecord(oxygenClasses) };
  });
  clusters.sort((p, q) => q.size - p.size || p.sites[0] - q.sites[0]);
  const histogram: Record<string, number> = {};
  for (const c of clusters) histogram[String(c.size)] = (histogram[String(c.size)] ?? 0) + 1;
  return { inPlaneCutoff: cutoff, vacancies: sites.length, clusters, histogram: sortedRecord(histogram), largest: clusters[0]?.size ?? 0 };
}
