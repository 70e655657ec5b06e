import { mkdirSync, readFileSync, statSync, type BigIntStats } from 'node:fs';
import { dirname } from 'node:path';
import { sha256File } from './provenance.js';
import { writeAtomic } from './write.js';

/**
 * Input-file hashes remembered between runs by the file's identity, as git's index does: a file whose path, size,
 * mtime and ctime (ns) and inode are those recorded with its hash is taken to still hold the bytes hashed then.
 * Any write changes the ctime (which no user call can set back, unlike the mtime), a replaced file has another
 * inode, so a changed file is hashed again, a same-size edit too.
 *
 * Racy files: a file changed within the timestamp granularity after it was hashed (or, on network file systems,
 * within the clock skew between hosts) could keep all its recorded stat fields. So an entry is stored only when
 * the file's mtime and ctime are more than RACY_MS older than the moment the memo is written; a file touched more
 * recently is hashed again on the next run, and remembered on the one after.
 *
 * One memo file per report root and shard (written atomically at the end of a run): concurrent shards do not
 * share one. A memo that does not read is empty: every file is hashed.
 */

const RACY_MS = 2000;

type Entry = [size: string, mtimeNs: string, ctimeNs: string, ino: string, sha256: string];

const signature = (st: BigIntStats): Entry => [String(st.size), String(st.mtimeNs), String(st.ctimeNs), String(st.ino), ''];

export class HashMemo {
  /** files of this run whose stored hash was used, and those hashed */
  reused = 0;
  hashed = 0;
  private readonly next = new Map<string, { entry: Entry; newest: bigint }>();

  private constructor(private readonly file: string, private readonly known: Map<string, Entry>) {}

  static load(file: string): HashMemo {
    let known = new Map<string, Entry>();
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      if (data && typeof data === 'object' && !Array.isArray(data)) known = new Map(Object.entries(data as Record<string, Entry>).filter(([, e]) => Array.isArray(e) && e.length === 5 && e.every((x) => typeof x === 'string')));
    } catch {
      // absent or unreadable: nothing known
    }
    return new HashMemo(file, known);
  }

  /** SHA-256 of the file at `path` (as given: the memo is per report root), from the memo when it is unchanged. */
  async sha256(path: string): Promise<string> {
    const st = statSync(path, { bigint: true });
    const entry = signature(st);
    const old = this.known.get(path);
    if (old && old.slice(0, 4).every((x, i) => x === entry[i])) {
      entry[4] = old[4];
      this.reused++;
    } else {
      entry[4] = await sha256File(path);
      this.hashed++;
    }
    this.next.set(path, { entry, newest: st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs });
    return entry[4];
  }

  /** Writes the files hashed or checked in this run, but the racy ones (see above). Failures are the caller's to report. */
  async save(): Promise<void> {
    // every file of the memo checked and unchanged: it would be written as it is
    if (this.hashed === 0 && this.next.size === this.known.size) return;
    const limit = BigInt(Date.now() - RACY_MS) * 1_000_000n;
    const out: Record<string, Entry> = {};
    for (const [p, { entry, newest }] of this.next) if (newest < limit) out[p] = entry;
    mkdirSync(dirname(this.file), { recursive: true });
    await writeAtomic(this.file, JSON.stringify(out), { force: true, sync: false });
  }
}
