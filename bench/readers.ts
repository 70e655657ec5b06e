import type { Kernels } from '../src/kernels/types.js';
import { openSource } from '../src/node/files.js';
import { formatById, readFormat } from '../src/io/formats.js';
import type { Structure } from '../src/model/structure.js';
import { census } from '../src/analysis/census.js';
import type { GeneratedFile } from './generate/index.js';

/**
 * Reader jobs (and the two in-process analysis targets: census of a POSCAR, XDATCAR) as run inside a child
 * process, so that the child's peak RSS belongs to that one job. A reader job is a format id of the registry
 * (src/io/formats.ts) and runs that format's reader, as the CLI does; each returns the typed-array bytes it keeps,
 * which the memory target compares the peak with.
 */
export type ReaderId = 'doscar' | 'vasprun' | 'doscar-lobster' | 'cohpcar' | 'icohplist' | 'poscar' | 'xdatcar' | 'census';

/** What a job is called in the results. */
export function readerName(id: ReaderId): string {
  return id === 'census' ? 'read POSCAR + census' : `read ${formatById(id).name}`;
}

/** Sum of the byteLength of every typed array reachable from `x` (what the reader hands back). */
export function keptBytes(x: unknown, seen = new Set<unknown>()): number {
  if (x === null || typeof x !== 'object' || seen.has(x)) return 0;
  seen.add(x);
  if (ArrayBuffer.isView(x)) return x.byteLength;
  let n = 0;
  for (const v of Array.isArray(x) ? x : Object.values(x)) n += keptBytes(v, seen);
  return n;
}

/** One run of the job; returns what the reader produced (kept alive until measured). */
export async function runReader(id: ReaderId, file: GeneratedFile, kernels: Kernels): Promise<unknown> {
  if (id === 'census') {
    const s = (await readFormat(formatById('poscar'), await openSource(file.path), { kernels })).value as Structure;
    const r = census(s, kernels, { neighbours: false });
    return { histogram: histogram(r.sites) };
  }
  return (await readFormat(formatById(id), await openSource(file.path), { kernels })).value;
}

function histogram(sites: { nTM: number; nLi: number }[]): Record<string, number> {
  const h: Record<string, number> = {};
  for (const s of sites) {
    const k = `${s.nTM},${s.nLi}`;
    h[k] = (h[k] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(h).sort());
}
