import type { Kernels, NeighbourList } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import { AnalysisOptionError } from '../errors.js';
import { anionNeighbours, type CensusResult } from './census.js';
import { ANION_RADIUS, FALLBACK_RADIUS, SHANNON_CN6, type CutoffOverrides } from './cutoffs.js';

/**
 * O–O short contacts: every pair of O closer than the peroxo-like threshold (default 1.55 Å; O2²⁻ peroxide
 * ≈ 1.45–1.5 Å), marked O2-like below the second threshold (default 1.35 Å; molecular O2 1.21 Å, superoxide
 * ≈ 1.33 Å). Regular O–O edges of a close-packed oxide are ≈ 2.5–3.0 Å, so any contact is a dimer candidate.
 * Each pair is listed once per lattice translation (an O and its own periodic image count in tiny cells).
 * Two O share a cation when one cation atom (the same periodic image) is within the census cation–O cutoff of both.
 */
export interface ContactOptions {
  /** contacts shorter than this are peroxo-like (Å, default 1.55) */
  peroxo?: number;
  /** contacts shorter than this are O2-like (Å, default 1.35; must be ≤ peroxo) */
  o2?: number;
  anion?: string;
  /** cation–O cutoffs for "shares a cation" (as the census) */
  cutoffs?: CutoffOverrides;
}

export type ContactKind = 'O2-like' | 'peroxo-like';

export interface OOContact {
  /** site indices, 0-based, a ≤ b */
  a: number;
  b: number;
  /** lattice translation of b: r_ab = r_b + image·L − r_a */
  image: [number, number, number];
  /** Å */
  distance: number;
  kind: ContactKind;
  /** census classes of a and b (null without a census) */
  classes: [string | null, string | null];
  /** cation sites bonded to both O (0-based; empty when they share none) */
  sharedCations: number[];
}

export interface ContactsResult {
  thresholds: { peroxo: number; o2: number };
  contacts: OOContact[];
  counts: { total: number; peroxoLike: number; o2Like: number; sharingACation: number };
  /** class → O of that class taking part in a contact of each kind (an O in two contacts counts once, for its shortest) */
  byClass: Record<string, { oxygens: number; peroxoLike: number; o2Like: number }>;
}

export const DEFAULT_PEROXO = 1.55;
export const DEFAULT_O2 = 1.35;

const key = (j: number, a: number, b: number, c: number) => `${j}:${a},${b},${c}`;

/** Cation neighbours of each centre as `site:image` keys. */
function cationKeys(list: NeighbourList, i: number, shift: [number, number, number] = [0, 0, 0]): string[] {
  const out: string[] = [];
  for (let k = list.offsets[i]; k < list.offsets[i + 1]; k++) {
    out.push(key(list.j[k], list.image[3 * k] + shift[0], list.image[3 * k + 1] + shift[1], list.image[3 * k + 2] + shift[2]));
  }
  return out;
}

/** The first translation of a self-image pair (i = j) that is lexicographically positive keeps one of ±t. */
function positive(t: [number, number, number]): boolean {
  return t[0] > 0 || (t[0] === 0 && (t[1] > 0 || (t[1] === 0 && t[2] > 0)));
}

export function ooContacts(s: Structure, kernels: Kernels, census: Pick<CensusResult, 'sites'> | undefined, options: ContactOptions = {}): ContactsResult {
  const peroxo = options.peroxo ?? DEFAULT_PEROXO;
  const o2 = options.o2 ?? DEFAULT_O2;
  if (!(peroxo > 0) || !(o2 > 0) || o2 > peroxo) throw new AnalysisOptionError(`O–O thresholds ${o2} and ${peroxo} Å: expected 0 < O2-like ≤ peroxo-like`);
  const anion = options.anion ?? 'O';
  const oIdx = Int32Array.from(s.species.flatMap((x, i) => (x === anion ? [i] : [])));
  const classOf = new Map<number, string>();
  for (const site of census?.sites ?? []) classOf.set(site.index, site.class);

  const contacts: OOContact[] = [];
  if (oIdx.length > 0) {
    const types = Int32Array.from(s.species, (x) => (x === anion ? 1 : 0));
    const list = kernels.neighbours(s.lattice, s.cart, peroxo, { types, nTypes: 2, pairCutoffs: Float64Array.of(0, 0, 0, peroxo), centres: oIdx });
    const { list: cations } = anionNeighbours(s, kernels, anion, oIdx, options.cutoffs);
    for (const i of oIdx) {
      for (let k = list.offsets[i]; k < list.offsets[i + 1]; k++) {
        const j = list.j[k];
        const image: [number, number, number] = [list.image[3 * k], list.image[3 * k + 1], list.image[3 * k + 2]];
        if (j < i || (j === i && !positive(image)) || !(list.dist[k] < peroxo)) continue;
        const mine = new Set(cationKeys(cations, i));
        const shared = [...new Set(cationKeys(cations, j, image).filter((x) => mine.has(x)).map((x) => Number(x.split(':')[0])))].sort((p, q) => p - q);
        const d = list.dist[k];
        contacts.push({
          a: i,
          b: j,
          image,
          distance: d,
          kind: d < o2 ? 'O2-like' : 'peroxo-like',
          classes: [classOf.get(i) ?? null, classOf.get(j) ?? null],
          sharedCations: shared,
        });
      }
    }
  }
  contacts.sort((p, q) => p.distance - q.distance || p.a - q.a || p.b - q.b);

  // per class: each O once, with the kind of its shortest contact (contacts are sorted by distance)
  const seen = new Map<number, ContactKind>();
  for (const c of contacts) for (const o of [c.a, c.b]) if (!seen.has(o)) seen.set(o, c.kind);
  const byClass: ContactsResult['byClass'] = {};
  for (const [o, kind] of seen) {
    const cls = classOf.get(o) ?? 'unclassified';
    const row = (byClass[cls] ??= { oxygens: 0, peroxoLike: 0, o2Like: 0 });
    row.oxygens++;
    if (kind === 'O2-like') row.o2Like++;
    else row.peroxoLike++;
  }
  const ordered: ContactsResult['byClass'] = {};
  for (const k of Object.keys(byClass).sort((p, q) => p.localeCompare(q, 'en', { numeric: true }))) ordered[k] = byClass[k];
  return {
    thresholds: { peroxo, o2 },
    contacts,
    counts: {
      total: contacts.length,
      peroxoLike: contacts.filter((c) => c.kind === 'peroxo-like').length,
      o2Like: contacts.filter((c) => c.kind === 'O2-like').length,
      sharingACation: contacts.filter((c) => c.sharedCations.length > 0).length,
    },
    byClass: ordered,
  };
}

/**
 * Distances no relaxed oxide has: a cation–O pair shorter than SHORT_FRACTION of the Shannon radius sum (Mn–O
 * 1.64 Å, Li–O 1.73 Å; the shortest real Mn⁴⁺–O bonds are ≈ 1.85 Å) or two cations closer than CATION_MIN. They mark
 * an interpolated NEB image or a hand-built structure, whose census and coordination then mean little; they are
 * reported, not corrected. O–O pairs are left alone: short O–O (peroxo-like, 1.2–1.5 Å) is the O-redox signal
 * LRLO studies look for.
 */
export const SHORT_FRACTION = 0.8;
export const CATION_MIN = 2.0;
/** At most this many pairs are named in the warning; the count covers all. */
const SHOWN = 4;

const radius = (el: string) => SHANNON_CN6[el]?.r ?? FALLBACK_RADIUS;

/** The shortest unphysical contacts of `s` as one warning (atoms 1-based, as in POSCAR order), or none. */
export function shortContacts(s: Structure, kernels: Kernels, anion = 'O', where = ''): string[] {
  // the bounds are an oxide's: without the anion there are no cation–anion pairs, and N–H in NH3 (1.02 Å) is no
  // pair of cations
  if (!s.species.includes(anion)) return [];
  const names = [...new Set(s.species)];
  const types = Int32Array.from(s.species, (x) => names.indexOf(x));
  const n = names.length;
  const pair = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const [ea, eb] = [names[a], names[b]];
      if (ea === anion && eb === anion) continue;
      if (ea === anion || eb === anion) pair[a * n + b] = SHORT_FRACTION * (radius(ea === anion ? eb : ea) + ANION_RADIUS);
      else pair[a * n + b] = CATION_MIN;
    }
  }
  const max = Math.max(0, ...pair);
  if (max === 0 || s.species.length < 2) return [];
  const list = kernels.neighbours(s.lattice, s.cart, max, { types, nTypes: n, pairCutoffs: pair });
  const found: { i: number; j: number; d: number }[] = [];
  for (let i = 0; i < s.species.length; i++) {
    for (let p = list.offsets[i]; p < list.offsets[i + 1]; p++) if (list.j[p] >= i) found.push({ i, j: list.j[p], d: list.dist[p] });
  }
  if (found.length === 0) return [];
  found.sort((x, y) => x.d - y.d);
  const label = (k: number) => `${s.species[k]}${k + 1}`;
  const shown = found.slice(0, SHOWN).map((c) => `${label(c.i)}–${label(c.j)} ${c.d.toFixed(2)} Å`).join(', ');
  return [
    `${where}${found.length} unphysically short contact${found.length === 1 ? '' : 's'} (${shown}${found.length > SHOWN ? ', …' : ''}; cation–O below ${SHORT_FRACTION} × the Shannon radius sum, cation–cation below ${CATION_MIN} Å): an interpolated or unrelaxed structure? Its census and coordination are of that geometry`,
  ];
}
