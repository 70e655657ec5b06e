import { ParseError } from '../errors.js';

/**
 * Where readers get bytes from, in Node and in the browser alike: a display name and a stream of chunks.
 * Node opens files in `src/node/files.ts`; the viewer wraps `File` objects; tests wrap strings.
 * Gzip is already undone by whoever made the source.
 */
export interface ByteSource {
  /** display name used in error messages (path as the user wrote it) */
  readonly name: string;
  /** size in bytes when known (uncompressed), for progress and preallocation hints only */
  readonly size?: number;
  chunks(): AsyncIterable<Uint8Array>;
}

const encoder = new TextEncoder();

export function bytesOf(input: Uint8Array | string): Uint8Array {
  return typeof input === 'string' ? encoder.encode(input) : input;
}

/** A source over bytes already in memory (tests, the viewer's File.arrayBuffer, small files), `normalised`. */
export function fromBytes(name: string, input: Uint8Array | string, chunkSize = 1 << 22): ByteSource {
  const bytes = bytesOf(input);
  return normalised({
    name,
    size: bytes.length,
    async *chunks() {
      for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, Math.min(bytes.length, i + chunkSize));
    },
  });
}

const CR = 13;
const LF = 10;

/**
 * The source as every reader expects it, made where sources are made (`openSource` in src/node/files.ts, the
 * viewer's `blobSource`, `fromBytes`), so every reader and detection see the same bytes: a UTF-8 BOM at the start
 * dropped, and a lone CR (classic Mac line ends, some Windows tools) made LF, so a CR-only file reads as the same
 * lines instead of one. CRLF stays (readers take CR before LF as part of the line end). Chunks without a lone CR
 * pass through uncopied.
 */
export function normalised(source: ByteSource): ByteSource {
  return { name: source.name, size: source.size, chunks: () => normalisedChunks(source.chunks()) };
}

/** A lone CR made LF (a CR at the end counts as lone); `c` itself when it has none. */
function lonesToLF(c: Uint8Array): Uint8Array {
  let copy: Uint8Array | undefined;
  for (let i = c.indexOf(CR); i >= 0; i = c.indexOf(CR, i + 1)) {
    if (c[i + 1] === LF) continue;
    copy ??= c.slice();
    copy[i] = LF;
  }
  return copy ?? c;
}

/** `normalised` for bytes in memory that are the whole input or its head (format detection). */
export function normalisedBytes(b: Uint8Array): Uint8Array {
  return lonesToLF(b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b);
}

async function* normalisedChunks(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let start = true;
  // a CR that ended the previous chunk: what it is depends on the next byte
  let heldCR = false;
  for await (let c of chunks) {
    if (c.length === 0) continue;
    if (start) {
      start = false;
      if (c.length >= 3 && c[0] === 0xef && c[1] === 0xbb && c[2] === 0xbf) c = c.subarray(3);
    }
    if (heldCR) {
      yield Uint8Array.of(c.length > 0 && c[0] === LF ? CR : LF);
      heldCR = false;
    }
    if (c.length > 0 && c[c.length - 1] === CR) {
      heldCR = true;
      c = c.subarray(0, c.length - 1);
    }
    if (c.length > 0) yield lonesToLF(c);
  }
  if (heldCR) yield Uint8Array.of(LF);
}

/**
 * The largest input read whole into memory (POSCAR, CHARGE, OSZICAR, lobsterout and the other small formats, and
 * stdin, which is buffered to be detected): 256 MiB is far past what these formats hold (a POSCAR of a million atoms
 * is ~60 MB), and refusing from the size or the first chunks keeps a wrong file from filling memory first.
 */
export const MAX_WHOLE_BYTES = 256 << 20;

const mib = (n: number) => `${(n / 2 ** 20).toFixed(n < 2 ** 20 ? 3 : 1)} MiB`;

function tooBig(name: string, maxBytes: number, found: string): ParseError {
  return new ParseError({ file: name, line: 0, expected: `at most ${mib(maxBytes)} (this input is read whole into memory)`, found });
}

/**
 * Everything a source holds, in one buffer (for the small formats). Past `maxBytes` it is a ParseError naming the
 * source and the limit: at once when the size is known (a file's stat), else when the chunks read pass it (gzip, stdin).
 */
export async function readAll(source: ByteSource, maxBytes = MAX_WHOLE_BYTES): Promise<Uint8Array> {
  if (source.size !== undefined && source.size > maxBytes) throw tooBig(source.name, maxBytes, `${mib(source.size)} (${source.size} bytes)`);
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of source.chunks()) {
    parts.push(c);
    n += c.length;
    if (n > maxBytes) throw tooBig(source.name, maxBytes, `more than that (${n} bytes read so far)`);
  }
  return parts.length === 1 ? parts[0] : concatBytes(parts, n);
}

/** `parts` joined into one buffer of their total length `n`. */
export function concatBytes(parts: Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** V8's longest string (2^29 − 24 UTF-16 units); longer text cannot be decoded into one string. */
export const MAX_TEXT_BYTES = 0x1fffffe8;

/** Text of bytes (UTF-8, BOM dropped); a ParseError naming `name` when the bytes exceed one JS string. */
export function textOf(input: Uint8Array | string, name = '<input>'): string {
  if (typeof input !== 'string' && input.length > MAX_TEXT_BYTES) {
    throw new ParseError({ file: name, line: 0, expected: `at most ${MAX_TEXT_BYTES} bytes (this format is read as one text)`, found: `${input.length} bytes` });
  }
  const s = typeof input === 'string' ? input : decoder.decode(input);
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}
