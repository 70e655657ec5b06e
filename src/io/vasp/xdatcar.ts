import { ParseError } from '../../errors.js';
import type { ByteSource } from '../source.js';
import { countNewlines, lineText, MAX_PENDING, runAsync, runSync, type Reads, type Stream } from '../stream.js';
import { Grow } from '../rows.js';
import type { Trajectory } from '../../model/trajectory.js';
import { cartToFrac, type Lattice } from '../../model/lattice.js';
import type { Kernels } from '../../kernels/types.js';
import { jsKernels } from '../../kernels/js.js';
import { elementOfLabel } from '../../model/elements.js';
import { LineCursor, fields, toNumber } from '../text/lines.js';
import { cleanSymbols, expandGroups, readPoscarHeader, vasp4Labels, type PoscarHeader } from './poscar.js';
import { gluedNumbers, rowOfOtherWidth } from './coordinate-rows.js';

export interface XdatcarOptions {
  /** species per group for VASP 4 files without a species line */
  species?: string[];
  kernels?: Kernels;
}

/** A trajectory plus what the reader had to say (a dropped partial last frame, split glued numbers). */
export type XdatcarTrajectory = Trajectory & { warnings: string[] };

const decoder = new TextDecoder();
const encoder = new TextEncoder();

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

/**
 * XDATCAR reader over a Stream: whole frames are consumed as they arrive; each frame's rows go to the scan kernel in
 * one call.
 * Layouts: VASP 5 constant cell (`Direct configuration= N` before each frame), variable cell (the 7-line header
 * repeated before every frame, ISIF ≥ 3), old style (frames separated by blank lines), VASP 4 (no species line).
 * Frames the kernel cannot take in one call (a species label after every row, as pymatgen and ASE write them;
 * numbers glued by Fortran overflow) are read row by row.
 */
class XdatcarParser {
  private first?: PoscarHeader;
  /** element per species group; expanded per site only in finish(), once a frame has proven the counts */
  private symbols: string[] = [];
  private nSites = 0;
  private lattice: Lattice = new Float64Array(9);
  private cartScale: [number, number, number] = [1, 1, 1];
  private configStyle: boolean | undefined;
  private variableCell = false;
  private headerBytes = 0;
  private frameBytes = 0;
  private frac!: Grow<Float64Array>;
  private lattices!: Grow<Float64Array>;
  private steps!: Grow<Int32Array>;
  private truncated = false;
  private readonly warnings: string[] = [];
  /** rows whose glued numbers were split, and the first of them (for the warning) */
  private gluedRows = 0;
  private firstGlued?: { line: number; text: string };

  private readonly name: string;

  constructor(
    private readonly s: Stream,
    private readonly options: XdatcarOptions,
    private readonly kernels: Kernels,
  ) {
    this.name = s.name;
    s.pendingWhat = 'a frame';
  }

  get nFrames(): number {
    return this.steps ? this.steps.length : 0;
  }

  private error(line: number, expected: string, found?: string): ParseError {
    return new ParseError({ file: this.name, line, expected, found });
  }

  /** Text of the line that starts at buf[p]. */
  private lineAt(p: number): string {
    const buf = this.s.bytes;
    const nl = buf.indexOf(10, p);
    return lineText(buf, p, nl < 0 ? buf.length : nl);
  }

  /** Parses a header at p; returns the byte after it, or -1 when more bytes are needed. */
  private header(p: number, final: boolean): number {
    const buf = this.s.bytes;
    const want = this.headerBytes > 0 ? 2 * this.headerBytes + 4096 : 1 << 16;
    if (!final && buf.length - p < want) return -1;
    const end = Math.min(buf.length, p + want);
    let stop = end;
    if (end < buf.length) stop = buf.lastIndexOf(10, end) + 1;
    if (stop <= p) throw this.error(this.s.line, `header lines shorter than ${want} bytes`, `${buf.length - p} bytes without a newline`);
    const text = decoder.decode(buf.subarray(p, stop));
    const cur = new LineCursor(text, this.name);
    cur.lineNo = this.s.line;
    let h: PoscarHeader;
    try {
      h = readPoscarHeader(cur);
    } catch (e) {
      if (e instanceof ParseError && e.found === '"end of file"') {
        // a header cut by the end of the file after at least one frame: a truncated run
        if (final && this.first && stop === buf.length) {
          this.markTruncated('inside a repeated cell header');
          return buf.length;
        }
        // cut by the window, not by the file: a line too long to be a header line
        if (stop < buf.length || !final) throw this.error(cur.lineNo, `header lines shorter than ${want} bytes`, `a longer line`);
      }
      throw e;
    }
    const bytes = encoder.encode(text.slice(0, cur.offset)).length;
    if (!this.first) {
      this.first = h;
      const labels = h.labels ?? vasp4Labels(h, this.name, this.options);
      if (!labels) {
        throw this.error(h.countsLine, 'a species line before the counts, or species given as an option (VASP 4 XDATCAR)', h.counts.join(' '));
      }
      this.symbols = cleanSymbols(labels, this.name, h.countsLine - 1);
      this.nSites = h.counts.reduce((a, b) => a + b, 0);
      const perFrame = this.nSites * 32;
      const frames = this.s.size ? Math.ceil(this.s.size / perFrame) + 1 : 64;
      // the counts are a claim until a frame proves them: no more room than the bytes can fill (≥ 2 bytes a number)
      const room = this.s.size ? Math.ceil(this.s.size / 2) : 1 << 20;
      this.frac = new Grow((n) => new Float64Array(n), Math.min(frames * 3 * this.nSites, room));
      this.lattices = new Grow((n) => new Float64Array(n), 9 * frames);
      this.steps = new Grow((n) => new Int32Array(n), frames);
    } else {
      // a frame with other species would be drawn with frame 1's: not one trajectory
      const frame = this.nFrames + 1;
      const was = this.first.labels?.join(' ');
      if (h.labels?.join(' ') !== was) {
        throw this.error(h.countsLine - 1, `the species of frame 1 (${was ?? 'no species line'}) in the header of frame ${frame}`, h.labels?.join(' ') ?? 'no species line');
      }
      if (h.counts.join(' ') !== this.first.counts.join(' ')) {
        throw this.error(h.countsLine, `the same atom counts in every header (${this.first.counts.join(' ')}; header of frame ${frame})`, h.counts.join(' '));
      }
      this.variableCell = true;
    }
    this.headerBytes = bytes;
    this.lattice = h.lattice;
    this.cartScale = h.cartScale;
    this.s.line = cur.lineNo;
    return p + bytes;
  }

  private toFrac(cart: Float64Array): Float64Array {
    const scaled = new Float64Array(cart.length);
    for (let i = 0; i < cart.length; i++) scaled[i] = cart[i] * this.cartScale[i % 3];
    return cartToFrac(this.lattice, scaled);
  }

  private markTruncated(where: string): void {
    this.truncated = true;
    this.warnings.push(`${this.name}: the file ends ${where} after ${this.nFrames} complete frames; the partial frame is not included`);
  }

  /** Consumes the whole frames the stream holds (all of it at the end of input). */
  consume(): void {
    this.s.pos = this.frames(this.s.eof);
    // what waits for the next chunk is at most one frame: more is not an XDATCAR (binary, a gzip bomb)
    this.s.maxPending = Math.max(MAX_PENDING, 2 * this.frameBytes + 4096);
  }

  /** Reads frames from the stream's pos; returns the byte after the last whole one. */
  private frames(final: boolean): number {
    const buf = this.s.bytes;
    let p = this.s.pos;
    for (;;) {
      if (!this.first) {
        if (buf[p] === 0xef && buf[p + 1] === 0xbb && buf[p + 2] === 0xbf) p += 3;
        if (final && buf.subarray(p).every(isSpace)) throw this.error(0, 'an XDATCAR', 'an empty file');
        const q = this.header(p, final);
        if (q < 0) return p;
        p = q;
        continue;
      }
      // skip blank lines
      let q = p;
      let line = this.s.line;
      while (q < buf.length && isSpace(buf[q])) {
        if (buf[q] === 10) {
          line++;
          p = q + 1;
          this.s.line = line;
        }
        q++;
      }
      if (q >= buf.length) return final ? buf.length : p;
      const c = buf[q];
      const numeric = (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46;
      let step = this.nFrames + 1;
      let cartesian = false;
      let rowsStart: number;
      let rowsLine: number;
      if (numeric && this.configStyle !== true) {
        this.configStyle = false;
        rowsStart = p;
        rowsLine = this.s.line;
      } else {
        const nl = buf.indexOf(10, q);
        if (nl < 0 && !final) return p;
        const text = this.lineAt(p);
        if (/^\s*(direct|cartesian)?\s*configuration/i.test(text) || (/^\s*(direct|cartesian)\s*$/i.test(text) && this.configStyle !== false)) {
          this.configStyle = true;
          const m = /=\s*(\d+)/.exec(text);
          if (m) step = Number(m[1]);
          cartesian = /^\s*c/i.test(text);
          rowsStart = nl < 0 ? buf.length : nl + 1;
          rowsLine = this.s.line + 1;
        } else if (this.nFrames > 0 && this.configStyle) {
          // a repeated header: variable cell
          const h = this.header(p, final);
          if (h < 0) return p;
          p = h;
          continue;
        } else {
          throw this.error(this.s.line, 'a frame (`Direct configuration=` and coordinate rows)', text);
        }
      }
      const n3 = 3 * this.nSites;
      // the rows of one frame, in one scan call over a window a little larger than the previous frame
      let end = this.frameBytes > 0 ? Math.min(buf.length, rowsStart + 2 * this.frameBytes + 4096) : buf.length;
      // straight into the trajectory's array; the frame counts only once it is complete. Room for at most what the
      // bytes here can hold (n numbers take ≥ 2n − 1 bytes): the atom count is a claim until a frame proves it
      this.frac.reserve(Math.min(n3, Math.ceil((buf.length - rowsStart + 1) / 2)));
      const into = { maxValues: n3, out: this.frac.data, outOffset: this.frac.length };
      let r = this.kernels.scan(buf.subarray(rowsStart, end), { ...into, final: final && end === buf.length });
      if (r.count < n3 && r.errorOffset < 0 && end < buf.length) {
        end = buf.length;
        r = this.kernels.scan(buf.subarray(rowsStart, end), { ...into, final });
      }
      if (r.count < n3 && r.errorOffset < 0) {
        // the frame goes on past these bytes
        if (!final) return p;
        if (this.nFrames === 0) {
          throw this.error(rowsLine + countNewlines(buf, rowsStart, buf.length), `${this.nSites} coordinate rows in the first frame`, 'end of file');
        }
        this.markTruncated(`inside frame ${this.nFrames + 1} (${Math.floor(r.count / 3)} of ${this.nSites} rows)`);
        return buf.length;
      }
      const rowsEnd = rowsStart + r.consumed;
      let e = rowsEnd;
      while (e < buf.length && buf[e] !== 10 && isSpace(buf[e])) e++;
      // a bad token, a label, or rows of 2 and 4 numbers (still 3N in all): the frame goes row by row
      if (r.count < n3 || (e < buf.length && buf[e] !== 10) || rowOfOtherWidth(buf, rowsStart, rowsEnd) >= 0) {
        const done = this.rowsLineWise(rowsStart, rowsLine, final, cartesian, step);
        if (done === -1) return p;
        p = done;
        continue;
      }
      this.addFrame(r.values, cartesian, step, rowsEnd - rowsStart);
      p = e < buf.length ? e + 1 : buf.length;
      this.s.line = rowsLine + this.nSites;
    }
  }

  /** The frame's numbers (already in frac.data at frac.length) become frame nFrames + 1. */
  private addFrame(values: Float64Array, cartesian: boolean, step: number, bytes: number): void {
    // Cartesian frames are not written by VASP but by converters: to fractional with this frame's cell
    if (cartesian) values.set(this.toFrac(values));
    this.frac.length += values.length;
    this.lattices.pushAll(this.lattice);
    this.steps.push(step);
    this.frameBytes = bytes;
  }

  /**
   * One frame row by row from `start` (file line `line`): exactly three coordinates per row, glued numbers split,
   * an optional species label checked against the species line. Returns the byte after the frame, or -1 when
   * more bytes are needed.
   */
  private rowsLineWise(start: number, line: number, final: boolean, cartesian: boolean, step: number): number {
    const buf = this.s.bytes;
    const frame = this.nFrames + 1;
    const base = this.frac.length;
    // counted once the frame is complete: a frame waiting for more bytes is read again from its start
    let glued = 0;
    let firstGlued: { line: number; text: string } | undefined;
    let at = start;
    for (let i = 0; i < this.nSites; i++) {
      const nl = buf.indexOf(10, at);
      if (nl < 0 && !final) return -1;
      const lineNo = line + i;
      const text = this.lineAt(at);
      const last = nl < 0;
      if (last && (at >= buf.length || text.trim() === '')) {
        if (this.nFrames === 0) throw this.error(lineNo, `${this.nSites} coordinate rows in the first frame`, 'end of file');
        this.markTruncated(`inside frame ${frame} (${i} of ${this.nSites} rows)`);
        return buf.length;
      }
      const row = this.coordinateRow(text, lineNo, i, frame);
      if (typeof row !== 'string' && row.glued) {
        glued++;
        firstGlued ??= { line: lineNo, text: text.trim() };
      }
      if (typeof row === 'string') {
        // a row cut by the end of the file is a truncated run, not a bad row
        if (last && this.nFrames > 0) {
          this.markTruncated(`inside frame ${frame} (${i} of ${this.nSites} rows)`);
          return buf.length;
        }
        const expected = /configuration|^\s*[A-Za-z]/i.test(text) ? `${this.nSites} coordinate rows in frame ${frame} (found ${i})` : row;
        throw this.error(lineNo, expected, text);
      }
      // room grows with the rows read: the atom count is a claim until the frame proves it
      this.frac.reserve(3 * (i + 1));
      this.frac.data.set(row.numbers, base + 3 * i);
      at = last ? buf.length : nl + 1;
    }
    this.gluedRows += glued;
    this.firstGlued ??= firstGlued;
    this.addFrame(this.frac.data.subarray(base, base + 3 * this.nSites), cartesian, step, at - start);
    this.s.line = line + this.nSites;
    return at;
  }

  /** The three numbers of row i (and whether they were glued), or what was expected instead. */
  private coordinateRow(text: string, lineNo: number, i: number, frame: number): { numbers: number[]; glued: boolean } | string {
    const f = fields(text);
    const numbers: number[] = [];
    let k = 0;
    let glued = false;
    for (; k < f.length && numbers.length < 3; k++) {
      const v = toNumber(f[k]);
      if (!Number.isNaN(v)) {
        numbers.push(v);
        continue;
      }
      const parts = gluedNumbers(f[k]);
      if (!parts) break;
      numbers.push(...parts);
      glued = true;
    }
    const where = `frame ${frame}, row ${i + 1} of ${this.nSites}`;
    if (numbers.length < 3 && k < f.length) return `a number (${where})`;
    const shape = `three coordinates per row (${where})`;
    if (numbers.length !== 3) return shape;
    const rest = f.slice(k);
    if (rest.length > 1 || (rest.length === 1 && !Number.isNaN(toNumber(rest[0])))) return shape;
    if (rest.length === 1) {
      const site = this.siteSymbol(i);
      if (elementOfLabel(rest[0]) !== site) {
        throw this.error(lineNo, `the species of site ${i + 1} (${site}, from the species line) or no label (frame ${frame})`, rest[0]);
      }
    }
    return { numbers, glued };
  }

  private siteSymbol(i: number): string {
    const counts = this.first!.counts;
    let g = 0;
    for (let left = i; left >= counts[g]; g++) left -= counts[g];
    return this.symbols[g];
  }

  finish(): XdatcarTrajectory {
    if (!this.first) throw this.error(0, 'an XDATCAR', 'an empty file');
    if (this.nFrames === 0) throw this.error(this.s.line, 'at least one frame after the header', 'end of file');
    if (this.firstGlued) {
      this.warnings.push(
        `${this.name}: ${this.gluedRows} coordinate row${this.gluedRows === 1 ? '' : 's'} had numbers glued together by Fortran's fixed-width output ` +
          `(first at line ${this.firstGlued.line}: "${this.firstGlued.text}"); they were split at the field boundaries VASP wrote`,
      );
    }
    const lattices = this.lattices.done();
    return {
      comment: this.first.comment,
      species: expandGroups(this.symbols, this.first.counts),
      nSites: this.nSites,
      nFrames: this.nFrames,
      frac: this.frac.done(),
      lattices: this.variableCell ? lattices : lattices.slice(0, 9),
      variableCell: this.variableCell,
      steps: this.steps.done(),
      truncated: this.truncated,
      warnings: this.warnings,
    };
  }
}

function xdatcarReader(options: XdatcarOptions): (s: Stream) => Reads<XdatcarTrajectory> {
  return function* (s) {
    const p = new XdatcarParser(s, options, options.kernels ?? jsKernels);
    for (;;) {
      p.consume();
      if (s.eof) return p.finish();
      yield;
    }
  };
}

/** An XDATCAR already in memory. */
export function parseXdatcar(input: Uint8Array | string, name: string, options: XdatcarOptions = {}): XdatcarTrajectory {
  return runSync(xdatcarReader(options), input, name);
}

/** An XDATCAR streamed chunk by chunk: memory is the returned arrays plus one frame and one chunk. */
export function readXdatcar(source: ByteSource, options: XdatcarOptions = {}): Promise<XdatcarTrajectory> {
  return runAsync(xdatcarReader(options), source);
}
