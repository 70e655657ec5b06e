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

/** A source over bytes already in memory (tests, the viewer's File.arrayBuffer, small files). */
export function fromBytes(name: string, input: Uint8Array | string, chunkSize = 1 << 22): ByteSource {
  const bytes = bytesOf(input);
  return {
    name,
    size: bytes.length,
    async *chunks() {
      for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, Math.min(bytes.length, i + chunkSize));
    },
  };
}

/** Whole-buffer reads stop here: 2 GiB is past any file the whole-file formats produce and below typed-array limits. */
export const MAX_WHOLE_BYTES = 2 ** 31 - 1;

/** Everything a source holds, in one buffer (for the small formats); a ParseError past `maxBytes`. */
export async function readAll(source: ByteSource, maxBytes = MAX_WHOLE_BYTES): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of source.chunks()) {
    parts.push(c);
    n += c.length;
    if (n > maxBytes) {
      throw new ParseError({ file: source.name, line: 0, expected: `at most ${maxBytes} bytes (this format is read whole)`, found: `more than ${maxBytes}` });
    }
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
