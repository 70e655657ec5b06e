import type { BondAtom, BondBasis, CohpKind, IcohpBond, IcohpLayout, IcohpList, IcohpOrbitalPart } from '../../model/cohp.js';
import { fields, toInt, toNumber } from '../text/lines.js';
import type { ByteSource } from '../source.js';
import { Grow } from '../rows.js';
import { eachLine, runAsync, runSync, type Reads, type Stream } from '../stream.js';
import { parseAtomLabel, parseCentre, parseFragmentLabel } from './labels.js';

/**
 * ICOHPLIST.lobster / ICOOPLIST.lobster / ICOBILIST.lobster of every LOBSTER generation (see IcohpLayout). The layout
 * is decided from the header text and the column count, never from the file name:
 * - `… avg. over # bonds …` header and 6 columns → 'lobster-2';
 * - one header line with `translation` and 8 columns → 'lobster-3-4' (spin 2, if any, as a second header + block);
 * - a header followed by a `for spin 1 [for spin 2]` line → 'lobster-5-spin-row' (7 + nspin columns).
 * - `COBI# No. of atoms …` → 'lobster-nc' (NcICOBILIST.lobster: multi-centre lines only, spin 2 as a second block).
 * Orbital-resolved sub-lines (`Na1_3s  Cl5_3p_y`) follow their bond line and repeat its number. Multi-centre ICOBI
 * lines (`k [nAtoms] value… Fe1[0 0 0]->Fe2[0 0 1]->…`) are recognised by `->` in the line.
 * A header naming `fragmentAlpha` (ICOHPLIST.LCFO.lobster, LOBSTER ≥ 5.1) lists LCFO fragments, not atoms:
 * `AlN_1`, orbital lines `AlN_1_1a1` (basis 'lcfo').
 */

interface Row {
  line: number;
  index: number;
  atoms: BondAtom[];
  orbitals?: string[];
  length: number;
  translation?: [number, number, number];
  values: number[];
  nBonds: number;
  multiCentre: boolean;
}

const HEADER = /^\s*(COHP|COOP|COBI)#/;

/**
 * The list as it is read, line by line. Memory is bounded by what is kept, not by the text: bond lines become bond
 * objects (atoms, label and translation shared between bonds that repeat them), and orbital lines — most of the
 * lines of an orbital-resolved list — go into typed arrays (bond, orbital tuple, value per spin), turned into `parts`
 * objects only when a consumer asks for a bond's parts.
 */
class ListBuilder {
  kind: CohpKind = 'cohp';
  layout: IcohpLayout = 'lobster-3-4';
  basis: BondBasis = 'atoms';
  columns = 0;
  /** spins on one row (LOBSTER 5.1) or spin blocks seen so far (older layouts) */
  nspin: 1 | 2 = 1;
  private state: 'header' | 'second' | 'rows' = 'header';
  private header = '';
  private spin = 1;
  readonly bonds: IcohpBond[] = [];
  /** where each bond's orbital parts start in the part arrays (one more entry than bonds: the end) */
  private readonly partStart = new Grow((n) => new Int32Array(n));
  private readonly partOrbitals = new Grow((n) => new Int32Array(n));
  /** value of part p for spin s at partValues[s][p] */
  private readonly partValues = [new Grow((n) => new Float64Array(n)), new Grow((n) => new Float64Array(n))];
  /** distinct orbital tuples, by their text */
  private readonly tuples: string[][] = [];
  private readonly tupleIds = new Map<string, number>();
  private readonly shared = new Map<string, { atoms: BondAtom[]; label: string }>();
  private readonly cells = new Map<string, [number, number, number]>();
  /** spin-1 rows in file order (bond position, or −1 − part) for the spin-2 block of the older layouts */
  private readonly order = new Grow((n) => new Int32Array(n));
  /** rows of the spin-2 block read so far */
  private down = 0;

  constructor(private readonly s: Stream) {}

  line(line: string, lineNo: number): void {
    const s = this.s;
    if (this.state === 'header') {
      if (line.trim() === '') return;
      const h = HEADER.exec(line);
      if (!h) throw s.error('an ICOHPLIST header line starting with COHP#, COOP# or COBI#', line, lineNo);
      this.kind = h[1].toLowerCase() as CohpKind;
      this.header = line;
      if (/fragmentAlpha/i.test(line)) this.basis = 'lcfo';
      if ((spinOf(line) ?? 1) !== 1) throw s.error('the first block to be for spin 1', line, lineNo);
      this.state = 'second';
      return;
    }
    if (this.state === 'second') {
      this.state = 'rows';
      if (/^\s*for spin/i.test(line)) {
        this.layout = 'lobster-5-spin-row';
        const spins = line.match(/for spin\s+\d/gi) ?? [];
        if (spins.length !== 1 && spins.length !== 2) throw s.error('`for spin 1` or `for spin 1  for spin 2`', line, lineNo);
        this.nspin = spins.length as 1 | 2;
        this.columns = 7 + this.nspin;
        return;
      }
      if (/No\. of atoms/i.test(this.header)) this.layout = 'lobster-nc';
      else if (/avg\.? over/i.test(this.header)) this.layout = 'lobster-2';
      else if (/translation/i.test(this.header)) this.layout = 'lobster-3-4';
      else throw s.error('an ICOHPLIST header with `avg. over # bonds`, `translation`, or a `for spin` line below it', this.header, lineNo - 1);
      this.columns = this.layout === 'lobster-2' ? 6 : 8;
    }
    if (line.trim() === '') return;
    if (HEADER.test(line)) {
      if (this.layout === 'lobster-5-spin-row') throw s.error('a data line (LOBSTER 5.1 lists every spin on one row)', line, lineNo);
      const sp = spinOf(line);
      if (sp !== this.spin + 1 || sp > 2) throw s.error(`a header for spin ${this.spin + 1}`, line, lineNo);
      if (HEADER.exec(line)![1].toLowerCase() !== this.kind) throw s.error(`a ${this.kind.toUpperCase()}# header like the first`, line, lineNo);
      this.spin = sp;
      this.nspin = 2;
      return;
    }
    if (this.layout === 'lobster-nc' && !line.includes('->')) throw s.error('`k nAtoms value A[cell]->B[cell]->…` (NcICOBILIST)', line, lineNo);
    const row = parseRow(s, line, lineNo, this.layout, this.columns, this.layout === 'lobster-5-spin-row' ? this.nspin : 1, this.basis);
    if (this.spin === 2) this.spinTwo(row);
    else this.add(row);
  }

  private add(row: Row): void {
    if (row.orbitals) {
      const last = this.bonds[this.bonds.length - 1];
      if (!last || last.index !== row.index) {
        throw this.s.error(`an orbital line after the line of bond ${row.index}`, `orbital line of bond ${row.index}`, row.line);
      }
      const key = row.orbitals.join(' ');
      let id = this.tupleIds.get(key);
      if (id === undefined) {
        id = this.tuples.length;
        this.tuples.push(row.orbitals);
        this.tupleIds.set(key, id);
      }
      this.order.push(-1 - this.partOrbitals.length);
      this.partOrbitals.push(id);
      row.values.forEach((v, k) => this.partValues[k].push(v));
      return;
    }
    // multi-centre atoms carry their cells: the same labels in other cells are other atoms
    const key = row.atoms.map((a) => (a.translation ? `${a.label}[${a.translation.join(' ')}]` : a.label)).join('->');
    let sh = this.shared.get(key);
    if (!sh) this.shared.set(key, (sh = { atoms: row.atoms, label: row.atoms.map((a) => a.label).join('->') }));
    let translation = row.translation;
    if (translation) {
      const t = translation.join(' ');
      translation = this.cells.get(t) ?? (this.cells.set(t, translation), translation);
    }
    this.order.push(this.bonds.length);
    this.partStart.push(this.partOrbitals.length);
    this.bonds.push(new ListBond(row, sh.atoms, sh.label, translation, this, this.bonds.length));
  }

  /** Older layouts list spin 2 as a second block in the same order: its values go to the spin-1 rows one by one. */
  private spinTwo(d: Row): void {
    const s = this.s;
    const i = this.down++;
    if (i >= this.order.length) throw s.error(`${this.order.length} lines in the spin-2 block, as in spin 1`, `line ${i + 1} of it`, d.line);
    const at = this.order.data[i];
    const bond = this.bonds[at >= 0 ? at : this.bondOfPart(-1 - at)];
    const orbitals = at >= 0 ? undefined : this.tuples[this.partOrbitals.data[-1 - at]];
    const same = d.index === bond.index && d.atoms.map((a) => a.label).join('->') === bond.label && (d.orbitals ?? []).join() === (orbitals ?? []).join();
    if (!same) throw s.error(`bond ${bond.index} (${bond.atoms.map((a) => a.label).join(' ')}) as in the spin-1 block`, `bond ${d.index}`, d.line);
    if (at >= 0) {
      bond.values.push(...d.values);
      bond.summed = bond.values.reduce((a, v) => a + v, 0);
    }
    else this.partValues[1].push(d.values[0]);
  }

  /** The bond an orbital part belongs to (parts follow their bond, so partStart is sorted). */
  private bondOfPart(p: number): number {
    const starts = this.partStart.data;
    let lo = 0;
    let hi = this.bonds.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= p) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The orbital parts of the bond at position b, as objects. */
  partsOf(b: number): IcohpOrbitalPart[] {
    const end = b + 1 < this.bonds.length ? this.partStart.data[b + 1] : this.partOrbitals.length;
    const out: IcohpOrbitalPart[] = [];
    for (let p = this.partStart.data[b]; p < end; p++) {
      const values = [this.partValues[0].data[p]];
      if (this.nspin === 2) values.push(this.partValues[1].data[p]);
      out.push({ orbitals: [...this.tuples[this.partOrbitals.data[p]]], values });
    }
    return out;
  }

  done(): IcohpList {
    const s = this.s;
    if (this.state === 'header') throw s.error('an ICOHPLIST header line (COHP#, COOP# or COBI#)', 'an empty file', 1);
    // a header and nothing else: the layout still has to be known from it
    if (this.state === 'second') this.line('', s.line);
    if (this.bonds.length === 0) throw s.error('at least one bond line', 'end of file', s.line);
    if (this.spin === 2 && this.down !== this.order.length) {
      throw s.error(`${this.order.length} lines in the spin-2 block, as in spin 1`, `${this.down}`, s.line - 1);
    }
    return { kind: this.kind, layout: this.layout, basis: this.basis, nspin: this.nspin, orbitalResolved: this.partOrbitals.length > 0, bonds: this.bonds };
  }
}

/**
 * A bond of a list. Its orbital parts stay in the builder's typed arrays until `parts` is read (then they are kept);
 * `toJSON` writes them like any other field.
 */
class ListBond implements IcohpBond {
  index: number;
  label: string;
  atoms: BondAtom[];
  length: number;
  translation?: [number, number, number];
  values: number[];
  summed: number;
  nBondsAveraged: number;
  multiCentre: boolean;
  #parts: IcohpOrbitalPart[] | undefined;
  readonly #list: ListBuilder;
  readonly #at: number;

  constructor(row: Row, atoms: BondAtom[], label: string, translation: [number, number, number] | undefined, list: ListBuilder, at: number) {
    this.index = row.index;
    this.label = label;
    this.atoms = atoms;
    this.length = row.length;
    this.translation = translation;
    this.values = row.values;
    this.summed = row.values.reduce((a, v) => a + v, 0);
    this.nBondsAveraged = row.nBonds;
    this.multiCentre = row.multiCentre;
    this.#list = list;
    this.#at = at;
  }

  get parts(): IcohpOrbitalPart[] {
    return (this.#parts ??= this.#list.partsOf(this.#at));
  }

  toJSON(): IcohpBond {
    return { ...this, parts: this.parts };
  }
}

function* icohplistReader(s: Stream): Reads<IcohpList> {
  const list = new ListBuilder(s);
  yield* eachLine(s, (line, lineNo) => list.line(line, lineNo));
  return list.done();
}

export function parseIcohplist(input: Uint8Array | string, name: string): IcohpList {
  return runSync(icohplistReader, input, name);
}

function spinOf(header: string): number | undefined {
  const m = /for spin\s+(\d)/i.exec(header);
  return m ? Number(m[1]) : undefined;
}

function parseRow(cur: Stream, line: string, lineNo: number, layout: IcohpLayout, columns: number, nspin: number, basis: BondBasis): Row {
  if (line.includes('->')) return parseMultiCentre(cur, line, lineNo, layout === 'lobster-5-spin-row' ? nspin : 1);
  const f = fields(line);
  if (f.length !== columns) throw cur.error(`${columns} columns (${layout} layout)`, `${f.length} columns: ${line}`, lineNo);
  const index = toInt(f[0]);
  if (!(index >= 1)) throw cur.error('a bond number', f[0], lineNo, line.indexOf(f[0]) + 1);
  const field = basis === 'lcfo' ? fragmentField : atomField;
  const a = field(cur, f[1], line, lineNo);
  const b = field(cur, f[2], line, lineNo);
  if ((a.orbital === undefined) !== (b.orbital === undefined)) throw cur.error('orbitals on both atoms or on neither', line, lineNo);
  const length = num(cur, f[3], line, lineNo, 'distance');
  let translation: [number, number, number] | undefined;
  let values: number[];
  let nBonds = 1;
  if (layout === 'lobster-2') {
    values = [num(cur, f[4], line, lineNo, 'ICOHP')];
    nBonds = toInt(f[5]);
    if (!(nBonds >= 1)) throw cur.error('the number of averaged bonds', f[5], lineNo, line.lastIndexOf(f[5]) + 1);
  } else {
    translation = [int(cur, f[4], line, lineNo), int(cur, f[5], line, lineNo), int(cur, f[6], line, lineNo)];
    values = f.slice(7).map((t) => num(cur, t, line, lineNo, 'ICOHP'));
  }
  const orbitals = a.orbital === undefined ? undefined : [a.orbital, b.orbital!];
  const atoms: BondAtom[] = [
    { label: a.label, element: a.element, number: a.number },
    { label: b.label, element: b.element, number: b.number },
  ];
  return { line: lineNo, index, atoms, orbitals, length, translation, values, nBonds, multiCentre: false };
}

/** `Na1` or `Na1_3p_y` (atom label, then `_` and the orbital). */
function atomField(cur: Stream, token: string, line: string, lineNo: number): BondAtom {
  const us = token.indexOf('_');
  const atom = parseAtomLabel(us < 0 ? token : token.slice(0, us));
  if (!atom || (us >= 0 && us === token.length - 1)) {
    throw cur.error('an atom label like Mn12 or Mn12_3d_xy', token, lineNo, line.indexOf(token) + 1);
  }
  return us < 0 ? atom : { ...atom, orbital: token.slice(us + 1) };
}

/** `AlN_1` or `AlN_1_1a1` (an LCFO fragment, then `_` and the fragment orbital). */
function fragmentField(cur: Stream, token: string, line: string, lineNo: number): BondAtom {
  // fragment orbitals are named by symmetry (`1a1`, `2e`, and primes in low symmetry: `1a'`)
  const m = /^([A-Za-z][A-Za-z0-9]*_\d+)(?:_(\S+))?$/.exec(token);
  const fragment = m ? parseFragmentLabel(m[1]) : undefined;
  if (!fragment) throw cur.error('an LCFO fragment label like AlN_1 or AlN_1_1a1', token, lineNo, line.indexOf(token) + 1);
  return m![2] === undefined ? fragment : { ...fragment, orbital: m![2] };
}

/** `k [nAtoms] value… A[cell][orbital]->B[cell][orbital]->…` (LOBSTER ≥ 4.1 multi-centre ICOBI). */
function parseMultiCentre(cur: Stream, line: string, lineNo: number, nspin: number): Row {
  const start = line.search(/[A-Z][a-z]?\d+\[/);
  if (start < 0) throw cur.error('multi-centre atoms like Fe1[0 0 0]->Fe2[0 0 1]', line, lineNo);
  const nums = fields(line.slice(0, start));
  const chain = line.slice(start).trim();
  if (nums.length !== 1 + nspin && nums.length !== 2 + nspin) {
    throw cur.error(`a bond number, [number of atoms,] ${nspin} value(s) before the atoms`, line, lineNo);
  }
  const index = toInt(nums[0]);
  if (!(index >= 1)) throw cur.error('a bond number', nums[0], lineNo);
  const atoms = chain.split('->').map((p) => {
    const a = parseCentre(p);
    if (!a) throw cur.error('an atom like Fe1[0 0 0] or Fe1[0 0 0][3d_xy]', p, lineNo, line.indexOf(p) + 1);
    return a;
  });
  if (nums.length === 2 + nspin && toInt(nums[1]) !== atoms.length) {
    throw cur.error(`${nums[1]} atoms in the chain`, `${atoms.length}: ${chain}`, lineNo);
  }
  const values = nums.slice(nums.length - nspin).map((t) => num(cur, t, line, lineNo, 'ICOBI'));
  const withOrbital = atoms.filter((a) => a.orbital !== undefined).length;
  if (withOrbital !== 0 && withOrbital !== atoms.length) throw cur.error('orbitals on every atom or on none', chain, lineNo);
  const orbitals = withOrbital ? atoms.map((a) => a.orbital!) : undefined;
  const bare = atoms.map(({ orbital: _o, ...rest }) => rest);
  return { line: lineNo, index, atoms: orbitals ? bare : atoms, orbitals, length: NaN, values, nBonds: 1, multiCentre: true };
}

function num(cur: Stream, token: string, line: string, lineNo: number, what: string): number {
  const v = toNumber(token);
  if (Number.isNaN(v)) throw cur.error(`a number (${what})`, token, lineNo, line.indexOf(token) + 1);
  return v;
}

function int(cur: Stream, token: string, line: string, lineNo: number): number {
  const v = toInt(token);
  if (Number.isNaN(v)) throw cur.error('an integer (translation)', token, lineNo, line.indexOf(token) + 1);
  return v;
}

/** Streaming read: memory is the list kept (see ListBuilder), not the file. */
export function readIcohplist(source: ByteSource): Promise<IcohpList> {
  return runAsync(icohplistReader, source);
}
