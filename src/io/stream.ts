import { ParseError } from '../errors.js';
import type { Kernels } from '../kernels/types.js';
import { bytesOf, type ByteSource } from './source.js';

/**
 * The one streaming layer of the readers: chunked bytes → lines, numbers and rows, with a bounded pending buffer.
 *
 * A reader is written once as a generator over a `Stream`. It consumes from `pos`; when it needs bytes that have
 * not arrived it `yield`s, and the driver appends the next chunk (or sets `eof`). `runSync` feeds bytes already in
 * memory, `runAsync` the chunks of a ByteSource. Consumed bytes are dropped on every append, so memory is the
 * unconsumed tail plus one chunk, never the file. The stream owns its buffer (chunks are copied in), so what a
 * reader looks at is never changed by the source.
 *
 * Line ends are LF or CRLF here (a lone CR is made a line end where sources come in: `normalised` in source.ts).
 */

/**
 * The most bytes a reader may leave unconsumed by default (one line, tag, leaf text or number). A LOBSTER row of
 * 100 000 bonds is ~5 MB; more than this is not text of these formats (a binary file, a gzip bomb), and buffering it
 * would grow memory and time without bound.
 */
export const MAX_PENDING = 64 << 20;

/** The most values one `numbers` scan call returns: 4 MiB, one file chunk. */
const SCRATCH_MAX = 1 << 19;

const decoder = new TextDecoder();

export class Stream {
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
   * the values of one `numbers` scan call, reused from call to call. It doubles each time the data fills it, up to
   * SCRATCH_MAX: many rows per call let a sink write long runs into each channel, and growing only with values
   * already read keeps a small file's memory small
   */
  scratch = new Float64Array(1 << 15);
  /**
   * the most bytes that may stay unconsumed, and what they were to hold: a reader whose unit outgrows a line (an
   * XDATCAR frame of a million atoms) raises it to what its input has shown
   */
  maxPending = MAX_PENDING;
  pendingWhat = 'a line, tag or number';
  private store: Uint8Array = new Uint8Array(0);

  /**
   * `name`: display name for errors; `size`: bytes of the whole input when known. A header's claim (NIONS, NEDOS,
   * NPTS) that the file is big enough to hold may then be allocated at once instead of grown block by block.
   */
  constructor(
    readonly name: string,
    readonly size?: number,
  ) {}

  append(chunk: Uint8Array): void {
    const keep = this.bytes.length - this.pos;
    if (keep > this.maxPending) {
      throw this.error(`${this.pendingWhat} shorter than ${this.maxPending} bytes`, `${keep} bytes without an end`);
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

  /** A ParseError at `line` (default: the line at `pos`). */
  error(expected: string, found?: string, line = this.line, column?: number): ParseError {
    return new ParseError({ file: this.name, line, column, expected, found });
  }
}

/** A reader: a generator over a stream that yields whenever it needs more bytes, and returns its result. */
export type Reads<T> = Generator<void, T, void>;
export type StreamReader<T> = (s: Stream) => Reads<T>;

const SYNC_CHUNK = 1 << 22;

/** Runs a reader over bytes in memory (fed in chunks, so the copy the stream holds stays small). */
export function runSync<T>(reader: StreamReader<T>, input: Uint8Array | string, name = '<input>'): T {
  const bytes = bytesOf(input);
  const s = new Stream(name, bytes.length);
  const gen = reader(s);
  let off = 0;
  for (let r = gen.next(); ; r = gen.next()) {
    if (r.done) return r.value;
    if (off < bytes.length) {
      s.append(bytes.subarray(off, Math.min(bytes.length, off + SYNC_CHUNK)));
      off += SYNC_CHUNK;
    } else if (s.eof) {
      throw new Error('reader asked for bytes after the end of input');
    } else s.eof = true;
  }
}

/**
 * Runs a reader over a streamed source, chunk by chunk. `observe` sees every chunk the reader is given: readers of
 * other parts of the same file (`feeder`) ride on this one pass (the registry's OUTCAR read).
 */
export async function runAsync<T>(reader: StreamReader<T>, source: ByteSource, observe?: (chunk: Uint8Array) => void): Promise<T> {
  const s = new Stream(source.name, source.size);
  const gen = reader(s);
  const it = source.chunks()[Symbol.asyncIterator]();
  try {
    for (let r = gen.next(); ; r = gen.next()) {
      if (r.done) return r.value;
      if (s.eof) throw new Error('reader asked for bytes after the end of input');
      const c = await it.next();
      if (c.done) s.eof = true;
      else if (c.value.length > 0) {
        s.append(c.value);
        observe?.(c.value);
      }
    }
  } finally {
    await it.return?.();
  }
}

/**
 * Runs a reader over chunks the caller pushes: several readers over one pass of a file (the registry's OUTCAR read
 * feeds the moments and ZVAL readers the chunks of its summary scan). A reader that has finished ignores the rest.
 */
export function feeder<T>(reader: StreamReader<T>, name: string, size?: number): { feed(chunk: Uint8Array): void; end(): T } {
  const s = new Stream(name, size);
  const gen = reader(s);
  let r = gen.next();
  return {
    feed(chunk) {
      if (r.done || chunk.length === 0) return;
      s.append(chunk);
      r = gen.next();
    },
    end() {
      if (!r.done) {
        s.eof = true;
        r = gen.next();
        if (!r.done) throw new Error('reader asked for bytes after the end of input');
      }
      return r.value;
    },
  };
}

/** Latin-1 text of a byte range (headers and XML names are ASCII). */
export function latin1(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 4096) s += String.fromCharCode(...b.subarray(i, Math.min(end, i + 4096)));
  return s;
}

/**
 * Number of newlines in b[start, end), searching only there: a search on to the next newline beyond `end` would
 * make a walk over many short ranges of one long line quadratic (a vasprun.xml of 40 000 tags on one line: 13 s).
 */
export function countNewlines(b: Uint8Array, start: number, end: number): number {
  const r = b.subarray(start, end);
  let n = 0;
  for (let i = r.indexOf(10); i >= 0; i = r.indexOf(10, i + 1)) n++;
  return n;
}

/** Text of the line b[start, stop) (UTF-8, without a CR before `stop`). */
export function lineText(b: Uint8Array, start: number, stop: number): string {
  return decoder.decode(b.subarray(start, stop > start && b[stop - 1] === 13 ? stop - 1 : stop));
}

/** The next line (UTF-8, without its CR/LF), consuming it; undefined at the end of input. */
export function* nextLine(s: Stream): Reads<string | undefined> {
  let from = s.pos;
  for (;;) {
    const nl = s.bytes.indexOf(10, from);
    if (nl >= 0 || (s.eof && s.available > 0)) {
      const stop = nl >= 0 ? nl : s.bytes.length;
      const text = lineText(s.bytes, s.pos, stop);
      s.pos = nl >= 0 ? nl + 1 : stop;
      s.line++;
      return text;
    }
    if (s.eof) return undefined;
    // an append moves the unconsumed bytes to the front: search on from where this search stopped
    from = s.available;
    yield;
    from += s.pos;
  }
}

/** Like nextLine, without consuming it. */
export function* peekLine(s: Stream): Reads<string | undefined> {
  const start = s.base + s.pos;
  const line = s.line;
  const text = yield* nextLine(s);
  // appends only drop bytes before pos, and pos stayed at `start` while nextLine waited
  s.pos = start - s.base;
  s.line = line;
  return text;
}

/** The next line that is not blank; a ParseError naming `expected` at end of input. */
export function* needLine(s: Stream, expected: string): Reads<string> {
  for (;;) {
    const l = yield* nextLine(s);
    if (l === undefined) throw s.error(expected, 'end of file');
    if (l.trim() !== '') return l;
  }
}

/** True when only whitespace is left (consumed). */
export function* atEnd(s: Stream): Reads<boolean> {
  for (;;) {
    while (s.pos < s.bytes.length) {
      const c = s.bytes[s.pos];
      if (c > 32) return false;
      if (c === 10) s.line++;
      s.pos++;
    }
    if (s.eof) return true;
    yield;
  }
}

/**
 * Reads exactly `n` whitespace-separated numbers through kernels.scan and hands them to `sink` in order (`start` =
 * index of values[0] within the n), for blocks whose rows may wrap or be cut anywhere (LOBSTER). `perLine` (numbers
 * per row) lets errors name the row's line without counting newlines in the hot path; the line count is brought up
 * to date once the block is read. Afterwards the rest of the last line is consumed.
 */
export function* numbers(
  s: Stream,
  kernels: Kernels,
  n: number,
  perLine: number,
  what: string,
  sink: (values: Float64Array, start: number) => void,
): Reads<void> {
  const firstLine = s.line;
  let got = 0;
  let newlines = 0;
  // bytes of the current line consumed by earlier calls: a column counts from the line's start, not the view's
  let lineBytes = 0;
  while (got < n) {
    const view = s.bytes.subarray(s.pos);
    // calls end at the end of a row where the scratch array holds one, so sinks see few cut rows
    const into = got % perLine;
    const toRowEnd = Math.floor((s.scratch.length + into) / perLine) * perLine - into;
    const cap = Math.min(n - got, toRowEnd > 0 ? toRowEnd : s.scratch.length);
    const r = kernels.scan(view, { final: s.eof, maxValues: cap, out: s.scratch });
    if (r.errorOffset >= 0) {
      const nl = view.lastIndexOf(10, r.errorOffset);
      throw s.error(
        `a number (${what})`,
        tokenAt(view, r.errorOffset),
        firstLine + Math.floor((got + r.count) / perLine),
        nl >= 0 ? r.errorOffset - nl : lineBytes + r.errorOffset + 1,
      );
    }
    if (r.count > 0) sink(r.values, got);
    got += r.count;
    newlines += r.newlines;
    s.pos += r.consumed;
    const lastNl = r.consumed > 0 ? view.lastIndexOf(10, r.consumed - 1) : -1;
    lineBytes = lastNl >= 0 ? r.consumed - lastNl - 1 : lineBytes + r.consumed;
    // a full scratch array: go on in the same bytes
    if (r.count === cap) {
      if (got < n && s.scratch.length < SCRATCH_MAX) s.scratch = new Float64Array(2 * s.scratch.length);
      continue;
    }
    if (got < n) {
      if (s.eof) throw s.error(`${n} numbers (${what})`, `end of file after ${got}`, firstLine + newlines);
      yield;
    }
  }
  s.line = firstLine + newlines;
  // the tail of the row that held the last number
  for (;;) {
    while (s.pos < s.bytes.length) {
      const c = s.bytes[s.pos];
      if (c === 10) {
        s.pos++;
        s.line++;
        return;
      }
      if (c > 32) throw s.error(`end of line after ${perLine} numbers (${what})`, decoder.decode(s.bytes.subarray(s.pos, s.pos + 20)));
      s.pos++;
    }
    if (s.eof) return;
    yield;
  }
}

/** Values per `lineRows` scan call (1 MiB of doubles). */
const ROWS_SCRATCH = 1 << 17;

/**
 * Reads `nRows` rows of `ncols` numbers, one row per line (VASP DOSCAR), through the scan kernel: all complete
 * lines the stream holds go to one scan call that stops after the block's last value (`maxValues`), so no per-row
 * work is done in JS. A row of the wrong length shifts every later value; `sink` catches that by checking the
 * energy column (it returns false when the energies are not those of the block), and the last row must end its
 * line. One row per line is what keeps the line count.
 */
export function* lineRows(
  s: Stream,
  kernels: Kernels,
  nRows: number,
  ncols: number,
  what: string,
  sink: (values: Float64Array, row0: number, n: number) => boolean,
): Reads<void> {
  if (s.scratch.length < ROWS_SCRATCH) s.scratch = new Float64Array(ROWS_SCRATCH);
  let done = 0;
  while (done < nRows) {
    const b = s.bytes;
    const start = s.pos;
    const stop = s.eof ? b.length : b.lastIndexOf(10) + 1;
    const region = b.subarray(start, Math.max(start, stop));
    const res = kernels.scan(region, { final: true, maxValues: Math.min(nRows - done, Math.floor(s.scratch.length / ncols)) * ncols, out: s.scratch });
    if (res.count === 0 && res.errorOffset < 0) {
      if (s.eof) throw s.error(`${nRows - done} more rows of the ${what}`, 'end of file', s.line + countNewlines(region, 0, region.length));
      yield;
      continue;
    }
    const k = Math.floor(res.count / ncols);
    let end = res.consumed;
    while (end < region.length && (region[end] === 32 || region[end] === 9 || region[end] === 13)) end++;
    const endsLine = end === region.length || region[end] === 10;
    if (res.errorOffset >= 0 || res.count !== k * ncols || !endsLine || !sink(res.values, done, k)) {
      const lineEnd = region.indexOf(10, res.consumed);
      throw scanFailure(s.name, s.line, region.subarray(0, lineEnd < 0 ? region.length : lineEnd), ncols, what, res.errorOffset, kernels);
    }
    done += k;
    s.pos = start + end + (end < region.length ? 1 : 0);
    s.line += k;
  }
}

/** The whitespace-delimited token at b[offset]. */
function tokenAt(b: Uint8Array, offset: number): string {
  let end = offset;
  while (end < b.length && b[end] > 32) end++;
  return latin1(b, offset, end);
}

/**
 * The ParseError for a block that did not scan to rows × ncols numbers: the bad token (`****`, a word, a number
 * that overflows a double) when the scan stopped at one, else the first line whose count is wrong (blank lines are
 * skipped). `line0` is the line of region[0].
 */
export function scanFailure(file: string, line0: number, region: Uint8Array, ncols: number, what: string, errorOffset: number, kernels: Kernels): ParseError {
  if (errorOffset >= 0) {
    const lineStart = region.lastIndexOf(10, errorOffset) + 1;
    return new ParseError({
      file,
      line: line0 + countNewlines(region, 0, errorOffset),
      column: errorOffset - lineStart + 1,
      expected: `a number (${what})`,
      found: tokenAt(region, errorOffset),
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

/**
 * Every line (UTF-8, without CR/LF) to `each` with its 1-based number, for line-oriented formats whose lines are
 * parsed one by one: all complete lines the stream holds are decoded at once, so the cost per line is the split.
 */
export function* eachLine(s: Stream, each: (line: string, lineNo: number) => void): Reads<void> {
  for (;;) {
    const stop = s.eof ? s.bytes.length : s.bytes.lastIndexOf(10) + 1;
    if (stop > s.pos) {
      const text = decoder.decode(s.bytes.subarray(s.pos, stop));
      s.pos = stop;
      for (let start = 0; start < text.length; ) {
        let nl = text.indexOf('\n', start);
        if (nl < 0) nl = text.length;
        each(text.slice(start, nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl), s.line++);
        start = nl + 1;
      }
    }
    if (s.eof) return;
    yield;
  }
}
