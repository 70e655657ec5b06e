import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { byCodePoint, type Calculation } from './discover.js';
import { FolderFiles } from './folder-files.js';
import { NEB_IMAGE_FILES } from './neb.js';
import { packageRoot } from './paths.js';

/**
 * Provenance of one calculation record: which oxyscope made it, with which analysis options, from which input
 * bytes. Carried in every `report --jsonl` line, checked by `merge`, and the key of the report cache.
 */

export interface InputHash {
  /** path relative to the report root, `/`-separated */
  file: string;
  /** SHA-256 of the file's bytes (hex) */
  sha256: string;
}

/** The settings a calculation's results depend on (not the shard, the output paths or the cache folder). */
export interface AnalysisOptions {
  engine: string;
  window: [number, number];
  /** the `--reference` file as given, and its content hash */
  reference: InputHash | null;
  census: { tm?: string[]; alkali?: string[]; cutoffs?: unknown };
}

export interface Provenance {
  tool: 'oxyscope';
  version: string;
  options: AnalysisOptions;
  inputs: InputHash[];
}

/** oxyscope's version, from its package.json (one source for `--version`, report.json and provenance). */
export const VERSION: string = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

/** JSON with object keys sorted at every level: equal settings give equal text whatever order they were built in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => byCodePoint(a, b)))
      : v,
  );
}

export function sha256Text(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Files up to this size are hashed from one read; bigger ones (GB-sized vasprun.xml) are streamed. */
const READ_WHOLE = 1 << 20;

/**
 * SHA-256 of a file's bytes. Small files are read synchronously: for thousands of small inputs the promise round
 * trips of stat/open/read/close cost 2–4× the CPU of the reads themselves.
 */
export async function sha256File(path: string): Promise<string> {
  const fd = openSync(path, 'r');
  try {
    if (fstatSync(fd).size <= READ_WHOLE) return createHash('sha256').update(readFileSync(fd)).digest('hex');
  } finally {
    closeSync(fd);
  }
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

const rel = (root: string, p: string): string => relative(root, p).split(sep).join('/') || '.';

/**
 * Files of the calculation folder that analyses read although discovery does not list them (src/node/load.ts): the
 * POTCAR names a VASP 4 POSCAR's species, the INCAR settles a DOSCAR's non-collinear column layout.
 */
const READ_BESIDE = ['POTCAR', 'POTCAR.gz', 'INCAR', 'INCAR.gz'];

/** Every file the analyses of a calculation may read: its listed files (NEB: the image folders' files), and READ_BESIDE. */
function inputFiles(calc: Calculation, folders: FolderFiles): string[] {
  /** The files of `dir` named in `names` that the analyses would open (a symlink to a file too). */
  const present = (dir: string, names: readonly string[]) => names.flatMap((n) => folders.file(dir, n) ?? []);
  const paths = calc.files.map((f) => f.path);
  if (calc.kind === 'neb') {
    const names = NEB_IMAGE_FILES.flatMap((b) => [b, `${b}.gz`]);
    const images = readdirSync(calc.path, { withFileTypes: true }).filter((e) => e.isDirectory() && /^\d{2,}$/.test(e.name));
    for (const image of images) paths.push(...present(join(calc.path, image.name), names));
  } else if (calc.files.length > 0 && calc.path !== calc.files[0].path) {
    // a folder's calculation (a renamed file on its own has the file's path); compared as given, not normalised:
    // the root may be given as `calcs/` or `./calcs`
    paths.push(...present(calc.path, READ_BESIDE));
  }
  return [...new Set(paths)];
}

/**
 * The content hashes of a calculation's input files, sorted by path. `hash` gives a file's SHA-256 (a HashMemo's),
 * `folders` the folders' listings (one for a whole run).
 */
export async function inputHashes(root: string, calc: Calculation, how: { hash?: (path: string) => Promise<string>; folders?: FolderFiles } = {}): Promise<InputHash[]> {
  const { hash = sha256File, folders = new FolderFiles() } = how;
  const out: InputHash[] = [];
  for (const p of inputFiles(calc, folders)) out.push({ file: rel(root, p), sha256: await hash(p) });
  return out.sort((a, b) => byCodePoint(a.file, b.file));
}
