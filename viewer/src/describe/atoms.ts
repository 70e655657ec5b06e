import { displayRadius, siteColor, type SiteRole } from './style.js';

/** Supercell repetition along a, b, c (1…3 each in the UI). */
export interface Repeat {
  na: number;
  nb: number;
  nc: number;
}

export function repeatCount(rep: Repeat): number {
  return rep.na * rep.nb * rep.nc;
}

/**
 * Sites drawn with one InstancedMesh: one element, or for oxygen one census class, so the class toggles only
 * switch meshes on and off and the drawn-instance counts per class are the mesh counts.
 */
export interface AtomGroup {
  /** `O4`, `O5` … for classified oxygen, else the element symbol */
  key: string;
  symbol: string;
  role: SiteRole;
  color: number;
  /** sphere radius, Å */
  radius: number;
  /** site indices of the unit cell, ascending */
  sites: Int32Array;
}

/**
 * Sites grouped by element, oxygen split by census class (`classes[i]` is the class of site i, or undefined when
 * the structure has no census). Groups come in order of first appearance.
 */
export function groupSites(species: string[], roles: SiteRole[], classes?: (string | undefined)[]): AtomGroup[] {
  const byKey = new Map<string, { symbol: string; role: SiteRole; oClass?: string; sites: number[] }>();
  for (let i = 0; i < species.length; i++) {
    const oClass = roles[i] === 'oxygen' ? classes?.[i] : undefined;
    const key = oClass ?? species[i];
    let g = byKey.get(key);
    if (!g) byKey.set(key, (g = { symbol: species[i], role: roles[i], oClass, sites: [] }));
    g.sites.push(i);
  }
  return [...byKey].map(([key, g]) => ({
    key,
    symbol: g.symbol,
    role: g.role,
    color: siteColor(g.symbol, g.role, g.oClass),
    radius: displayRadius(g.symbol),
    sites: Int32Array.from(g.sites),
  }));
}

/** Lattice translation (Å) of repetition image `m` (a fastest, then b, then c). */
export function imageShift(lattice: ArrayLike<number>, rep: Repeat, m: number): [number, number, number] {
  const ia = m % rep.na;
  const ib = Math.floor(m / rep.na) % rep.nb;
  const ic = Math.floor(m / (rep.na * rep.nb));
  return [
    ia * lattice[0] + ib * lattice[3] + ic * lattice[6],
    ia * lattice[1] + ib * lattice[4] + ic * lattice[7],
    ia * lattice[2] + ib * lattice[5] + ic * lattice[8],
  ];
}

/**
 * Sphere centres (3 floats each, Å) of a group: instance `m * n + k` is site `sites[k]` in repetition image `m`.
 * `cart` holds Cartesian positions (flat xyz) of all sites of the current frame.
 */
export function sphereCentres(group: AtomGroup, cart: ArrayLike<number>, lattice: ArrayLike<number>, rep: Repeat): Float32Array {
  const n = group.sites.length;
  const out = new Float32Array(3 * n * repeatCount(rep));
  for (let m = 0; m < repeatCount(rep); m++) {
    const [sx, sy, sz] = imageShift(lattice, rep, m);
    for (let k = 0; k < n; k++) {
      const s = group.sites[k];
      const o = 3 * (m * n + k);
      out[o] = cart[3 * s] + sx;
      out[o + 1] = cart[3 * s + 1] + sy;
      out[o + 2] = cart[3 * s + 2] + sz;
    }
  }
  return out;
}

/** The site and repetition image behind instance `id` of a group (picking). */
export function siteOfInstance(group: AtomGroup, id: number): { site: number; image: number } {
  const n = group.sites.length;
  return { site: group.sites[id % n], image: Math.floor(id / n) };
}
