import { promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Text } from './provenance.js';
import { writeAtomic } from './write.js';
import { UsageError } from '../errors.js';

/**
 * A folder of computed results keyed by what they were computed from (`report --cache DIR`). The key is the
 * SHA-256 of the JSON of the key material (for a report: oxyscope version, analysis options, the
 * calculation's id and the hashes of its input files), so a changed input, option or version is a miss, never a
 * stale hit. Entries are written by temp file + rename: concurrent shards writing the same entry each rename a
 * complete file, and a run killed midway leaves complete entries only. An entry that does not parse, or whose
 * stored key differs, is a miss (and is rewritten).
 *
 * An entry holds a document (kept as its exact JSON text too, so that a hit can be written out without being
 * stringified again), a brief of it (a smaller stand-in, read where the document's details are not) and extra
 * data. It is one JSON object laid out on four lines — `{"key":…,` / `"doc":…,` / `"brief":…,` / `"extra":…}` —
 * which JSON.stringify's output (never a raw newline) makes safe to split without parsing: a hit parses only the
 * part asked for.
 */

/** Float64Arrays (DOS and COHP curves) survive the JSON round trip as tagged arrays. */
const F64 = '$float64';

function replacer(_: string, v: unknown): unknown {
  return v instanceof Float64Array ? { [F64]: Array.from(v) } : v;
}

function reviver(_: string, v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const values = (v as Record<string, unknown>)[F64];
    if (Array.isArray(values) && Object.keys(v).length === 1) return Float64Array.from(values as (number | null)[], (x) => x ?? NaN);
  }
  return v;
}

/** The reviver only where tagged arrays are (it slows parsing several-fold). */
const parse = (text: string): unknown => (text.includes(`"${F64}"`) ? JSON.parse(text, reviver) : JSON.parse(text));

const NL = 0x0a;
const LINES = ['doc', 'brief', 'extra'] as const;

/** A hit: the document or its brief (as asked), the bytes of the document's JSON text as stored, and the extra data. */
export interface CacheHit<D, X> {
  value: D;
  docJson: Buffer;
  extra: X;
}

export class ResultCache<D, X> {
  /** entries that could not be written (disk full, permissions): the results are right, only not kept */
  unstored = 0;
  firstWriteError: string | undefined;

  private constructor(readonly dir: string) {}

  static async open<D, X>(dir: string): Promise<ResultCache<D, X>> {
    const st = await fs.stat(dir).catch(() => undefined);
    if (st && !st.isDirectory()) throw new UsageError(`--cache ${dir} is not a folder`);
    await fs.mkdir(dir, { recursive: true });
    return new ResultCache<D, X>(dir);
  }

  /** The key of material given as an array, whose fixed order makes its JSON text canonical (objects in it: canonicalJson). */
  key(material: unknown[]): string {
    return sha256Text(JSON.stringify(material));
  }

  /** Two-level layout (`ab/abcd….json`): folders of a few hundred entries even for 10⁵ calculations. */
  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** Synchronous: one small file, whose promise round trips would cost more CPU than the read. */
  get(key: string, part: 'doc' | 'brief'): CacheHit<D, X> | undefined {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path(key));
    } catch {
      return undefined;
    }
    // the JSON values of the lines; an entry cut short lacks its last newline, garbage or another layout fails the
    // line checks or the parse
    const head = Buffer.from(`{"key":${JSON.stringify(key)},\n`);
    if (bytes.at(-1) !== NL || !bytes.subarray(0, head.length).equals(head)) return undefined;
    const values: Buffer[] = [];
    for (let start = head.length, i = 0; i < LINES.length; i++) {
      const end = bytes.indexOf(NL, start);
      const name = Buffer.from(`"${LINES[i]}":`);
      const last = i === LINES.length - 1;
      if (end < 0 || (last && end !== bytes.length - 1) || !bytes.subarray(start, start + name.length).equals(name) || bytes[end - 1] !== (last ? 0x7d : 0x2c)) return undefined;
      values.push(bytes.subarray(start + name.length, end - 1));
      start = end + 1;
    }
    const [docJson, briefJson, extraJson] = values;
    try {
      return { value: JSON.parse((part === 'doc' ? docJson : briefJson).toString('utf8')) as D, docJson, extra: parse(extraJson.toString('utf8')) as X };
    } catch {
      return undefined;
    }
  }

  /**
   * Stores an entry; a failed write is counted (`unstored`), not thrown: the run's results do not depend on it.
   * `docJson` is `JSON.stringify(doc)`, when the caller has it already.
   */
  async put(key: string, doc: D, brief: D, extra: X, docJson: string = JSON.stringify(doc)): Promise<void> {
    try {
      await fs.mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
      const text = `{"key":${JSON.stringify(key)},\n"doc":${docJson},\n"brief":${JSON.stringify(brief)},\n"extra":${JSON.stringify(extra, replacer)}}\n`;
      // no fsync: an entry cut short by a crash fails to parse and is recomputed
      await writeAtomic(this.path(key), text, { force: true, sync: false });
    } catch (e) {
      this.unstored++;
      this.firstWriteError ??= (e as Error).message;
    }
  }
}
