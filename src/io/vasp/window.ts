import { ParseError } from '../../errors.js';
import type { Kernels } from '../../kernels/types.js';
import type { ByteSource } from '../source.js';
import { bytesOf } from '../source.js';

/**
 * A sliding window over a byte stream, for readers written once as a generator and run either over bytes in
 * memory (`runSync`) or over a streamed source (`runAsync`). The reader consumes from `pos`; when it needs bytes
 * that have not arrived it `yield`s and the driver appends the next chunk (or sets `eof`). Consumed bytes are
 * dropped on every append, so memory is the unconsumed tail plus one chunk, never the file.
 *
 * The window owns its buffer (chunks are copied in), so what a reader holds is never changed by the source.
 */
/**
 * The most bytes a reader may leave unconsumed (one line, tag, leaf text or number). VASP's lines are short; more
 * than this is not a DOSCAR or vasprun.xml (a binary file, a gzip bomb), and buffering it would grow without bound.
 */
export const MAX_PENDING = 64 << 20;

export class ByteWindow {
  /** display name for errors */
  name = '<input>';
  /** `bytes[pos .. bytes.length)` is what has arrived and is not yet consumed */
  bytes: Uint8Array = new Uint8Array(0);
  pos = 0;
  /** no more chunks will come */
  eof = false;
  /** 1-based line number at `pos`; readers advance it as they consume newlines */
  line = 1;
  /** absolute offset in the stream of bytes[0] (for messages) */
  base = 0;
  /**
   * Size of the whole input when known. A header's claim (NIONS, NEDOS) that the file is big enough to hold may
   * be allocated at once instead of grown block by block.
   */
  size?: number;
  private store: Uint8Array = new Uint8Array(0);

  append(chunk: Uint8Array): void {
    const keep = this.bytes.length - this.pos;
    if (keep > MAX_PENDING) {
      throw new ParseError({ file: this.name, line: this.line, expected: `a line, tag or number shorter than ${MAX_PENDING} bytes`, found: `${keep} bytes without an end` });
    }
    const need = keep + chunk.length;
    if (need > this.store.length) {
      const grown = new Uint8Array(Math.max(need, this.store.length * 2, 1 << 16));
      grown.set(this.bytes.subarray(this.pos), 0);
      this.store = grown;
    } else if (keep > 0 && this.pos > 0) {
      this.store.copyWithin(0, this.pos, this.bytes.length);
    }
    this.base += this.pos;
    this.store.set(chunk, keep);
    this.bytes = this.store.subarray(0, need);
    this.pos = 0;
  }

  /** Bytes available from pos. */
  get available(): number {
    return this.bytes.length - this.pos;
  }
}

/** A reader: a generator over a window that yields whenever it needs more bytes, and returns its result. */
export type WindowReader<T> = (w: ByteWindow) => Generator<void, T, void>;

const SYNC_CHUNK = 1 << 22;

/** Runs a reader over bytes in memory (fed in chunks, so the copy the window holds stays small). */
export function runSync<T>(reader: WindowReader<T>, input: Uint8Array | string, name?: string): T {
  const bytes = bytesOf(input);
  const w = new ByteWindow();
  if (name !== undefined) w.name = name;
  w.size = bytes.length;
  const gen = reader(w);
  let off = 0;
  for (let r = gen.next(); ; r = gen.next()) {
    if (r.done) return r.value;
    if (off < bytes.length) {
      w.append(bytes.subarray(off, Math.min(bytes.length, off + SYNC_CHUNK)));
      off += SYNC_CHUNK;
    } else if (w.eof) {
      throw new Error('reader asked for bytes after the end of input');
    } else w.eof = true;
  }
}

/** Runs a reader over a streamed source, chunk by chunk. */
export async function runAsync<T>(reader: WindowReader<T>, source: ByteSource): Promise<T> {
  const w = new ByteWindow();
  w.name = source.name;
  w.size = source.size;
  const gen = reader(w);
  const it = source.chunks()[Symbol.asyncIterator]();
  try {
    for (let r = gen.next(); ; r = gen.next()) {
      if (r.done) return r.value;
      if (w.eof) throw new Error('reader asked for bytes after the end of input');
      const c = await it.next();
      if (c.done) w.eof = true;
      else if (c.value.length > 0) w.append(c.value);
    }
  } finally {
    await it.return?.();
  }
}

/** Latin-1 text of a byte range (headers and XML names are ASCII). */
export function latin1(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 4096) s += String.fromCharCode(...b.subarray(i, Math.min(end, i + 4096)));
  return s;
}

/** Number of newlines in b[start, end). */
export function countNewlines(b: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = b.indexOf(10, start); i >= 0 && i < end; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * The next line from the window (without its CR/LF), consuming it; undefined at the end of input.
 * Yields until a whole line is there.
 */
export function* nextLine(w: ByteWindow): Generator<void, string | undefined, void> {
  for (;;) {
    const nl = w.bytes.indexOf(10, w.pos);
    if (nl >= 0 || (w.eof && w.available > 0)) {
      const stop = nl >= 0 ? nl : w.bytes.length;
      const endText = stop > w.pos && w.bytes[stop - 1] === 13 ? stop - 1 : stop;
      const s = latin1(w.bytes, w.pos, endText);
      w.pos = nl >= 0 ? nl + 1 : stop;
      w.line++;
      return s;
    }
    if (w.eof) return undefined;
    yield;
  }
}

/** Like nextLine, without consuming it. */
export function* peekLine(w: ByteWindow): Generator<void, string | undefined, void> {
  const start = w.base + w.pos;
  const line = w.line;
  const s = yield* nextLine(w);
  // appends only drop bytes before pos, and pos stayed at `start` while nextLine waited
  w.pos = start - w.base;
  w.line = line;
  return s;
}

/**
 * The ParseError for a block that did not scan to rows × ncols numbers: the bad token (`****`, a word) when
 * the scan stopped at one, else the first line whose count is wrong (blank lines are skipped). `line0` is the line of region[0].
 */
export function scanFailure(file: string, line0: number, region: Uint8Array, ncols: number, what: string, errorOffset: number, kernels: Kernels): ParseError {
  if (errorOffset >= 0) {
    const lineStart = region.lastIndexOf(10, errorOffset) + 1;
    let end = errorOffset;
    while (end < region.length && region[end] > 32) end++;
    return new ParseError({
      file,
      line: line0 + countNewlines(region, 0, errorOffset),
      column: errorOffset - lineStart + 1,
      expected: `a number (${what})`,
      found: latin1(region, errorOffset, end),
    });
  }
  let start = 0;
  for (let line = line0; start < region.length; line++) {
    let end = region.indexOf(10, start);
    if (end < 0) end = region.length;
    const n = kernels.scan(region.subarray(start, end)).count;
    const blank = n === 0 && region.subarray(start, end).every((c) => c <= 32);
    if (n !== ncols && !blank) {
      return new ParseError({ file, line, expected: `${ncols} numbers per row (${what})`, found: latin1(region, start, end) });
    }
    start = end + 1;
  }
  return new ParseError({ file, line: line0, expected: `${ncols} numbers per row (${what})`, found: 'rows of other lengths' });
}
