import { cellVolume, fracToCart, type Lattice } from './lattice.js';

/**
 * A periodic structure. Sites keep the file's order: LOBSTER labels and PDOS indices depend on it.
 */
export interface Structure {
  /** first line of the POSCAR (or the title of the source) */
  comment: string;
  /** rows a, b, c in Å (see lattice.ts) */
  lattice: Lattice;
  /** element symbol per site, cleaned of POTCAR suffixes (`Mn_pv` → `Mn`, `Li_sv/ab12` → `Li`) */
  species: string[];
  /** fractional coordinates, flat xyz, length 3N (not wrapped: as in the file) */
  frac: Float64Array;
  /** Cartesian coordinates in Å, flat xyz, length 3N */
  cart: Float64Array;
  /** selective-dynamics flags, flat xyz, 1 = free (T), 0 = fixed (F); absent when the file has none */
  selective?: Uint8Array;
  /** velocities as given in the file (Å/fs, Cartesian), flat xyz; absent when the file has none */
  velocities?: Float64Array;
  /** POTCAR-style species labels as written (`Mn_pv`), one per species group, when they differ from `species` */
  speciesLabels?: string[];
  /** per-site labels written after the coordinates (`Fe4+`, `Li1+`), when present */
  siteLabels?: string[];
}

export function makeStructure(init: Omit<Structure, 'cart'> & { cart?: Float64Array }): Structure {
  return { ...init, cart: init.cart ?? fracToCart(init.lattice, init.frac) };
}

export function siteCount(s: { species: string[] }): number {
  return s.species.length;
}

/** Species groups in order of first appearance with their counts, as in a POSCAR's two header lines. */
export function speciesGroups(species: string[]): { symbol: string; count: number }[] {
  const groups: { symbol: string; count: number }[] = [];
  for (const sym of species) {
    const last = groups[groups.length - 1];
    if (last && last.symbol === sym) last.count++;
    else groups.push({ symbol: sym, count: 1 });
  }
  return groups;
}

/** Reduced-order-free formula in order of first appearance, e.g. `Li14Ni3Mn7O24`. */
export function formula(species: string[]): string {
  const counts = new Map<string, number>();
  for (const s of species) counts.set(s, (counts.get(s) ?? 0) + 1);
  let out = '';
  for (const [sym, n] of counts) out += n === 1 ? sym : `${sym}${n}`;
  return out;
}

export function volume(s: Structure): number {
  return cellVolume(s.lattice);
}
