import { promises as fs } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { AmbiguousFormatError, detectFormat } from '../io/formats.js';
import { byCodePoint, calculation, group, type CalcFile, type Calculation } from '../pipeline/group.js';
import { headText } from '../pipeline/inputs.js';
import { openSource } from './files.js';
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
  const st = await fs.stat(root).catch(() => undefined);
  if (!st) throw new ParseError({ file: root, line: 0, expected: 'an existing folder', found: 'nothing' });
  const excluded = new Set((options.exclude ?? []).map((p) => resolve(p)));
  if (st.isFile()) return group(idOf(dirname(root)), dirname(root), await filesOf(dirname(root), [basename(root)]));
  const seen = new Set<string>();
  const out: Calculation[] = [];
  const walk = async (dir: string, ensemble?: Calculation['ensemble']): Promise<void> => {
    const real = await fs.realpath(dir);
    if (seen.has(real) || excluded.has(resolve(dir))) return;
    seen.add(real);
    const series = await imageSeries(dir, jsKernels);
    if (series?.kind === 'neb') {
      out.push(calculation(idOf(root)(dir), dir, 'neb', [], ensemble));
      return;
    }
    // numbered folders of unrelated structures: each is a calculation of its own, all members of one ensemble
    const members = series ? { id: idOf(root)(dir), reason: series.reason } : undefined;
    const entries = (await fs.readdir(dir, { withFileTypes: true })).filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules');
    const fileNames: string[] = [];
    const dirs: string[] = [];
    for (const e of entries) {
      const p = join(dir, e.name);
      const kind = e.isSymbolicLink() ? await fs.stat(p).catch(() => undefined) : e;
      if (kind?.isDirectory()) dirs.push(p);
      else if (kind?.isFile()) fileNames.push(e.name);
    }
    out.push(...group(idOf(root), dir, await filesOf(dir, fileNames.sort(byCodePoint)), ensemble));
    for (const d of dirs.sort(byCodePoint)) await walk(d, members && /^\d+$/.test(basename(d)) ? members : ensemble);
  };
  await walk(root);
  return out.sort((a, b) => byCodePoint(a.id, b.id));
}

/** `K/N` → the calculations of shard K (1-based): every N-th one, starting at the K-th. */
export function shardOf<T>(items: T[], k: number, n: number): T[] {
  return items.filter((_, i) => i % n === k - 1);
}
