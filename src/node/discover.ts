import { promises as fs } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { baseName, detectFormat, type FormatId } from '../io/detect.js';
import { openSource, headText } from './files.js';
import { imageSeries } from './neb.js';
import { jsKernels } from '../kernels/js.js';
import { FileSystemError, ParseError } from '../errors.js';

/**
 * Finding calculations in a folder tree. A folder's VASP/LOBSTER files with the standard names (POSCAR, CONTCAR,
 * DOSCAR, vasprun.xml, ICOHPLIST.lobster …) belong to one calculation; an NEB folder (00..NN) is one calculation;
 * a file with a non-standard name (POSCAR.Fe3O4, vasprun.xml.LiF) is a calculation of its own, because a folder of
 * renamed files is usually a collection, not one run — except that the only renamed structure (or DOS) file of a
 * folder that has no standard one joins the folder's calculation (POSCAR.lobster next to DOSCAR.lobster).
 */

export interface CalcFile {
  path: string;
  format: FormatId;
}

export interface Calculation {
  /** path relative to the root, `/`-separated (`.` for the root itself); unique, the sort and dedupe key */
  id: string;
  /** the folder (or, for a single renamed file, the file) on disk */
  path: string;
  kind: 'neb' | 'files';
  /** the structure the analyses use: CONTCAR before POSCAR (the relaxed one), else the only structure file */
  structure?: CalcFile;
  /** DOS source: DOSCAR, else vasprun.xml, else DOSCAR.lobster */
  dos?: CalcFile;
  icohplist?: CalcFile;
  cohpcar?: CalcFile;
  /** every recognised file of the calculation */
  files: CalcFile[];
  /**
   * The calculation is one member of an ensemble: numbered folders 00 … NN of `id` that hold unrelated structures
   * (an SQS set), not an NEB path; `reason` says what told them apart.
   */
  ensemble?: { id: string; reason: string };
}

/** Files that are never VASP/LOBSTER output (by extension), skipped without reading. */
const NOT_OUTPUT = /\.(md|txt|json|jsonl|csv|tsv|svg|png|jpe?g|pdf|html?|js|mjs|ts|py|sh|ya?ml|toml|ini|log|tar|zip|bz2|xz|h5)$/i;
/** VASP inputs and notes that content sniffing could mistake for output. */
const INPUT_NAMES = /^(INCAR|KPOINTS|POTCAR|IBZKPT|WAVECAR|CHGCAR|CHG|PROCAR|EIGENVAL|PCDAT|REPORT|vasp\.out|README|PROVENANCE|MANIFEST)|LICEN[CS]E|COPYING|copyright/i;

/** Standard names (whatever the content turns out to be, e.g. a DOSCAR written by LOBSTER): these join their folder's calculation. */
const STANDARD = /^(POSCAR|CONTCAR|DOSCAR|vasprun\.xml|OUTCAR|OSZICAR|XDATCAR|lobsterout|(DOSCAR|ICOHPLIST|ICOOPLIST|ICOBILIST|COHPCAR|COOPCAR|COBICAR|CHARGE)\.lobster)$/i;

const ROLE: Partial<Record<FormatId, 'structure' | 'dos' | 'icohplist' | 'cohpcar'>> = {
  poscar: 'structure',
  doscar: 'dos',
  vasprun: 'dos',
  'doscar-lobster': 'dos',
  icohplist: 'icohplist',
  cohpcar: 'cohpcar',
};

/** Code-point order: the same on every machine and locale (shards must agree). */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isStandard(f: CalcFile): boolean {
  return STANDARD.test(baseName(f.path));
}

function rank(f: CalcFile): number {
  const b = baseName(f.path).toUpperCase();
  if (f.format === 'poscar') return b.startsWith('CONTCAR') ? 0 : b.startsWith('POSCAR') ? 1 : 2;
  if (f.format === 'doscar') return 0;
  if (f.format === 'vasprun') return 1;
  return 2;
}

function pick(files: CalcFile[], role: string): CalcFile | undefined {
  return files.filter((f) => ROLE[f.format] === role).sort((a, b) => rank(a) - rank(b) || byCodePoint(a.path, b.path))[0];
}

const idOf = (root: string, path: string): string => relative(root, path).split(sep).join('/') || '.';

function calculation(root: string, path: string, kind: Calculation['kind'], files: CalcFile[], ensemble?: Calculation['ensemble']): Calculation {
  return {
    id: idOf(root, path),
    ...(ensemble ? { ensemble } : {}),
    path,
    kind,
    structure: pick(files, 'structure'),
    dos: pick(files, 'dos'),
    icohplist: pick(files, 'icohplist'),
    cohpcar: pick(files, 'cohpcar'),
    files,
  };
}

/** The recognised files of one folder (not recursive). */
async function filesOf(dir: string, names: string[]): Promise<CalcFile[]> {
  const out: CalcFile[] = [];
  for (const name of names) {
    if (NOT_OUTPUT.test(name) || INPUT_NAMES.test(name)) continue;
    const p = join(dir, name);
    // a file that cannot be read (permissions, I/O) is placed by its name: reading it then fails in its analysis,
    // an error of that calculation instead of the end of the whole report
    const head = await openSource(p).then((src) => headText(src)).catch((e: unknown) => {
      if (FileSystemError.from(e) instanceof FileSystemError) return '';
      throw e;
    });
    const format = detectFormat(p, head);
    if (format) out.push({ path: p, format });
  }
  return out;
}

/** Groups one folder's files into calculations (see the module comment). */
function group(root: string, dir: string, files: CalcFile[], ensemble?: Calculation['ensemble']): Calculation[] {
  const standard = files.filter(isStandard);
  const renamed = files.filter((f) => !isStandard(f));
  // a renamed structure or DOS file whose role the folder lacks completes the folder's run (e.g. POSCAR.lobster next to DOSCAR.lobster)
  const adopt: CalcFile[] = [];
  const alone: CalcFile[] = [];
  for (const f of renamed) {
    const role = ROLE[f.format];
    const sameRole = renamed.filter((g) => ROLE[g.format] === role);
    if (role && sameRole.length === 1 && !standard.some((g) => ROLE[g.format] === role)) adopt.push(f);
    else alone.push(f);
  }
  const out: Calculation[] = [];
  const joined = [...standard, ...adopt];
  if (joined.length > 0) out.push(calculation(root, dir, 'files', joined, ensemble));
  for (const f of alone) if (ROLE[f.format]) out.push(calculation(root, f.path, 'files', [f], ensemble));
  return out;
}

export interface DiscoverOptions {
  /** folders not to enter (e.g. the report's own output folder) */
  exclude?: string[];
}

/** Every calculation below `root`, sorted by id. */
export async function discoverCalculations(root: string, options: DiscoverOptions = {}): Promise<Calculation[]> {
  const st = await fs.stat(root).catch(() => undefined);
  if (!st) throw new ParseError({ file: root, line: 0, expected: 'an existing folder', found: 'nothing' });
  const excluded = new Set((options.exclude ?? []).map((p) => resolve(p)));
  if (st.isFile()) return group(dirname(root), dirname(root), await filesOf(dirname(root), [basename(root)]));
  const seen = new Set<string>();
  const out: Calculation[] = [];
  const walk = async (dir: string, ensemble?: Calculation['ensemble']): Promise<void> => {
    const real = await fs.realpath(dir);
    if (seen.has(real) || excluded.has(resolve(dir))) return;
    seen.add(real);
    const series = await imageSeries(dir, jsKernels);
    if (series?.kind === 'neb') {
      out.push(calculation(root, dir, 'neb', [], ensemble));
      return;
    }
    // numbered folders of unrelated structures: each is a calculation of its own, all members of one ensemble
    const members = series ? { id: idOf(root, dir), reason: series.reason } : undefined;
    const entries = (await fs.readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules');
    const fileNames: string[] = [];
    const dirs: string[] = [];
    for (const e of entries) {
      const p = join(dir, e.name);
      const kind = e.isSymbolicLink() ? await fs.stat(p).catch(() => undefined) : e;
      if (kind?.isDirectory()) dirs.push(p);
      else if (kind?.isFile()) fileNames.push(e.name);
    }
    out.push(...group(root, dir, await filesOf(dir, fileNames.sort(byCodePoint)), ensemble));
    for (const d of dirs.sort(byCodePoint)) await walk(d, members && /^\d+$/.test(basename(d)) ? members : ensemble);
  };
  await walk(root);
  return out.sort((a, b) => byCodePoint(a.id, b.id));
}

/** `K/N` → the calculations of shard K (1-based): every N-th one, starting at the K-th. */
export function shardOf<T>(items: T[], k: number, n: number): T[] {
  return items.filter((_, i) => i % n === k - 1);
}
