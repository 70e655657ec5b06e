import { normalised, type ByteSource } from '../../src/io/source.js';
import { baseName } from '../../src/io/formats.js';
import type { Kernels } from '../../src/kernels/types.js';
import type { Structure } from '../../src/model/structure.js';
import type { Trajectory } from '../../src/model/trajectory.js';
import type { NebPath, OutcarSummary } from '../../src/model/neb.js';
import type { Dos } from '../../src/model/dos.js';
import type { IcohpList } from '../../src/model/cohp.js';
import { assembleNeb, type NebImageFiles } from '../../src/io/vasp/neb.js';
import { seriesKind } from '../../src/analysis/series.js';
import type { SiteInputs } from '../../src/analysis/sites.js';
import { Inputs, inputOf, type Beside, type Input } from '../../src/pipeline/inputs.js';
import { OxyError } from '../../src/errors.js';

/**
 * Files into datasets, in the page: picked files, dropped folders and the files `oxyscope view` serves all arrive
 * as (relative path, Blob) pairs, become ByteSources (gzip undone by DecompressionStream), and go through the format
 * registry and the pipeline's inputs, as in the CLI: the same detection, readers and companion files (a DOSCAR's
 * atoms from the CONTCAR/POSCAR/vasprun.xml of its folder). NEB folders are recognised by their image folders 00, 01, … NN.
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
  /** what the readers had to say about the files they read (cut files …), each naming its file */
  warnings: string[];
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
  return normalised({
    name,
    size: gz ? undefined : blob.size,
    chunks: () => streamChunks(gz ? blob.stream().pipeThrough(new DecompressionStream('gzip')) : blob.stream()),
  });
}


/** VASP inputs and notes that sit in calculation folders: not outputs, skipped without a word (a bare INCAR can look like a POSCAR to content sniffing). */
export const INPUTS = /^(INCAR|KPOINTS|POTCAR|IBZKPT|WAVECAR|CHGCAR|CHG|PROCAR|EIGENVAL|PCDAT|REPORT|README|MANIFEST)|LICEN[CS]E|\.(md|txt|json|sh|py|png|svg|pdf)$/i;

export const dirOf = (path: string) => path.split('/').slice(0, -1).join('/');
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

/** The files of `folder` by standard name (plain, then `.gz`): what a reader finds beside a file there. */
export function besideIn(files: InputFile[], folder: string): Beside {
  return async (name) => {
    for (const candidate of [name, `${name}.gz`]) {
      const f = files.find((x) => dirOf(x.path) === folder && x.path.split('/').pop() === candidate);
      if (f) return blobSource(f.path, f.blob);
    }
    return undefined;
  };
}

/** Reads every file the page was given into datasets, through the registry's views of each format. */
export async function loadFiles(files: InputFile[], kernels: Kernels): Promise<Loaded> {
  const datasets: Dataset[] = [];
  const problems: string[] = [];
  const skipped: string[] = [];
  const inputs = new Inputs(kernels);
  const nebs = nebGroups(files);
  for (const [folder, images] of nebs) {
    try {
      const neb = await readNebImages(folder, images, kernels);
      // numbered folders of unrelated structures (an SQS set) are an ensemble: their structures are read one by one below
      const series = seriesKind(neb.images, kernels, neb.names);
      if (series.kind === 'ensemble') {
        nebs.delete(folder);
        problems.push(`${folder || 'the numbered folders'}: not an NEB path (${series.reason}); each structure is shown on its own`);
        continue;
      }
      datasets.push({ kind: 'neb', name: folder || 'NEB', folder, neb: inputs.neb(neb) });
    } catch (e) {
      problems.push(message(e));
    }
  }
  const inNeb = (f: InputFile) => [...nebs.keys()].some((folder) => f.path.startsWith(folder === '' ? '' : `${folder}/`) && IMAGE.test(f.path.split('/').slice(-2)[0]));

  for (const file of files) {
    if (inNeb(file) || INPUTS.test(baseName(file.path))) continue;
    const folder = dirOf(file.path);
    try {
      const input: Input = await inputOf(await blobSource(file.path, file.blob), file.path, besideIn(files, folder));
      const as = input.format?.as;
      if (!input.format) skipped.push(file.path);
      else if (as?.dos) {
        // a vasprun.xml: its final structure and its DOS (when the run wrote one)
        const run = as.structure ? await inputs.read(input) : undefined;
        if (run && as.structure) datasets.push({ kind: 'structure', name: `${file.path} (final)`, folder, structure: as.structure(run.value) });
        const dos = run ? as.dos(run.value) : (await inputs.dos(input)).dos;
        if (dos) datasets.push({ kind: 'dos', name: file.path, folder, dos });
      } else if (as?.structure) datasets.push({ kind: 'structure', name: file.path, folder, structure: await inputs.structure(input) });
      else if (as?.trajectory) datasets.push({ kind: 'trajectory', name: file.path, folder, trajectory: await inputs.trajectory(input) });
      else if (input.format.role === 'icohplist') {
        const bonds = await inputs.bonds(input);
        if (bonds.kind === 'list') datasets.push({ kind: 'icohp', name: file.path, folder, list: bonds.list });
      } else if (SITE_DATA[input.format.id]) {
        datasets.push({ kind: 'site-data', name: file.path, folder, ...(await siteData(input, inputs)) });
      } else skipped.push(`${file.path} (${input.format.name})`);
    } catch (e) {
      problems.push(message(e));
    }
  }
  datasets.sort((a, b) => a.name.localeCompare(b.name));
  return { datasets, problems, warnings: inputs.warnings, skipped };
}

/** Per-atom files and the part of SiteInputs each gives (an OUTCAR: its moments, and ZVAL for a Bader file beside it). */
export const SITE_DATA: Record<string, ((value: never) => SiteInputs) | 'outcar'> = {
  'charge-lobster': (v: SiteInputs['charges']) => ({ charges: v }),
  'bader-acf': (v: NonNullable<SiteInputs['bader']>['acf']) => ({ bader: { acf: v } }),
  'sitepotentials-lobster': (v: SiteInputs['sitePotentials']) => ({ sitePotentials: v }),
  'grosspop-lobster': (v: SiteInputs['grossPopulations']) => ({ grossPopulations: v }),
  icobilist: (v: SiteInputs['icobi']) => ({ icobi: v }),
  outcar: 'outcar',
};

export async function siteData(input: Input, inputs: Inputs): Promise<{ inputs: SiteInputs; zval?: Record<string, number> }> {
  const part = SITE_DATA[input.format!.id];
  const { value } = await inputs.read(input);
  if (part !== 'outcar') return { inputs: part(value as never) };
  // the registry's OUTCAR value carries the moments table and the POTCAR valences of its header
  const outcar = value as OutcarSummary;
  const zval = outcar.zval ?? [];
  return { inputs: { magnetization: outcar.magnetization }, ...(zval.length ? { zval: Object.fromEntries(zval.map((v) => [v.element, v.zval])) } : {}) };
}

/**
 * What the panel says about a failure: an OxyError is a problem with the file (its message as the CLI prints it);
 * anything else is a bug in oxyscope and says so, with its stack, instead of passing for a bad file.
 */
export function message(e: unknown): string {
  if (e instanceof OxyError) return e.message;
  return `bug in oxyscope (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
}
