import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Kernels } from '../kernels/types.js';
import type { NebPath } from '../model/neb.js';
import { assembleNeb, readImageStructures, type ImageStructures, type NebImageFiles, type NebOptions } from '../io/vasp/neb.js';
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
 * The image structures discovery read to tell an NEB from an ensemble, kept for the readNebFolder that follows so
 * that each structure file is parsed once per run. An entry is taken once, and only while the structure files are
 * unchanged (size and modification time); past KEPT_SITES sites in all the kept entries, further folders are not
 * kept (their NEB read reads them again) so that discovery of thousands of NEB folders stays small in memory.
 */
const kept = new Map<string, { stamp: string; read: ImageStructures }>();
const KEPT_SITES = 1 << 20;
let keptSites = 0;

/** Size and modification time of every structure file of the images (the ones read and the ones passed over). */
async function stampOf(images: NebImageFiles[]): Promise<string> {
  const parts: string[] = [];
  for (const im of images) {
    for (const src of [im.poscar, im.contcar]) {
      if (!src) continue;
      const st = await fs.stat(src.name);
      parts.push(`${src.name}:${st.size}:${st.mtimeMs}`);
    }
  }
  return parts.join('\n');
}

async function keep(path: string, images: NebImageFiles[], read: ImageStructures): Promise<void> {
  const sites = read.structures.reduce((a, s) => a + s.species.length, 0);
  if (keptSites + sites > KEPT_SITES) return;
  kept.set(resolve(path), { stamp: await stampOf(images), read });
  keptSites += sites;
}

/** What discovery read of `path`'s images, when the files are still those; removed from the store either way. */
async function takeKept(path: string, images: NebImageFiles[]): Promise<ImageStructures | undefined> {
  const entry = kept.get(resolve(path));
  if (!entry) return undefined;
  kept.delete(resolve(path));
  keptSites -= entry.read.structures.reduce((a, s) => a + s.species.length, 0);
  return entry.stamp === (await stampOf(images)) ? entry.read : undefined;
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
    const images = await imageFiles(path, names);
    const read = await readImageStructures(path, images, kernels);
    const series = seriesKind(read.structures, kernels, names);
    if (series.kind === 'ensemble') return series;
    await keep(path, images, read);
    return { kind: 'neb' };
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
  const images = await imageFiles(path, names);
  const neb = await assembleNeb(path, images, kernels, options, await takeKept(path, images));
  const series = seriesKind(neb.images, kernels, names);
  if (series.kind === 'ensemble') {
    throw new MismatchError([path], `the image folders hold unrelated structures, not an NEB path: ${series.reason} (census and report read such folders as an ensemble)`);
  }
  return neb;
}
