import { promises as fs } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { baseName, detectFormat, FORMATS, formatById, type CalcRole } from '../io/formats.js';
import { headText } from '../pipeline/inputs.js';
import { openSource } from './files.js';
import { isNebFolder } from './neb.js';
import { ParseError } from '../errors.js';

/**
 * Finding calculations in a folder tree. A folder's VASP/LOBSTER files with the standard names (POSCAR, CONTCAR,
 * DOSCAR, vasprun.xml, ICOHPLIST.lobster …) belong to one calculation; an NEB folder (00..NN) is one calculation;
 * a file with a non-standard name (POSCAR.Fe3O4, vasprun.xml.LiF) is a calculation of its own, because a folder of
 * renamed files is usually a collection, not one run — except that the only renamed structure (or DOS) file of a
 * folder that has no standard one joins the folder's calculation (POSCAR.lobster next to DOSCAR.lobster).
 */

export interface CalcFile {
  path: string;
  /** format id (src/io/formats.ts) */
  format: string;
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
}

/** Files that are never VASP/LOBSTER output (by extension), skipped without reading. */
const NOT_OUTPUT = /\.(md|txt|json|jsonl|csv|tsv|svg|png|jpe?g|pdf|html?|js|mjs|ts|py|sh|ya?ml|toml|ini|log|tar|zip|bz2|xz|h5)$/i;
/** VASP inputs and notes that content sniffing could mistake for output. */
const INPUT_NAMES = /^(INCAR|KPOINTS|POTCAR|IBZKPT|WAVECAR|CHGCAR|CHG|PROCAR|EIGENVAL|PCDAT|REPORT|vasp\.out|README|PROVENANCE|MANIFEST)|LICEN[CS]E|COPYING|copyright/i;

/**
 * Standard names, the usual file names of the registry's formats (whatever the content turns out to be, e.g. a
 * DOSCAR written by LOBSTER): these join their folder's calculation.
 */
const STANDARD = new Set(FORMATS.flatMap((f) => f.files.split(/,\s*/)).filter((n) => !n.includes('*')).map((n) => n.toUpperCase()));

const roleOf = (f: CalcFile): CalcRole | undefined => formatById(f.format).role;
/** Among files of one role, the registry's order of formats decides (DOSCAR before vasprun.xml before DOSCAR.lobster). */
const ORDER = new Map(FORMATS.map((f, i) => [f.id, i]));

/** Code-point order: the same on every machine and locale (shards must agree). */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isStandard(f: CalcFile): boolean {
  return STANDARD.has(baseName(f.path).toUpperCase());
}

/** CONTCAR (the relaxed structure) before POSCAR before renamed files; otherwise the registry's order. */
function rank(f: CalcFile): number {
  const b = baseName(f.path).toUpperCase();
  const byName = b.startsWith('CONTCAR') ? 0 : b.startsWith('POSCAR') ? 1 : 2;
  return 3 * (ORDER.get(f.format) ?? 0) + byName;
}

function pick(files: CalcFile[], role: CalcRole): CalcFile | undefined {
  return files.filter((f) => roleOf(f) === role).sort((a, b) => rank(a) - rank(b) || byCodePoint(a.path, b.path))[0];
}

function calculation(root: string, path: string, kind: Calculation['kind'], files: CalcFile[]): Calculation {
  const id = relative(root, path).split(sep).join('/') || '.';
  return {
    id,
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
    const format = detectFormat(p, await headText(await openSource(p)));
    if (format) out.push({ path: p, format: format.id });
  }
  return out;
}

/** Groups one folder's files into calculations (see the module comment). */
function group(root: string, dir: string, files: CalcFile[]): Calculation[] {
  const standard = files.filter(isStandard);
  const renamed = files.filter((f) => !isStandard(f));
  // a renamed structure or DOS file whose role the folder lacks completes the folder's run (e.g. POSCAR.lobster next to DOSCAR.lobster)
  const adopt: CalcFile[] = [];
  const alone: CalcFile[] = [];
  for (const f of renamed) {
    const role = roleOf(f);
    const sameRole = renamed.filter((g) => roleOf(g) === role);
    if (role && sameRole.length === 1 && !standard.some((g) => roleOf(g) === role)) adopt.push(f);
    else alone.push(f);
  }
  const out: Calculation[] = [];
  const joined = [...standard, ...adopt];
  if (joined.length > 0) out.push(calculation(root, dir, 'files', joined));
  for (const f of alone) if (roleOf(f)) out.push(calculation(root, f.path, 'files', [f]));
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
  const walk = async (dir: string): Promise<void> => {
    const real = await fs.realpath(dir);
    if (seen.has(real) || excluded.has(resolve(dir))) return;
    seen.add(real);
    if (await isNebFolder(dir)) {
      out.push(calculation(root, dir, 'neb', []));
      return;
    }
    const entries = (await fs.readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules');
    const fileNames: string[] = [];
    const dirs: string[] = [];
    for (const e of entries) {
      const p = join(dir, e.name);
      const kind = e.isSymbolicLink() ? await fs.stat(p).catch(() => undefined) : e;
      if (kind?.isDirectory()) dirs.push(p);
      else if (kind?.isFile()) fileNames.push(e.name);
    }
    out.push(...group(root, dir, await filesOf(dir, fileNames.sort(byCodePoint))));
    for (const d of dirs.sort(byCodePoint)) await walk(d);
  };
  await walk(root);
  return out.sort((a, b) => byCodePoint(a.id, b.id));
}

/** `K/N` → the calculations of shard K (1-based): every N-th one, starting at the K-th. */
export function shardOf<T>(items: T[], k: number, n: number): T[] {
  return items.filter((_, i) => i % n === k - 1);
}
