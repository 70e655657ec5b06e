import type { NeighbourList } from '../../../src/kernels/types.js';

/**
 * O5 clusters: connected groups of O sites of one class in which two O belong together when they share a cation
 * neighbour (any periodic image of it). Sizes tell whether O5 is scattered or aggregated around migrated TM.
 */
export interface Cluster {
  /** O site indices, ascending */
  sites: number[];
  /** cation sites shared by at least two members */
  sharedCations: number[];
}

/**
 * `list` is a neighbour list over all sites; `member[i]` marks the O of the chosen class and `cation[i]` the
 * sites that can link them. Clusters come largest first (ties: lowest site first); single O are clusters of 1.
 */
export function clustersOf(list: NeighbourList, member: ArrayLike<boolean>, cation: ArrayLike<boolean>): Cluster[] {
  const n = list.offsets.length - 1;
  const parent = new Int32Array(n).map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const firstO = new Map<number, number>();
  const shared = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (!member[i]) continue;
    for (let p = list.offsets[i]; p < list.offsets[i + 1]; p++) {
      const c = list.j[p];
      if (!cation[c]) continue;
      const o = firstO.get(c);
      if (o === undefined) firstO.set(c, i);
      else if (o !== i) {
        shared.add(c);
        const ra = find(o), rb = find(i);
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (!member[i]) continue;
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  }
  const cationsOf = (sites: number[]) => {
    const set = new Set<number>();
    for (const i of sites) for (let p = list.offsets[i]; p < list.offsets[i + 1]; p++) if (shared.has(list.j[p])) set.add(list.j[p]);
    return [...set].sort((a, b) => a - b);
  };
  return [...groups.values()]
    .map((sites) => ({ sites, sharedCations: cationsOf(sites) }))
    .sort((a, b) => b.sites.length - a.sites.length || a.sites[0] - b.sites[0]);
}

/** Sizes with how often each occurs, largest first: [[size, count], …]. */
export function sizeHistogram(clusters: Cluster[]): [number, number][] {
  const h = new Map<number, number>();
  for (const c of clusters) h.set(c.sites.length, (h.get(c.sites.length) ?? 0) + 1);
  return [...h].sort((a, b) => b[0] - a[0]);
}
