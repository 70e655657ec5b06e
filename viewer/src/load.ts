import type { ByteSource } from '../../src/io/source.js';
import { readAll } from '../../src/io/source.js';
import { baseName, detectFormat, FORMAT_NAMES, type FormatId } from '../../src/io/detect.js';
import type { Kernels } from '../../src/kernels/types.js';
import type { Structure } from '../../src/model/structure.js';
import type { Trajectory } from '../../src/model/trajectory.js';
import type { NebPath } from '../../src/model/neb.js';
import type { Dos } from '../../src/model/dos.js';
import type { IcohpList } from '../../src/model/cohp.js';
import { parsePoscar } from '../../src/io/vasp/poscar.js';
import { readXdatcar } from '../../src/io/vasp/xdatcar.js';
import { readDoscar } from '../../src/io/vasp/doscar.js';
import { readVasprun } from '../../src/io/vasp/vasprun.js';
import { readIcohplist } from '../../src/io/lobster/icohplist.js';
import { assembleNeb, type NebImageFiles } from '../../src/io/vasp/neb.js';
import type { SiteInputs } from '../../src/analysis/sites.js';
import { readCharge } from '../../src/io/lobster/charge.js';
import { readSitePotentials } from '../../src/io/lobster/sitepotentials.js';
import { readGrossPop } from '../../src/io/lobster/grosspop.js';
import { readAcf } from '../../src/io/bader/acf.js';
import { readMagnetization } from '../../src/io/vasp/magnetization.js';
import { readZval } from '../../src/io/vasp/zval.js';

/**
 * Files into datasets, in the page: picked files, dropped folders and the files `oxyscope view` serves all arrive
 * as (relative path, Blob) pairs, become ByteSources (gzip undone by DecompressionStream, detected by content),
 * and go through the project's readers. NEB folders are recognised by their image folders 00, 01, … NN.
 */

/** A file with the path it had inside what the user picked (`neb/01/OUTCAR`, or just `POSCAR`). */
export interface InputFile {
  path: string;
  blob: Blob;
}

export type Dataset =
  | { kind: 'structure'; name: string; folder: string; structure: Structure }
  | { kind: 'trajectory'; name: string; folder: string; trajectory: Trajectory }
  | { kind: 'neb'; name: string; folder: string; neb: NebPath }
  | { kind: 'dos'; name: string; folder: string; dos: Dos }
  | { kind: 'icohp'; name: string; folder: string; list: IcohpList }
  /** per-atom data of a run (CHARGE.lobster, ACF.dat, SitePotentials.lobster, GROSSPOP.lobster, OUTCAR moments, ICOBILIST): colouring by quantity */
  | { kind: 'site-data'; name: string; folder: string; inputs: SiteInputs; zval?: Record<string, number> };

export interface Loaded {
  /** in order of name */
  datasets: Dataset[];
  /** one line per file that failed, with the reason (ParseError messages as they are) */
  problems: string[];
  /** files of a kind the viewer does not draw (COHPCAR, lobsterout …), by name */
  skipped: string[];
}

async function* streamChunks(stream: ReadableStream<Uint8Array>): AsyncIterable<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // stops the download/decompression when a reader leaves early (format sniffing reads only the head)
    await reader.cancel().catch(() => undefined);
  }
}

/** A ByteSource over a Blob; gzip (by its magic bytes, not the name) is undone while streaming. */
export async function blobSource(name: string, blob: Blob): Promise<ByteSource> {
  const magic = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  const gz = magic[0] === 0x1f && magic[1] === 0x8b;
  return {
    name,
    size: gz ? undefined : blob.size,
    chunks: () => streamChunks(gz ? blob.stream().pipeThrough(new DecompressionStream('gzip')) : blob.stream()),
  };
}

/** The first `n` bytes of a source as text (format detection). */
export async function headOf(source: ByteSource, n = 8192): Promise<string> {
  const parts: Uint8Array[] = [];
  let got = 0;
  for await (const c of source.chunks()) {
    parts.push(c.subarray(0, n - got));
    got += Math.min(c.length, n - got);
    if (got >= n) break;
  }
  const all = new Uint8Array(got);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return new TextDecoder().decode(all);
}

/** VASP inputs and notes that sit in calculation folders: not outputs, skipped without a word (a bare INCAR can look like a POSCAR to content sniffing). */
const INPUTS = /^(INCAR|KPOINTS|POTCAR|IBZKPT|WAVECAR|CHGCAR|CHG|PROCAR|EIGENVAL|PCDAT|REPORT|README|MANIFEST)|LICEN[CS]E|\.(md|txt|json|sh|py|png|svg|pdf)$/i;

const dirOf = (path: string) => path.split('/').slice(0, -1).join('/');
const IMAGE = /^\d{2,}$/;

/**
 * NEB folders among the files: a folder with at least two image subfolders named 00, 01, … that hold a structure.
 * Returns folder → image name → files of that image.
 */
export function nebGroups(files: InputFile[]): Map<string, Map<string, InputFile[]>> {
  const groups = new Map<string, Map<string, InputFile[]>>();
  for (const f of files) {
    const parts = f.path.split('/');
    if (parts.length < 2 || !IMAGE.test(parts[parts.length - 2])) continue;
    const folder = parts.slice(0, -2).join('/');
    const image = parts[parts.length - 2];
    let g = groups.get(folder);
    if (!g) groups.set(folder, (g = new Map()));
    g.set(image, [...(g.get(image) ?? []), f]);
  }
  for (const [folder, images] of groups) {
    const withStructure = [...images.values()].filter((fs) => fs.some((f) => /^(POSCAR|CONTCAR)$/i.test(baseName(f.path))));
    if (withStructure.length < 2) groups.delete(folder);
  }
  return groups;
}

/** The image folders of one NEB group as the NEB reader takes them (POSCAR, CONTCAR, OUTCAR, OSZICAR, plain or .gz). */
async function readNebImages(folder: string, images: Map<string, InputFile[]>, kernels: Kernels): Promise<NebPath> {
  const names = [...images.keys()].sort((a, b) => Number(a) - Number(b));
  const list: NebImageFiles[] = [];
  for (const name of names) {
    const files = images.get(name)!;
    const source = async (base: string) => {
      const f = files.find((x) => baseName(x.path).toUpperCase() === base);
      return f ? blobSource(f.path, f.blob) : undefined;
    };
    list.push({ name, poscar: await source('POSCAR'), contcar: await source('CONTCAR'), outcar: await source('OUTCAR'), oszicar: await source('OSZICAR') });
  }
  return assembleNeb(folder || 'NEB', list, kernels);
}

/** Reads every file the page was given into datasets, structures first (a DOSCAR takes species from its folder's structure). */
export async function loadFiles(files: InputFile[], kernels: Kernels): Promise<Loaded> {
  const datasets: Dataset[] = [];
  const problems: string[] = [];
  const skipped: string[] = [];
  const nebs = nebGroups(files);
  const inNeb = (f: InputFile) => [...nebs.keys()].some((folder) => f.path.startsWith(folder === '' ? '' : `${folder}/`) && IMAGE.test(f.path.split('/').slice(-2)[0]));

  for (const [folder, images] of nebs) {
    try {
      datasets.push({ kind: 'neb', name: folder || 'NEB', folder, neb: await readNebImages(folder, images, kernels) });
    } catch (e) {
      problems.push(message(e));
    }
  }

  const typed: { file: InputFile; source: ByteSource; format: FormatId }[] = [];
  for (const file of files) {
    if (inNeb(file) || INPUTS.test(baseName(file.path))) continue;
    try {
      const source = await blobSource(file.path, file.blob);
      const format = detectFormat(file.path, await headOf(source));
      if (format) typed.push({ file, source, format });
      else skipped.push(file.path);
    } catch (e) {
      problems.push(message(e));
    }
  }
  const order: FormatId[] = ['poscar', 'vasprun', 'xdatcar', 'doscar', 'icohplist'];
  typed.sort((a, b) => (order.indexOf(a.format) + 99) % 99 - (order.indexOf(b.format) + 99) % 99);
  const structureIn = new Map<string, Structure>();
  for (const { file, source, format } of typed) {
    const folder = dirOf(file.path);
    try {
      if (format === 'poscar') {
        const structure = parsePoscar(await readAll(source), file.path, { kernels });
        if (!structureIn.has(folder) || /CONTCAR/i.test(baseName(file.path))) structureIn.set(folder, structure);
        datasets.push({ kind: 'structure', name: file.path, folder, structure });
      } else if (format === 'vasprun') {
        const run = await readVasprun(source, { kernels });
        if (!structureIn.has(folder)) structureIn.set(folder, run.structures.final);
        datasets.push({ kind: 'structure', name: `${file.path} (final)`, folder, structure: run.structures.final });
        if (run.dos) datasets.push({ kind: 'dos', name: file.path, folder, dos: run.dos });
      } else if (format === 'xdatcar') {
        datasets.push({ kind: 'trajectory', name: file.path, folder, trajectory: await readXdatcar(source, { kernels }) });
      } else if (format === 'doscar') {
        datasets.push({ kind: 'dos', name: file.path, folder, dos: await readDoscar(source, { kernels, structure: structureIn.get(folder) }) });
      } else if (format === 'icohplist') {
        datasets.push({ kind: 'icohp', name: file.path, folder, list: await readIcohplist(source) });
      } else if (SITE_DATA.has(format)) {
        datasets.push({ kind: 'site-data', name: file.path, folder, ...(await siteData(format, file)) });
      } else {
        skipped.push(`${file.path} (${FORMAT_NAMES[format]})`);
      }
    } catch (e) {
      problems.push(message(e));
    }
  }
  datasets.sort((a, b) => a.name.localeCompare(b.name));
  return { datasets, problems, skipped };
}

const SITE_DATA = new Set<FormatId>(['charge-lobster', 'bader-acf', 'sitepotentials-lobster', 'grosspop-lobster', 'outcar', 'icobilist']);

/** One per-atom file as the part of SiteInputs it gives (an OUTCAR: moments, and ZVAL for a Bader file beside it). */
async function siteData(format: FormatId, file: InputFile): Promise<{ inputs: SiteInputs; zval?: Record<string, number> }> {
  const source = () => blobSource(file.path, file.blob);
  if (format === 'charge-lobster') return { inputs: { charges: await readCharge(await source()) } };
  if (format === 'bader-acf') return { inputs: { bader: { acf: await readAcf(await source()) } } };
  if (format === 'sitepotentials-lobster') return { inputs: { sitePotentials: await readSitePotentials(await source()) } };
  if (format === 'icobilist') return { inputs: { icobi: await readIcohplist(await source()) } };
  if (format === 'grosspop-lobster') return { inputs: { grossPopulations: await readGrossPop(await source()) } };
  const zval = await readZval(await source());
  return { inputs: { magnetization: await readMagnetization(await source()) }, ...(zval.length ? { zval: Object.fromEntries(zval.map((v) => [v.element, v.zval])) } : {}) };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
