import { ParseError } from '../../errors.js';

/**
 * Line-by-line reading of a small text with line numbers for errors. Handles CRLF and a missing final newline.
 * Big numeric blocks do not go through here: readers hand their byte ranges to the `scan` kernel.
 */
export class LineCursor {
  readonly file: string;
  private readonly text: string;
  private pos = 0;
  /** 1-based number of the line that `next()` returns next */
  lineNo = 1;

  constructor(text: string, file: string) {
    this.text = text;
    this.file = file;
  }

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  /** Character offset of the start of the next line. */
  get offset(): number {
    return this.pos;
  }

  peek(): string | undefined {
    if (this.done) return undefined;
    const end = this.text.indexOf('\n', this.pos);
    const line = this.text.slice(this.pos, end < 0 ? this.text.length : end);
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  }

  /** The next line, or undefined at the end. */
  next(): string | undefined {
    if (this.done) return undefined;
    const end = this.text.indexOf('\n', this.pos);
    const stop = end < 0 ? this.text.length : end;
    let line = this.text.slice(this.pos, stop);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.pos = end < 0 ? this.text.length : end + 1;
    this.lineNo++;
    return line;
  }

  /** The next line; a ParseError naming `expected` at end of file. */
  need(expected: string): string {
    const line = this.next();
    if (line === undefined) throw this.error(expected, 'end of file', this.lineNo);
    return line;
  }

  /** Skips blank lines; returns false at end of file. */
  skipBlank(): boolean {
    for (;;) {
      const l = this.peek();
      if (l === undefined) return false;
      if (l.trim() !== '') return true;
      this.next();
    }
  }

  /** A ParseError at the line last returned by next() (or at `line`). */
  error(expected: string, found?: string, line = this.lineNo - 1, column?: number): ParseError {
    return new ParseError({ file: this.file, line, column, expected, found });
  }
}

/** Whitespace-separated fields of a line. */
export function fields(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/**
 * Strict decimal of one token (Fortran `D` exponents accepted); NaN when it is not a finite number.
 * `****` overflow fields, words and numbers beyond a double (`1e999`, which Number() makes ±Infinity) give NaN,
 * which callers turn into a ParseError naming the line.
 */
export function toNumber(token: string): number {
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eEdD][+-]?\d+)?$/.test(token)) return NaN;
  const v = Number(token.replace(/[dD]/, 'e'));
  return Number.isFinite(v) ? v : NaN;
}

/**
 * Numbers of a VASP table row, including fields Fortran runs together (`-1.8641-31.3417`) and `D` exponents
 * (`0.123D+01`, one number); NaN for `****` fields and numbers beyond a double (`1e999`).
 */
export function rowNumbers(line: string): number[] {
  const out: number[] = [];
  for (const m of line.matchAll(/\*+|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][-+]?\d+)?/g)) out.push(m[0].startsWith('*') ? NaN : toNumber(m[0]));
  return out;
}

/** Integer token or NaN. */
export function toInt(token: string): number {
  return /^[+-]?\d+$/.test(token) ? Number(token) : NaN;
}

/** Numbers of a line; a ParseError naming the line when a field is not a number or too few are there. */
export function numbersOf(cur: LineCursor, line: string, min: number, what: string, lineNo = cur.lineNo - 1): number[] {
  const f = fields(line);
  if (f.length < min) throw cur.error(`${min} numbers (${what})`, line, lineNo);
  const out: number[] = [];
  for (let i = 0; i < f.length; i++) {
    const v = toNumber(f[i]);
    if (Number.isNaN(v)) {
      if (i < min) throw cur.error(`a number (${what})`, f[i], lineNo, line.indexOf(f[i]) + 1);
      break;
    }
    out.push(v);
  }
  return out;
}
