import { promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, sha256Text } from './provenance.js';
import { writeAtomic } from './write.js';
import { UsageError } from '../errors.js';

/**
 * A folder of computed results keyed by what they were computed from (`report --cache DIR`). The key is the
 * SHA-256 of the canonical JSON of the key material (for a report: oxyscope version, analysis options, the
 * calculation's id and the hashes of its input files), so a changed input, option or version is a miss, never a
 * stale hit. Entries are written by temp file + rename: concurrent shards writing the same entry each rename a
 * complete file, and a run killed midway leaves complete entries only. An entry that does not parse, or whose
 * stored key differs, is a miss (and is rewritten).
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

export class ResultCache<T> {
  /** entries that could not be written (disk full, permissions): the results are right, only not kept */
  unstored = 0;
  firstWriteError: string | undefined;

  private constructor(readonly dir: string) {}

  static async open<T>(dir: string): Promise<ResultCache<T>> {
    const st = await fs.stat(dir).catch(() => undefined);
    if (st && !st.isDirectory()) throw new UsageError(`--cache ${dir} is not a folder`);
    await fs.mkdir(dir, { recursive: true });
    return new ResultCache<T>(dir);
  }

  key(material: unknown): string {
    return sha256Text(canonicalJson(material));
  }

  /** Two-level layout (`ab/abcd….json`): folders of a few hundred entries even for 10⁵ calculations. */
  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** Synchronous: one small file, whose promise round trips would cost more CPU than the read. */
  get(key: string): T | undefined {
    let text: string;
    try {
      text = readFileSync(this.path(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      // the reviver only where tagged arrays are (it slows parsing several-fold)
      const entry = (text.includes(`"${F64}"`) ? JSON.parse(text, reviver) : JSON.parse(text)) as { key?: string; value?: T };
      return entry.key === key ? entry.value : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores an entry; a failed write is counted (`unstored`), not thrown: the run's results do not depend on it. */
  async put(key: string, value: T): Promise<void> {
    try {
      await fs.mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
      // no fsync: an entry cut short by a crash fails to parse and is recomputed
      await writeAtomic(this.path(key), JSON.stringify({ key, value }, replacer), { force: true, sync: false });
    } catch (e) {
      this.unstored++;
      this.firstWriteError ??= (e as Error).message;
    }
  }
}
