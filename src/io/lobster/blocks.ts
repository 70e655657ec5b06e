import { ParseError } from '../../errors.js';
import type { Kernels } from '../../kernels/types.js';
import { bytesOf, type ByteSource } from '../source.js';

/**
 * Incremental reading of text files made of short header lines and long numeric blocks (COHPCAR, DOSCAR.lobster).
 * A reader is written once as a generator that `yield`s whenever it needs more bytes; `runSync` feeds it a whole
 * buffer, `runAsync` feeds it the chunks of a ByteSource. Chunks are read in place and only bytes cut by a chunk
 * boundary are copied, so memory stays at the size of the arrays the reader fills (plus the current chunk).
 */
export type Needs<T> = Generator<void, T, Uint8Array | null>;

const decoder = new TextDecoder();

/**
 * The most bytes one line or one token may take. A LOBSTER row of 100 000 bonds is ~5 MB; more than this is not
 * text of these formats (a binary file, a gzip bomb), and buffering it would grow memory and time without bound.
 */
export const MAX_PENDING = 64 << 20;

/** The most values one scan call returns: 4 MiB, one file chunk (a COHPCAR row of 2000 bonds is 4001 values, ~130 rows a call). */
const SCRATCH_MAX = 1 << 19;

export class ChunkReader {
  readonly file: string;
  private buf: Uint8Array = new Uint8Array(0);
  /** where an unread tail is joined with the start of the next chunk (`buf` is this or a view of a chunk) */
  private store: Uint8Array = new Uint8Array(0);
  /** the part of the current chunk not yet in `buf` */
  private rest: Uint8Array | null = null;
  /**
   * the values of one scan call, reused from call to call. It doubles each time the data fills it, up to
   * SCRATCH_MAX: many rows per call let a sink write long runs into each channel, and growing only with values
   * already read keeps a small file's memory small
   */
  private scratch = new Float64Array(1 << 15);
  private pos = 0;
  private eof = false;
  /** 1-based number of the line the next read starts in */
  lineNo = 1;
  private readonly kernels: Kernels;

  /**
   * `size`: bytes of the whole input when known. A header's claim the file is big enough to hold may then be
   * allocated at once instead of grown row by row.
   */
  constructor(file: string, kernels: Kernels, readonly size?: number) {
    this.file = file;
    this.kernels = kernels;
  }

  error(expected: string, found?: string, line = this.lineNo, column?: number): ParseError {
    return new ParseError({ file: this.file, line, column, expected, found });
  }

  /**
   * Moves on to the next chunk; false at end of input. The chunk is read where it lies: only an unread tail (a
   * token or line cut by the chunk's start) is copied, joined with the chunk's bytes up to its first line end,
   * and the chunk's rest is taken up in place once that join is read.
   */
  private *more(): Needs<boolean> {
    let chunk = this.rest;
    this.rest = null;
    if (chunk === null) {
      if (this.eof) return false;
      chunk = yield;
      if (chunk === null) {
        this.eof = true;
        return false;
      }
    }
    const rest = this.buf.length - this.pos;
    if (rest > MAX_PENDING) throw this.error(`a line or number shorter than ${MAX_PENDING} bytes`, `${rest} bytes without an end`);
    this.pos = 0;
    if (rest === 0) {
      this.buf = chunk;
      return true;
    }
    // up to the first line end: a line cut by the boundary is then whole in the join (joining token by token
    // would copy a long header line once per token)
    const nl = chunk.indexOf(10);
    const head = nl >= 0 ? nl + 1 : chunk.length;
    if (head < chunk.length) this.rest = chunk.subarray(head);
    // one buffer reused from join to join
    const need = rest + head;
    const tail = this.buf.subarray(this.buf.length - rest);
    if (need > this.store.length) {
      const grown = new Uint8Array(Math.max(need, 2 * this.store.length));
      grown.set(tail, 0);
      this.store = grown;
    } else if (this.buf.buffer === this.store.buffer) {
      // `buf` is the previous join (it starts at store[0]): the tail moves to the front
      this.store.copyWithin(0, this.buf.length - rest, this.buf.length);
    } else {
      this.store.set(tail, 0);
    }
    this.store.set(chunk.subarray(0, head), rest);
    this.buf = this.store.subarray(0, need);
    return true;
  }

  /** The next line without its line end (CRLF too), or undefined at end of input. */
  *line(): Needs<string | undefined> {
    let from = this.pos;
    for (;;) {
      const nl = this.buf.indexOf(10, from);
      if (nl >= 0) {
        let end = nl;
        if (end > this.pos && this.buf[end - 1] === 13) end--;
        const s = decoder.decode(this.buf.subarray(this.pos, end));
        this.pos = nl + 1;
        this.lineNo++;
        return s;
      }
      from = this.buf.length - this.pos;
      if (!(yield* this.more())) {
        if (this.pos >= this.buf.length) return undefined;
        let end = this.buf.length;
        if (this.buf[end - 1] === 13) end--;
        const s = decoder.decode(this.buf.subarray(this.pos, end));
        this.pos = this.buf.length;
        this.lineNo++;
        return s;
      }
      from += this.pos;
    }
  }

  /** The next line that is not blank; a ParseError naming `expected` at end of input. */
  *needLine(expected: string): Needs<string> {
    for (;;) {
      const l = yield* this.line();
      if (l === undefined) throw this.error(expected, 'end of file');
      if (l.trim() !== '') return l;
    }
  }

  /**
   * Reads exactly `n` whitespace-separated numbers through kernels.scan and hands them to `sink` in order
   * (`start` = index of values[0] within the n). `perLine` (numbers per row) lets errors name the row's line
   * without counting newlines in the hot path; the line count is brought up to date once the block is read.
   * Afterwards the rest of the last line is consumed.
   */
  *numbers(n: number, perLine: number, what: string, sink: (values: Float64Array, start: number) => void): Needs<void> {
    const firstLine = this.lineNo;
    let got = 0;
    let newlines = 0;
    // bytes of the current line consumed by earlier calls: a column counts from the line's start, not the view's
    let lineBytes = 0;
    while (got < n) {
      const view = this.buf.subarray(this.pos);
      // calls end at the end of a row where the scratch array holds one, so sinks see few cut rows
      const into = got % perLine;
      const toRowEnd = Math.floor((this.scratch.length + into) / perLine) * perLine - into;
      const cap = Math.min(n - got, toRowEnd > 0 ? toRowEnd : this.scratch.length);
      const r = this.kernels.scan(view, { final: this.eof, maxValues: cap, out: this.scratch });
      if (r.errorOffset >= 0) {
        const nl = view.lastIndexOf(10, r.errorOffset);
        let end = r.errorOffset;
        while (end < view.length && view[end] > 32) end++;
        throw this.error(
          `a number (${what})`,
          decoder.decode(view.subarray(r.errorOffset, end)),
          firstLine + Math.floor((got + r.count) / perLine),
          nl >= 0 ? r.errorOffset - nl : lineBytes + r.errorOffset + 1,
        );
      }
      if (r.count > 0) sink(r.values, got);
      got += r.count;
      newlines += r.newlines;
      this.pos += r.consumed;
      const lastNl = r.consumed > 0 ? view.lastIndexOf(10, r.consumed - 1) : -1;
      lineBytes = lastNl >= 0 ? r.consumed - lastNl - 1 : lineBytes + r.consumed;
      // a full scratch array: go on in the same bytes
      if (r.count === cap) {
        if (got < n && this.scratch.length < SCRATCH_MAX) this.scratch = new Float64Array(2 * this.scratch.length);
        continue;
      }
      if (got < n && !(yield* this.more())) {
        if (this.pos < this.buf.length) continue;
        throw this.error(`${n} numbers (${what})`, `end of file after ${got}`, firstLine + newlines);
      }
    }
    this.lineNo = firstLine + newlines;
    // the tail of the row that held the last number
    while (this.pos < this.buf.length || (yield* this.more())) {
      const c = this.buf[this.pos];
      if (c === 10) {
        this.pos++;
        this.lineNo++;
        return;
      }
      if (c > 32) {
        throw this.error(`end of line after ${perLine} numbers (${what})`, decoder.decode(this.buf.subarray(this.pos, this.pos + 20)));
      }
      this.pos++;
    }
  }

  /** True when only whitespace is left. */
  *atEnd(): Needs<boolean> {
    for (;;) {
      while (this.pos < this.buf.length) {
        const c = this.buf[this.pos];
        if (c > 32) return false;
        if (c === 10) this.lineNo++;
        this.pos++;
      }
      if (!(yield* this.more())) return true;
    }
  }
}

/** Runs a reader over bytes already in memory. */
export function runSync<T>(gen: Needs<T>, input: Uint8Array | string): T {
  let fed = false;
  let r = gen.next(null);
  while (!r.done) {
    r = gen.next(fed ? null : bytesOf(input));
    fed = true;
  }
  return r.value;
}

/** Runs a reader over a source's chunks (memory bounded by what the reader keeps). */
export async function runAsync<T>(gen: Needs<T>, source: ByteSource): Promise<T> {
  const it = source.chunks()[Symbol.asyncIterator]();
  let r = gen.next(null);
  while (!r.done) {
    const c = await it.next();
    r = gen.next(c.done ? null : c.value);
  }
  await it.return?.();
  return r.value;
}
