import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Kernels } from '../kernels/types.js';
import type { NebPath } from '../model/neb.js';
import { assembleNeb, readImageStructures, type NebImageFiles, type NebOptions } from '../io/vasp/neb.js';
import { seriesKind } from '../analysis/series.js';
import { MismatchError, OxyError, ParseError } from '../errors.js';
import { openSource } from './files.js';

/** Image folder names of an NEB run: `00`, `01`, … consecutive from 00, at least 3; undefined otherwise. */
async function imageFolders(path: string): Promise<string[] | undefined> {
  const entries = await fs.readdir(path, { withFileTypes: true }).catch(() => undefined);
  if (!entries) return undefined;
  const names = entries.filter((e) => e.isDirectory() && /^\d{2,}$/.test(e.name)).map((e) => e.name).sort((a, b) => Number(a) - Number(b));
  if (names.length < 3 || names.some((n, i) => Number(n) !== i)) return undefined;
  return names;
}

/** What a folder holds instead of consecutive image folders: which ones are missing, or how few there are. */
async function whatIsThere(path: string): Promise<string> {
  const entries = await fs.readdir(path, { withFileTypes: true });
  const nums = entries.filter((e) => e.isDirectory() && /^\d{2,}$/.test(e.name)).map((e) => Number(e.name)).sort((a, b) => a - b);
  if (nums.length === 0) return 'no image folders';
  const width = Math.max(2, ...entries.filter((e) => /^\d{2,}$/.test(e.name)).map((e) => e.name.length));
  const name = (n: number) => String(n).padStart(width, '0');
  const have = new Set(nums);
  const missing: string[] = [];
  for (let n = 0; n <= nums[nums.length - 1]; n++) if (!have.has(n)) missing.push(name(n));
  const found = nums.map(name).join(', ');
  if (missing.length > 0) return `${found}: image folder${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing`;
  return `only ${found}`;
}

export async function isNebFolder(path: string): Promise<boolean> {
  return (await imageFolders(path)) !== undefined;
}

/** The file `base` or `base.gz` in a folder, whichever exists (plain first). */
async function find(dir: string, files: Set<string>, base: string) {
  for (const name of [base, `${base}.gz`]) if (files.has(name)) return openSource(join(dir, name));
  return undefined;
}

/** The files of an image folder that `readNebFolder` reads (plain or .gz): provenance hashes the same ones. */
export const NEB_IMAGE_FILES = ['POSCAR', 'CONTCAR', 'OUTCAR', 'OSZICAR'] as const;

async function imageFiles(path: string, names: string[]): Promise<NebImageFiles[]> {
  const images: NebImageFiles[] = [];
  for (const name of names) {
    const dir = join(path, name);
    const files = new Set((await fs.readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name));
    images.push({
      name,
      poscar: await find(dir, files, 'POSCAR'),
      contcar: await find(dir, files, 'CONTCAR'),
      outcar: await find(dir, files, 'OUTCAR'),
      oszicar: await find(dir, files, 'OSZICAR'),
    });
  }
  return images;
}

/**
 * What the numbered folders of `path` hold: one NEB path, or an ensemble of unrelated structures (see
 * src/analysis/series.ts); undefined when `path` has no image folders. A folder whose image structures do not
 * read counts as a path, so that the NEB reader reports what is wrong with them.
 */
export async function imageSeries(path: string, kernels: Kernels): Promise<{ kind: 'neb' } | { kind: 'ensemble'; reason: string } | undefined> {
  const names = await imageFolders(path);
  if (!names) return undefined;
  try {
    const { structures } = await readImageStructures(path, await imageFiles(path, names), kernels);
    const series = seriesKind(structures, kernels, names);
    return series.kind === 'ensemble' ? series : { kind: 'neb' };
  } catch (e) {
    if (e instanceof OxyError) return { kind: 'neb' };
    throw e;
  }
}

/** Reads an NEB folder: POSCAR/CONTCAR/OUTCAR/OSZICAR (plain or .gz) of every image folder. */
export async function readNebFolder(path: string, kernels: Kernels, options: NebOptions = {}): Promise<NebPath> {
  const names = await imageFolders(path);
  if (!names && !(await fs.stat(path).then((st) => st.isDirectory(), () => false))) throw new ParseError({ file: path, line: 0, expected: 'an NEB folder', found: 'no such folder' });
  if (!names) throw new ParseError({ file: path, line: 0, expected: 'an NEB folder with image folders 00, 01, 02 … (at least 3, consecutive)', found: await whatIsThere(path) });
  const neb = await assembleNeb(path, await imageFiles(path, names), kernels, options);
  const series = seriesKind(neb.images, kernels, names);
  if (series.kind === 'ensemble') {
    throw new MismatchError([path], `the image folders hold unrelated structures, not an NEB path: ${series.reason} (census and report read such folders as an ensemble)`);
  }
  return neb;
}
