import { createHash } from 'node:crypto';
import { createReadStream, promises as fs, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { byCodePoint, type Calculation } from './discover.js';
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

/** SHA-256 of a file's bytes, streamed (inputs may be GB-sized vasprun.xml files). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

const rel = (root: string, p: string): string => relative(root, p).split(sep).join('/') || '.';

/** Files of the calculation folder that analyses read although discovery does not list them (a VASP 4 POSCAR's species). */
const READ_BESIDE = ['POTCAR', 'POTCAR.gz'];

/** Every file the analyses of a calculation may read: its listed files (NEB: the image folders' files), and a POTCAR beside them. */
async function inputFiles(calc: Calculation): Promise<string[]> {
  const isFile = (p: string) => fs.stat(p).then((s) => s.isFile(), () => false);
  const paths = calc.files.map((f) => f.path);
  if (calc.kind === 'neb') {
    const images = (await fs.readdir(calc.path, { withFileTypes: true })).filter((e) => e.isDirectory() && /^\d{2,}$/.test(e.name));
    for (const image of images) {
      for (const base of NEB_IMAGE_FILES) for (const name of [base, `${base}.gz`]) paths.push(join(calc.path, image.name, name));
    }
  } else {
    const st = await fs.stat(calc.path);
    if (st.isDirectory()) for (const name of READ_BESIDE) paths.push(join(calc.path, name));
  }
  const present: string[] = [];
  for (const p of [...new Set(paths)]) if (await isFile(p)) present.push(p);
  return present;
}

/** The content hashes of a calculation's input files, sorted by path. */
export async function inputHashes(root: string, calc: Calculation): Promise<InputHash[]> {
  const out: InputHash[] = [];
  for (const p of await inputFiles(calc)) out.push({ file: rel(root, p), sha256: await sha256File(p) });
  return out.sort((a, b) => byCodePoint(a.file, b.file));
}
