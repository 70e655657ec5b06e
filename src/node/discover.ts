import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { AmbiguousFormatError, detectFormat } from '../io/formats.js';
import { byCodePoint, calculation, group, type CalcFile, type Calculation } from '../pipeline/group.js';
import { headOfBytes } from '../pipeline/inputs.js';
import { headBytes } from './files.js';
import { imageSeries } from './neb.js';
import { jsKernels } from '../kernels/js.js';
import { FileSystemError, ParseError } from '../errors.js';

export { byCodePoint, type CalcFile, type Calculation };

/**
 * Finding calculations in a folder tree on disk: an NEB folder (00..NN) is one calculation; the other folders'
 * files are detected through the format registry and grouped as src/pipeline/group.ts says.
 */

/** Files that are never VASP/LOBSTER output (by extension), skipped without reading. */
const NOT_OUTPUT = /\.(md|txt|json|jsonl|csv|tsv|svg|png|jpe?g|pdf|html?|js|mjs|ts|py|sh|ya?ml|toml|ini|log|tar|zip|bz2|xz|h5)$/i;
/** VASP inputs and notes that content sniffing could mistake for output. */
const INPUT_NAMES = /^(INCAR|KPOINTS|POTCAR|IBZKPT|WAVECAR|CHGCAR|CHG|PROCAR|EIGENVAL|PCDAT|REPORT|vasp\.out|README|PROVENANCE|MANIFEST)|LICEN[CS]E|COPYING|copyright/i;

/** detectFormat; a file two formats fit stops discovery with what to do about it (report takes no --format). */
function detect(path: string, head: string) {
  try {
    return detectFormat(path, head);
  } catch (e) {
    if (e instanceof AmbiguousFormatError) throw new AmbiguousFormatError(e.file, e.candidates, 'give it its standard name so that report can tell');
    throw e;
  }
}

/** Bytes of each file that format detection sees. */
const HEAD = 8192;

/** The recognised files of one folder (not recursive). */
async function filesOf(dir: string, names: string[]): Promise<CalcFile[]> {
  const out: CalcFile[] = [];
  for (const name of names) {
    if (NOT_OUTPUT.test(name) || INPUT_NAMES.test(name)) continue;
    const p = join(dir, name);
    // a file that cannot be read (permissions, I/O) is placed by its name: reading it then fails in its analysis,
    // an error of that calculation instead of the end of the whole report
    const head = await headBytes(p, HEAD).then(headOfBytes).catch((e: unknown) => {
      if (FileSystemError.from(e) instanceof FileSystemError) return '';
      throw e;
    });
    const format = detect(p, head);
    if (format) out.push({ path: p, format: format.id });
  }
  return out;
}

/** The root-relative, `/`-separated id of a path (`.` for the root itself). */
const idOf = (root: string) => (p: string): string => relative(root, p).split(sep).join('/') || '.';

export interface DiscoverOptions {
  /** folders not to enter (e.g. the report's own output folder) */
  exclude?: string[];
}

/** Every calculation below `root`, sorted by id. */
export async function discoverCalculations(root: string, options: DiscoverOptions = {}): Promise<Calculation[]> {
  const st = statSync(root, { throwIfNoEntry: false });
  if (!st) throw new ParseError({ file: root, line: 0, expected: 'an existing folder', found: 'nothing' });
  const excluded = new Set((options.exclude ?? []).map((p) => resolve(p)));
  if (st.isFile()) return group(idOf(dirname(root)), dirname(root), await filesOf(dirname(root), [basename(root)]));
  const seen = new Set<string>();
  const out: Calculation[] = [];
  // Synchronous listings: thousands of folders, where promise round trips cost more than the system calls.
  // `real` (the resolved path, which dedupes folders reached twice through symlinks) is resolved only at the root
  // and at symlinks; below a resolved folder a plain subfolder's is its parent's joined with its name.
  const walk = async (dir: string, real: string, ensemble?: Calculation['ensemble']): Promise<void> => {
    if (seen.has(real) || excluded.has(resolve(dir))) return;
    seen.add(real);
    const fileNames: string[] = [];
    const dirs: { path: string; real: string }[] = [];
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(dir, e.name);
      if (e.isSymbolicLink()) {
        const target = statOrNot(p);
        if (target?.isDirectory()) dirs.push({ path: p, real: realpathSync(p) });
        else if (target?.isFile()) fileNames.push(e.name);
      } else if (e.isDirectory()) dirs.push({ path: p, real: join(real, e.name) });
      else if (e.isFile()) fileNames.push(e.name);
    }
    // numbered subfolders make an NEB path (one calculation) or an ensemble; imageSeries reads them to tell
    const series = dirs.some((d) => /^\d{2,}$/.test(basename(d.path))) ? await imageSeries(dir, jsKernels) : undefined;
    if (series?.kind === 'neb') {
      out.push(calculation(idOf(root)(dir), dir, 'neb', [], ensemble));
      return;
    }
    // numbered folders of unrelated structures: each is a calculation of its own, all members of one ensemble
    const members = series ? { id: idOf(root)(dir), reason: series.reason } : undefined;
    out.push(...group(idOf(root), dir, await filesOf(dir, fileNames.sort(byCodePoint)), ensemble));
    for (const d of dirs.sort((a, b) => byCodePoint(a.path, b.path))) await walk(d.path, d.real, members && /^\d+$/.test(basename(d.path)) ? members : ensemble);
  };
  await walk(root, realpathSync(root));
  return out.sort((a, b) => byCodePoint(a.id, b.id));
}

/** stat following a symlink; undefined for a dangling or unreadable one (skipped, as a file of no known kind). */
function statOrNot(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** `K/N` → the calculations of shard K (1-based): every N-th one, starting at the K-th. */
export function shardOf<T>(items: T[], k: number, n: number): T[] {
  return items.filter((_, i) => i % n === k - 1);
}
