/**
 * Cation–anion bond cutoffs for the environment analyses (census, migration).
 *
 * Default cutoff of a cation–O pair = r(cation, Shannon, 6-coordinate) + r(O2−, 6-coordinate, 1.40 Å) + TOLERANCE.
 * For each element the radius is that of its largest common ion in oxide cathodes (lowest usual oxidation state,
 * high spin), so reduced and Jahn–Teller-elongated bonds are still caught. With the 0.35 Å tolerance the defaults
 * lie between 2.29 Å (Al–O) and 2.77 Å (Na–O): first-shell bonds of layered oxides (TM–O 1.9–2.05 Å, Li–O 2.1–2.2 Å)
 * are inside, the next cation–O shell (≈ 3.4 Å in rock-salt-derived oxides) is far outside.
 * Cations without a table entry get FALLBACK_RADIUS (stated in the result so the user can override it).
 */
export const ANION_RADIUS = 1.4;
export const TOLERANCE = 0.35;
export const FALLBACK_RADIUS = 0.8;

/** Shannon (1976) effective ionic radii, CN 6, Å, with the ion they belong to. */
export const SHANNON_CN6: Readonly<Record<string, { ion: string; r: number }>> = {
  Li: { ion: 'Li+', r: 0.76 },
  Na: { ion: 'Na+', r: 1.02 },
  K: { ion: 'K+', r: 1.38 },
  Mg: { ion: 'Mg2+', r: 0.72 },
  Al: { ion: 'Al3+', r: 0.535 },
  Ti: { ion: 'Ti3+', r: 0.67 },
  V: { ion: 'V3+', r: 0.64 },
  Cr: { ion: 'Cr3+', r: 0.615 },
  Mn: { ion: 'Mn3+ (HS)', r: 0.645 },
  Fe: { ion: 'Fe2+ (HS)', r: 0.78 },
  Co: { ion: 'Co2+ (HS)', r: 0.745 },
  Ni: { ion: 'Ni2+', r: 0.69 },
  Cu: { ion: 'Cu2+', r: 0.73 },
  Zn: { ion: 'Zn2+', r: 0.74 },
  Zr: { ion: 'Zr4+', r: 0.72 },
  Nb: { ion: 'Nb5+', r: 0.64 },
  Mo: { ion: 'Mo4+', r: 0.65 },
  Ru: { ion: 'Ru3+', r: 0.68 },
  Sn: { ion: 'Sn4+', r: 0.69 },
  Ta: { ion: 'Ta5+', r: 0.64 },
  W: { ion: 'W4+', r: 0.66 },
};

/** Cations that occupy transition-metal-layer sites in layered oxides (TM and the common dopants). */
export const DEFAULT_TM = ['Mn', 'Ni', 'Co', 'Fe', 'Cr', 'Ti', 'V', 'Cu', 'Zn', 'Al', 'Mg', 'Nb', 'Zr', 'Mo', 'W', 'Ru', 'Sn', 'Ta'];
export const DEFAULT_ALKALI = ['Li', 'Na'];

/** Role of each site in the environment analyses: TM-site cation, alkali, other cation, or -1 for the anion. */
export const TM = 0;
export const ALKALI = 1;
export const OTHER = 2;

export function cationGroups(species: string[], anion: string, tm: Set<string>, alkali: Set<string>): Int32Array {
  const out = new Int32Array(species.length);
  // species come in runs (POSCAR order): the group is looked up once per run
  let last = '';
  let g = 0;
  for (let i = 0; i < species.length; i++) {
    const s = species[i];
    if (s !== last) {
      last = s;
      g = s === anion ? -1 : tm.has(s) ? TM : alkali.has(s) ? ALKALI : OTHER;
    }
    out[i] = g;
  }
  return out;
}

/** Sites of the anion: group −1 (cationGroups), one pass over the typed array rather than the species strings. */
export function anionSites(group: Int32Array): Int32Array {
  let n = 0;
  for (let i = 0; i < group.length; i++) if (group[i] < 0) n++;
  const out = new Int32Array(n);
  for (let i = 0, k = 0; i < group.length; i++) if (group[i] < 0) out[k++] = i;
  return out;
}

export interface PairCutoff {
  /** `Mn-O` (cation first) */
  pair: string;
  cutoff: number;
  /** how the value was obtained, e.g. `Shannon Mn3+ (HS) 0.645 + O2− 1.40 + 0.35` or `--cutoff` */
  source: string;
}

/** User overrides: one global cutoff and/or per-pair values keyed `Mn-O` (order-free). */
export interface CutoffOverrides {
  global?: number;
  pairs?: Record<string, number>;
}

/** The key of a pair in CutoffOverrides.pairs: the two symbols in alphabetical order (`Li-O`, `Mn-O`). */
export function pairKey(a: string, b: string): string {
  return [a, b].sort().join('-');
}

/** Cutoff of cation `cation` with `anion`, with its provenance. */
export function pairCutoff(cation: string, anion: string, overrides: CutoffOverrides = {}): PairCutoff {
  const pair = `${cation}-${anion}`;
  const user = overrides.pairs?.[pairKey(cation, anion)];
  if (user !== undefined) return { pair, cutoff: user, source: '--cutoff (pair)' };
  if (overrides.global !== undefined) return { pair, cutoff: overrides.global, source: '--cutoff (global)' };
  const entry = SHANNON_CN6[cation];
  const r = entry?.r ?? FALLBACK_RADIUS;
  const what = entry ? `Shannon ${entry.ion} ${entry.r}` : `fallback radius ${FALLBACK_RADIUS}`;
  const cutoff = Math.round((r + ANION_RADIUS + TOLERANCE) * 1e4) / 1e4;
  return { pair, cutoff, source: `${what} + ${anion === "O" ? "O2−" : anion} ${ANION_RADIUS.toFixed(2)} + tolerance ${TOLERANCE}` };
}

/**
 * Per-pair cutoff matrix for kernels.neighbours over the distinct species of a structure: only cation–anion pairs
 * are kept (every other entry 0 = excluded). Returns the site types, the matrix, the search bound and the list of
 * cutoffs actually used (pairs present in the structure), in the order of first appearance.
 */
export function cutoffMatrix(species: string[], anion: string, overrides: CutoffOverrides = {}) {
  const names: string[] = [];
  const index = new Map<string, number>();
  const types = new Int32Array(species.length);
  let last = '';
  let t = -1;
  for (let i = 0; i < species.length; i++) {
    if (species[i] !== last) {
      last = species[i];
      t = index.get(last) ?? -1;
      if (t < 0) {
        t = names.length;
        index.set(last, t);
        names.push(last);
      }
    }
    types[i] = t;
  }
  const nTypes = names.length;
  const pairCutoffs = new Float64Array(nTypes * nTypes);
  const used: PairCutoff[] = [];
  const a = index.get(anion);
  let max = 0;
  if (a !== undefined) {
    for (let t = 0; t < nTypes; t++) {
      if (t === a) continue;
      const pc = pairCutoff(names[t], anion, overrides);
      pairCutoffs[t * nTypes + a] = pairCutoffs[a * nTypes + t] = pc.cutoff;
      max = Math.max(max, pc.cutoff);
      used.push(pc);
    }
  }
  return { names, types, nTypes, pairCutoffs, maxCutoff: max, used };
}
