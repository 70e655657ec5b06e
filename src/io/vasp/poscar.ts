import { MismatchError, ParseError, UsageError } from '../../errors.js';
import { bytesOf, textOf } from '../source.js';
import { LineCursor, fields, numbersOf, toInt, toNumber } from '../text/lines.js';
import { cartToFrac, det3, fracToCart, type Lattice } from '../../model/lattice.js';
import { elementOfLabel } from '../../model/elements.js';
import type { Structure } from '../../model/structure.js';
import type { Kernels } from '../../kernels/types.js';
import { jsKernels } from '../../kernels/js.js';

export interface PoscarOptions {
  /** species per group for VASP 4 files (no species line); ignored when the file names them */
  species?: string[];
  /** text of the run's POTCAR: species from its TITEL (or VRHFIN) lines, for VASP 4 files */
  potcar?: string;
  kernels?: Kernels;
}

/**
 * The 6–8 header lines shared by POSCAR, CONTCAR and every XDATCAR frame header:
 * comment, scale, lattice, optional species line(s), counts.
 */
export interface PoscarHeader {
  comment: string;
  /** lattice rows in Å with the scale factor(s) applied */
  lattice: Lattice;
  /** x, y, z factors that multiply Cartesian positions (one scale repeated, or VASP 6 three factors) */
  cartScale: [number, number, number];
  /** species labels as written (`Mn_pv`), one per group; undefined for VASP 4 files */
  labels?: string[];
  counts: number[];
  /** line number of the counts line (for messages) */
  countsLine: number;
}

const HEADER_BYTES = 1 << 16;
const encoder = new TextEncoder();

/** Reads the header at the cursor. A negative scale is the target volume, three scales act on x, y, z. */
export function readPoscarHeader(cur: LineCursor): PoscarHeader {
  const comment = cur.need('a comment line').trim();
  const scaleLine = cur.need('the scale factor (line 2)');
  const s = numbersOf(cur, scaleLine, 1, 'scale factor');
  const raw = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    const v = numbersOf(cur, cur.need(`lattice vector ${'abc'[r]}`), 3, `lattice vector ${'abc'[r]}`);
    raw.set(v.slice(0, 3), 3 * r);
  }
  const lattice = new Float64Array(9);
  let cartScale: [number, number, number];
  if (s.length >= 3) {
    if (!(s[0] > 0 && s[1] > 0 && s[2] > 0)) throw cur.error('three positive scale factors', scaleLine, cur.lineNo - 4);
    cartScale = [s[0], s[1], s[2]];
    for (let r = 0; r < 3; r++) for (let k = 0; k < 3; k++) lattice[3 * r + k] = raw[3 * r + k] * s[k];
  } else {
    let f = s[0];
    if (f === 0) throw cur.error('a non-zero scale factor', scaleLine, cur.lineNo - 4);
    if (f < 0) {
      const v = Math.abs(det3(raw));
      if (!(v > 0)) throw cur.error('a non-singular lattice', 'zero volume', cur.lineNo - 3);
      f = Math.cbrt(-f / v);
    }
    cartScale = [f, f, f];
    for (let i = 0; i < 9; i++) lattice[i] = raw[i] * f;
  }
  // 1e999 reads as Infinity: an infinite cell has no inverse either
  if (!lattice.every(Number.isFinite)) throw cur.error('a finite lattice', 'an infinite component', cur.lineNo - 3);
  if (!(Math.abs(det3(lattice)) > 1e-12)) throw cur.error('a non-singular lattice', 'zero volume', cur.lineNo - 3);

  // species line(s): any line whose first field is not an integer; VASP 5 may wrap them over several lines
  let labels: string[] | undefined;
  let line = cur.need('the species or counts line');
  if (Number.isNaN(toInt(fields(line)[0] ?? ''))) {
    labels = [];
    while (Number.isNaN(toInt(fields(line)[0] ?? ''))) {
      const f = fields(line);
      if (f.length === 0) throw cur.error('species symbols', line);
      labels.push(...f);
      line = cur.need('the counts line');
    }
  }
  const countsLine = cur.lineNo - 1;
  const counts: number[] = [];
  for (;;) {
    for (const tok of fields(line)) {
      const n = toInt(tok);
      if (Number.isNaN(n) || n < 0) throw cur.error('a count of atoms', tok, cur.lineNo - 1, line.indexOf(tok) + 1);
      counts.push(n);
    }
    if (!labels || counts.length >= labels.length) break;
    if (Number.isNaN(toInt(fields(cur.peek() ?? '')[0] ?? ''))) break;
    line = cur.need(`${labels.length} counts (one per species)`);
  }
  if (labels && counts.length !== labels.length) {
    throw cur.error(`${labels.length} counts (one per species ${labels.join(' ')})`, `${counts.length} counts`, countsLine);
  }
  if (counts.reduce((a, b) => a + b, 0) === 0) throw cur.error('at least one atom', line, countsLine);
  return { comment, lattice, cartScale, labels, counts, countsLine };
}

/** Element symbols from POTCAR text: TITEL lines (`PAW_PBE Mn_pv 02Aug2007`), else VRHFIN (`=Mn: 3p4s3d`). */
export function speciesFromPotcar(potcar: string): string[] {
  const titel = [...potcar.matchAll(/TITEL\s*=\s*\S+\s+(\S+)/g)].map((m) => m[1]);
  if (titel.length > 0) return titel;
  return [...potcar.matchAll(/VRHFIN\s*=\s*([A-Za-z]+)\s*:/g)].map((m) => m[1]);
}

/** Symbols written in a comment: `Fe P O` (one per group) or a formula `Fe4P4O16` whose counts match. */
function speciesFromComment(comment: string, counts: number[]): string[] | undefined {
  const f = fields(comment);
  if (f.length === counts.length && f.every((t) => /^[A-Z][a-z]?(_\w*)?(\/\w+)?$/.test(t) && elementOfLabel(t))) return f;
  if (f.length === 1) {
    const parts = [...f[0].matchAll(/([A-Z][a-z]?)(\d*)/g)];
    if (parts.map((p) => p[0]).join('') !== f[0] || parts.length !== counts.length) return undefined;
    const ok = parts.every((p, i) => elementOfLabel(p[1]) === p[1] && (p[2] === '' ? 1 : Number(p[2])) === counts[i]);
    return ok ? parts.map((p) => p[1]) : undefined;
  }
  return undefined;
}

/**
 * Species labels for a header without a species line (VASP 4): option, POTCAR, comment, in this order.
 * Undefined when none applies (the caller may still use per-site labels).
 */
export function vasp4Labels(header: PoscarHeader, name: string, options: PoscarOptions): string[] | undefined {
  const n = header.counts.length;
  if (options.species) {
    if (options.species.length !== n) {
      throw new UsageError(`${name}: the species option names ${options.species.length} species, the file has ${n} groups`);
    }
    return options.species;
  }
  if (options.potcar !== undefined) {
    const p = speciesFromPotcar(options.potcar);
    if (p.length !== n) throw new MismatchError([name, 'POTCAR'], `POTCAR has ${p.length} species, the file ${n} groups`);
    return p;
  }
  return speciesFromComment(header.comment, header.counts);
}

/** Clean element symbol per group; a ParseError naming the line when a label names no element. */
export function cleanSymbols(labels: string[], file: string, line: number): string[] {
  return labels.map((l) => {
    const e = elementOfLabel(l);
    if (!e) throw new ParseError({ file, line, expected: 'an element symbol (e.g. Mn, Mn_pv, Li_sv/ab12)', found: l });
    return e;
  });
}

export function expandGroups(symbols: string[], counts: number[]): string[] {
  const out: string[] = [];
  symbols.forEach((s, g) => {
    for (let i = 0; i < counts[g]; i++) out.push(s);
  });
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

/** Byte offset just after the `n`-th newline from `start`, or -1 when the bytes end first (a last line without newline counts). */
function afterLines(bytes: Uint8Array, start: number, n: number): number {
  let p = start;
  for (let i = 0; i < n; i++) {
    if (p >= bytes.length) return -1;
    const nl = bytes.indexOf(10, p);
    p = nl < 0 ? bytes.length : nl + 1;
  }
  return p;
}

/**
 * `n` rows of exactly three numbers through the scan kernel in one call, which also checks the rows (3N numbers can
 * still be a row of 2 and a row of 4) and stops after the last; undefined when the block is not that (labels, flags,
 * extra columns, bad tokens, too few lines) and the caller must go line by line for a precise message.
 */
export function scanRows(bytes: Uint8Array, start: number, n: number, kernels: Kernels): { values: Float64Array; end: number } | undefined {
  if (n === 0) return { values: new Float64Array(0), end: start };
  // each value takes two bytes at least (a digit and a separator): a count the bytes cannot hold goes line by line
  // to its ParseError, and no array is sized by the claim
  if (bytes.length - start < 6 * n - 1) return undefined;
  const r = kernels.scan(bytes.subarray(start), { maxValues: 3 * n, out: new Float64Array(3 * n), rowLength: 3 });
  if (r.errorOffset >= 0 || r.count !== 3 * n) return undefined;
  // the rest of the last row: blanks up to its newline
  let end = start + r.consumed;
  while (end < bytes.length && bytes[end] !== 10) if (!isSpace(bytes[end++])) return undefined;
  return { values: r.values, end: Math.min(bytes.length, end + 1) };
}

const FLAG: Record<string, number> = { T: 1, F: 0, t: 1, f: 0, '.TRUE.': 1, '.FALSE.': 0 };

/** Parse a POSCAR/CONTCAR (VASP 4, 5 and 6 layouts) into a Structure. */
export function parsePoscar(input: Uint8Array | string, name: string, options: PoscarOptions = {}): Structure {
  const kernels = options.kernels ?? jsKernels;
  let bytes = bytesOf(input);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  if (textOf(bytes.subarray(0, 4096)).trim() === '') throw new ParseError({ file: name, line: 0, expected: 'a POSCAR', found: 'an empty file' });

  // the header is small: read it as text from the first 64 KiB, then work on bytes from the first coordinate row
  let headEnd = Math.min(bytes.length, HEADER_BYTES);
  if (headEnd < bytes.length) headEnd = bytes.lastIndexOf(10, headEnd) + 1;
  const headText = new TextDecoder().decode(bytes.subarray(0, headEnd));
  const cur = new LineCursor(headText, name);
  const header = readPoscarHeader(cur);
  let selective = false;
  if (/^\s*[sS]/.test(cur.peek() ?? '')) {
    selective = true;
    cur.next();
  }
  const modeLine = cur.need('the coordinate mode (Direct or Cartesian)');
  const cartesian = /^\s*[cCkK]/.test(modeLine);
  const n = header.counts.reduce((a, b) => a + b, 0);
  const rowStart = encoder.encode(headText.slice(0, cur.offset)).length;
  const firstRowLine = cur.lineNo;

  let coords: Float64Array;
  let flags: Uint8Array | undefined;
  let siteLabels: string[] | undefined;
  let rest: number;
  const fast = selective ? undefined : scanRows(bytes, rowStart, n, kernels);
  if (fast) {
    coords = fast.values;
    rest = fast.end;
  } else {
    const rows = readRowsLineWise(bytes, rowStart, firstRowLine, n, selective, name);
    coords = rows.coords;
    flags = rows.flags;
    siteLabels = rows.labels;
    rest = rows.end;
  }

  const { lattice, cartScale } = header;
  let frac: Float64Array;
  let cart: Float64Array;
  if (cartesian) {
    cart = coords;
    for (let i = 0; i < cart.length; i++) cart[i] *= cartScale[i % 3];
    frac = cartToFrac(lattice, cart);
  } else {
    frac = coords;
    cart = fracToCart(lattice, frac);
  }

  const velocities = readVelocities(bytes, rest, firstRowLine + n, n, lattice, name, kernels);

  let labels = header.labels ?? vasp4Labels(header, name, options);
  let species: string[];
  if (labels) {
    species = expandGroups(cleanSymbols(labels, name, header.labels ? header.countsLine - 1 : 1), header.counts);
  } else {
    const fromSites = siteLabels?.map((l) => elementOfLabel(l));
    if (!fromSites || fromSites.some((e) => e === undefined)) {
      throw new ParseError({
        file: name,
        line: header.countsLine,
        expected: 'a species line before the counts (VASP 5), or for VASP 4: species from --species, a POTCAR beside the file, the comment or per-site labels',
        found: header.counts.join(' '),
      });
    }
    species = fromSites as string[];
    labels = [];
    let at = 0;
    for (const c of header.counts) {
      // an empty group has no site to name it, and no sites to need a name
      if (c > 0) labels.push(species[at]);
      at += c;
    }
  }
  const clean = labels.map((l) => elementOfLabel(l)!);
  const structure: Structure = { comment: header.comment, lattice, species, frac, cart };
  if (flags) structure.selective = flags;
  if (velocities) structure.velocities = velocities;
  if (labels.some((l, i) => l !== clean[i])) structure.speciesLabels = labels;
  if (siteLabels && siteLabels.some((l) => l !== '')) structure.siteLabels = siteLabels;
  return structure;
}

interface Rows {
  coords: Float64Array;
  flags?: Uint8Array;
  labels?: string[];
  end: number;
}

/** Coordinate rows one by one (selective flags, per-site labels) with a ParseError naming the row. */
function readRowsLineWise(bytes: Uint8Array, start: number, firstLine: number, n: number, selective: boolean, name: string): Rows {
  const endByte = afterLines(bytes, start, n);
  const text = new TextDecoder().decode(bytes.subarray(start, endByte < 0 ? bytes.length : endByte));
  const cur = new LineCursor(text, name);
  cur.lineNo = firstLine;
  // a count larger than the file can hold ends in a ParseError at its last line: size by the rows that are there
  const have = endByte < 0 ? lineCount(text) : n;
  const coords = new Float64Array(3 * have);
  const flags = selective ? new Uint8Array(3 * have) : undefined;
  const labels: string[] = new Array(have).fill('');
  let anyLabel = false;
  for (let i = 0; i < n; i++) {
    const line = cur.need(`${n} coordinate rows (row ${i + 1})`);
    const f = fields(line);
    if (f.length < 3) throw cur.error(`three coordinates (row ${i + 1} of ${n})`, line);
    for (let k = 0; k < 3; k++) {
      const v = toNumber(f[k]);
      if (Number.isNaN(v)) throw cur.error(`a number (row ${i + 1} of ${n})`, f[k], cur.lineNo - 1, line.indexOf(f[k]) + 1);
      coords[3 * i + k] = v;
    }
    let next = 3;
    if (flags) {
      for (let k = 0; k < 3; k++) {
        const fl = FLAG[f[3 + k] ?? ''];
        if (fl === undefined) throw cur.error(`three selective-dynamics flags T/F (row ${i + 1})`, f.slice(3).join(' ') || 'nothing');
        flags[3 * i + k] = fl;
      }
      next = 6;
    }
    if (f.length > next) {
      // a fourth number is not a label: the row is not x y z
      if (!Number.isNaN(toNumber(f[next]))) throw cur.error(`three coordinates (row ${i + 1} of ${n})`, line);
      labels[i] = f[next].replace(/^!/, '') || (f[next + 1] ?? '');
      anyLabel = anyLabel || labels[i] !== '';
    }
  }
  return { coords, flags, labels: anyLabel ? labels : undefined, end: endByte < 0 ? bytes.length : endByte };
}

function lineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.length > 0 && !text.endsWith('\n') ? n + 1 : n;
}

/**
 * The optional blocks after the positions: an MD CONTCAR may carry lattice velocities, then atomic velocities
 * (Cartesian Å/fs after a blank or `Cartesian` line, fractional after `Direct`), then predictor-corrector data,
 * which is ignored. A velocity block that starts must be complete.
 */
function readVelocities(bytes: Uint8Array, start: number, line: number, n: number, lattice: Lattice, name: string, kernels: Kernels): Float64Array | undefined {
  if (start >= bytes.length) return undefined;
  const headEnd = afterLines(bytes, start, 12);
  const head = new TextDecoder().decode(bytes.subarray(start, headEnd < 0 ? bytes.length : headEnd));
  const cur = new LineCursor(head, name);
  cur.lineNo = line;
  let first = cur.peek();
  if (first !== undefined && /^\s*Lattice velocities/i.test(first)) {
    // title, count line, 3 lattice velocities, 3 lattice vectors
    for (let i = 0; i < 8; i++) cur.need('the lattice-velocity block');
    first = cur.peek();
  }
  if (first === undefined) return undefined;
  let direct = false;
  if (!isNumberRow(first)) {
    const t = first.trim();
    if (t !== '' && !/^[cCkKdD]/.test(t)) return undefined;
    direct = /^[dD]/.test(t);
    cur.next();
    const row = cur.peek();
    if (row === undefined || !isNumberRow(row)) return undefined;
  }
  const rowStart = start + encoder.encode(head.slice(0, cur.offset)).length;
  const rowLine = cur.lineNo;
  if (/nan/i.test(cur.peek() ?? '')) {
    // VASP writes NaN velocities when it had none: check the block is whole, keep nothing
    readNanRows(bytes, rowStart, rowLine, n, name);
    return undefined;
  }
  let v = scanRows(bytes, rowStart, n, kernels)?.values;
  if (!v) v = readRowsLineWise(bytes, rowStart, rowLine, n, false, name).coords;
  return direct ? fracToCart(lattice, v) : v;
}

/** A row of three numbers (or NaN, as VASP prints missing velocities). */
function isNumberRow(line: string): boolean {
  const f = fields(line);
  return f.length >= 3 && f.slice(0, 3).every((t) => !Number.isNaN(toNumber(t)) || /^nan$/i.test(t));
}

function readNanRows(bytes: Uint8Array, start: number, firstLine: number, n: number, name: string): void {
  const end = afterLines(bytes, start, n);
  const cur = new LineCursor(new TextDecoder().decode(bytes.subarray(start, end < 0 ? bytes.length : end)), name);
  cur.lineNo = firstLine;
  for (let i = 0; i < n; i++) {
    const line = cur.need(`${n} velocity rows (row ${i + 1})`);
    if (!isNumberRow(line)) throw cur.error(`three velocities (row ${i + 1} of ${n})`, line);
  }
}
