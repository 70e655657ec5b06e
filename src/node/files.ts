import { closeSync, createReadStream, openSync, promises as fs, readSync, statSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { normalised, normalisedBytes, type ByteSource } from '../io/source.js';
import { FileSystemError, ParseError } from '../errors.js';
import { kindOf, statPath } from './fs-kind.js';

/** Files are read in chunks of this size; readers stream them (memory does not grow with file size). */
const CHUNK = 1 << 22;
/** A small file is read in one chunk of its own size: a 4 MiB buffer per tiny file is most of the cost of reading thousands. */
const chunkFor = (size: number): number => Math.min(CHUNK, Math.max(size, 1 << 16));

const isGzipMagic = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

async function isGzip(path: string): Promise<boolean> {
  const fh = await fs.open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return isGzipMagic(b.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/**
 * A ByteSource over a file; gzip is undone transparently (by content, not by name), line ends and a BOM as
 * `normalised` says. `-` is stdin.
 * A path that cannot be read is a FileSystemError naming it and the cause; a folder, FIFO or device is a ParseError
 * saying what it is (a FIFO or /dev/zero would never end).
 */
export async function openSource(path: string): Promise<ByteSource> {
  if (path === '-') {
    return normalised({ name: '<stdin>', chunks: () => gunzipIfNeeded(process.stdin) });
  }
  const st = await statPath(path);
  if (!st.isFile()) throw new ParseError({ file: path, line: 0, expected: 'a regular file', found: kindOf(st) });
  const gz = await isGzip(path);
  return normalised({
    name: path,
    size: gz ? undefined : st.size,
    chunks: () => {
      const raw = createReadStream(path, { highWaterMark: gz ? CHUNK : chunkFor(st.size) });
      return gz ? gunzipStream(raw, path) : toUint8(raw);
    },
  });
}

/**
 * The first `n` bytes of a regular file (gzip undone), for format detection: synchronous, one open and one read,
 * because discovery does this for every file of thousands of folders, where promise round trips cost more than the
 * reads. Errors as for openSource.
 */
export async function headBytes(path: string, n: number): Promise<Uint8Array> {
  let fd: number;
  try {
    // stat before open: opening a FIFO would block
    const st = statSync(path);
    if (!st.isFile()) throw new ParseError({ file: path, line: 0, expected: 'a regular file', found: kindOf(st) });
    fd = openSync(path, 'r');
  } catch (e) {
    throw FileSystemError.from(e, path);
  }
  let head: Uint8Array;
  try {
    const buf = Buffer.allocUnsafe(n);
    head = buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } catch (e) {
    throw FileSystemError.from(e, path);
  } finally {
    closeSync(fd);
  }
  // the bytes the readers will see (BOM dropped, lone CR made LF), as openSource gives them
  if (!isGzipMagic(head)) return normalisedBytes(head);
  const out: Uint8Array[] = [];
  let got = 0;
  for await (const c of (await openSource(path)).chunks()) {
    out.push(c.subarray(0, n - got));
    got += out[out.length - 1].length;
    if (got >= n) break;
  }
  return Buffer.concat(out);
}

async function* toUint8(stream: Readable): AsyncIterable<Uint8Array> {
  for await (const c of stream) yield c as Uint8Array;
}

/**
 * Inflated bytes allowed per compressed byte. VASP and LOBSTER text compresses 2–15× (the real fixtures: at most
 * 14×); deflate reaches ~1030× only on degenerate input, which is what a gzip bomb is.
 */
export const MAX_INFLATE_RATIO = 200;
/** Below this much output the ratio is not checked: small files of repeated lines may compress very well. */
export const INFLATE_RATIO_FLOOR = 64 << 20;

async function* gunzipStream(raw: Readable, path: string): AsyncIterable<Uint8Array> {
  const z = createGunzip({ chunkSize: 1 << 20 });
  let inflated = 0;
  raw.pipe(z);
  try {
    for await (const c of z) {
      inflated += c.length;
      // bytesWritten: compressed bytes inflate has consumed so far (not what the file stream read ahead)
      const packed = z.bytesWritten;
      if (inflated > INFLATE_RATIO_FLOOR && inflated > MAX_INFLATE_RATIO * packed) {
        throw new ParseError({
          file: path,
          line: 0,
          expected: `gzip data that inflates at most ${MAX_INFLATE_RATIO}× (real outputs inflate 2–15×)`,
          found: `${inflated} bytes from ${packed} compressed (a gzip bomb?)`,
        });
      }
      yield c as Uint8Array;
    }
  } catch (e) {
    if (e instanceof ParseError) throw e;
    throw new ParseError({ file: path, line: 0, expected: 'a complete gzip stream', found: (e as Error).message });
  } finally {
    // a reader that stops early (an error, a header peek) must not leave the file open and inflating
    raw.unpipe(z);
    raw.destroy();
    z.destroy();
  }
}

async function* gunzipIfNeeded(stream: Readable): AsyncIterable<Uint8Array> {
  const it = stream[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const head = first.value as Buffer;
  const rest = Readable.from((async function* () {
    yield head;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value as Buffer;
    }
  })());
  if (head[0] === 0x1f && head[1] === 0x8b) yield* gunzipStream(rest, '<stdin>');
  else yield* toUint8(rest);
}
