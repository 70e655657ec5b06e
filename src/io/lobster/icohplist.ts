import type { BondAtom, CohpKind, IcohpBond, IcohpLayout, IcohpList } from '../../model/cohp.js';
import { fields, LineCursor, toInt, toNumber } from '../text/lines.js';
import { readAll, textOf, type ByteSource } from '../source.js';
import { parseAtomLabel, parseCentre } from './labels.js';

/**
 * ICOHPLIST.lobster / ICOOPLIST.lobster / ICOBILIST.lobster of every LOBSTER generation (see IcohpLayout). The layout
 * is decided from the header text and the column count, never from the file name:
 * - `… avg. over # bonds …` header and 6 columns → 'lobster-2';
 * - one header line with `translation` and 8 columns → 'lobster-3-4' (spin 2, if any, as a second header + block);
 * - a header followed by a `for spin 1 [for spin 2]` line → 'lobster-5-spin-row' (7 + nspin columns).
 * Orbital-resolved sub-lines (`Na1_3s  Cl5_3p_y`) follow their bond line and repeat its number. Multi-centre ICOBI
 * lines (`k [nAtoms] value… Fe1[0 0 0]->Fe2[0 0 1]->…`) are recognised by `->` in the line.
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

export function parseIcohplist(input: Uint8Array | string, name: string): IcohpList {
  const cur = new LineCursor(textOf(input, name), name);
  if (!cur.skipBlank()) throw cur.error('an ICOHPLIST header line (COHP#, COOP# or COBI#)', 'an empty file', 1);
  const header = cur.need('the header line');
  const h = HEADER.exec(header);
  if (!h) throw cur.error('an ICOHPLIST header line starting with COHP#, COOP# or COBI#', header);
  const kind = h[1].toLowerCase() as CohpKind;

  let layout: IcohpLayout;
  let nspin: 1 | 2 = 1;
  const second = cur.peek() ?? '';
  if (/^\s*for spin/i.test(second)) {
    cur.next();
    layout = 'lobster-5-spin-row';
    const spins = second.match(/for spin\s+\d/gi) ?? [];
    if (spins.length !== 1 && spins.length !== 2) throw cur.error('`for spin 1` or `for spin 1  for spin 2`', second);
    nspin = spins.length as 1 | 2;
  } else if (/avg\.? over/i.test(header)) {
    layout = 'lobster-2';
  } else if (/translation/i.test(header)) {
    layout = 'lobster-3-4';
  } else {
    throw cur.error('an ICOHPLIST header with `avg. over # bonds`, `translation`, or a `for spin` line below it', header);
  }
  const columns = layout === 'lobster-2' ? 6 : layout === 'lobster-3-4' ? 8 : 7 + nspin;

  // rows per spin block; 5.1 files have one block holding every spin
  const blocks: Row[][] = [[]];
  let blockSpin = spinOf(header) ?? 1;
  if (blockSpin !== 1) throw cur.error('the first block to be for spin 1', header, 1);
  for (;;) {
    const line = cur.next();
    if (line === undefined) break;
    if (line.trim() === '') continue;
    const lineNo = cur.lineNo - 1;
    if (HEADER.test(line)) {
      if (layout === 'lobster-5-spin-row') throw cur.error('a data line (LOBSTER 5.1 lists every spin on one row)', line);
      const s = spinOf(line);
      if (s !== blockSpin + 1 || s > 2) throw cur.error(`a header for spin ${blockSpin + 1}`, line);
      if (HEADER.exec(line)![1].toLowerCase() !== kind) throw cur.error(`a ${kind.toUpperCase()}# header like the first`, line);
      blockSpin = s;
      blocks.push([]);
      continue;
    }
    blocks[blocks.length - 1].push(parseRow(cur, line, lineNo, layout, columns, nspin));
  }
  if (layout !== 'lobster-5-spin-row') nspin = blocks.length as 1 | 2;
  const rows = blocks[0];
  if (rows.length === 0) throw cur.error('at least one bond line', 'end of file', cur.lineNo);
  if (nspin === 2 && layout !== 'lobster-5-spin-row') mergeSpinBlock(cur, rows, blocks[1]);

  const bonds: IcohpBond[] = [];
  let orbitalResolved = false;
  for (const row of rows) {
    if (row.orbitals) {
      const last = bonds[bonds.length - 1];
      if (!last || last.index !== row.index) {
        throw cur.error(`an orbital line after the line of bond ${row.index}`, `orbital line of bond ${row.index}`, row.line);
      }
      last.parts.push({ orbitals: row.orbitals, values: row.values });
      orbitalResolved = true;
      continue;
    }
    bonds.push({
      index: row.index,
      label: row.atoms.map((a) => a.label).join('->'),
      atoms: row.atoms,
      length: row.length,
      translation: row.translation,
      values: row.values,
      summed: row.values.reduce((a, b) => a + b, 0),
      nBondsAveraged: row.nBonds,
      parts: [],
      multiCentre: row.multiCentre,
    });
  }
  return { kind, layout, nspin, orbitalResolved, bonds };
}

function spinOf(header: string): number | undefined {
  const m = /for spin\s+(\d)/i.exec(header);
  return m ? Number(m[1]) : undefined;
}

function parseRow(cur: LineCursor, line: string, lineNo: number, layout: IcohpLayout, columns: number, nspin: number): Row {
  if (line.includes('->')) return parseMultiCentre(cur, line, lineNo, layout === 'lobster-5-spin-row' ? nspin : 1);
  const f = fields(line);
  if (f.length !== columns) throw cur.error(`${columns} columns (${layout} layout)`, `${f.length} columns: ${line}`, lineNo);
  const index = toInt(f[0]);
  if (!(index >= 1)) throw cur.error('a bond number', f[0], lineNo, line.indexOf(f[0]) + 1);
  const a = atomField(cur, f[1], line, lineNo);
  const b = atomField(cur, f[2], line, lineNo);
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
function atomField(cur: LineCursor, token: string, line: string, lineNo: number): BondAtom {
  const us = token.indexOf('_');
  const atom = parseAtomLabel(us < 0 ? token : token.slice(0, us));
  if (!atom || (us >= 0 && us === token.length - 1)) {
    throw cur.error('an atom label like Mn12 or Mn12_3d_xy', token, lineNo, line.indexOf(token) + 1);
  }
  return us < 0 ? atom : { ...atom, orbital: token.slice(us + 1) };
}

/** `k [nAtoms] value… A[cell][orbital]->B[cell][orbital]->…` (LOBSTER ≥ 4.1 multi-centre ICOBI). */
function parseMultiCentre(cur: LineCursor, line: string, lineNo: number, nspin: number): Row {
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

/** Older layouts list spin 2 as a second block in the same order: take its values row by row. */
function mergeSpinBlock(cur: LineCursor, up: Row[], down: Row[]): void {
  if (down.length !== up.length) {
    throw cur.error(`${up.length} lines in the spin-2 block, as in spin 1`, `${down.length}`, down.length ? down[down.length - 1].line : cur.lineNo);
  }
  up.forEach((u, i) => {
    const d = down[i];
    const same =
      d.index === u.index &&
      d.atoms.map((a) => a.label).join() === u.atoms.map((a) => a.label).join() &&
      (d.orbitals ?? []).join() === (u.orbitals ?? []).join();
    if (!same) throw cur.error(`bond ${u.index} (${u.atoms.map((a) => a.label).join(' ')}) as in the spin-1 block`, `bond ${d.index}`, d.line);
    u.values.push(...d.values);
  });
}

function num(cur: LineCursor, token: string, line: string, lineNo: number, what: string): number {
  const v = toNumber(token);
  if (Number.isNaN(v)) throw cur.error(`a number (${what})`, token, lineNo, line.indexOf(token) + 1);
  return v;
}

function int(cur: LineCursor, token: string, line: string, lineNo: number): number {
  const v = toInt(token);
  if (Number.isNaN(v)) throw cur.error('an integer (translation)', token, lineNo, line.indexOf(token) + 1);
  return v;
}

/** Reads a whole ICOHPLIST from a source (these lists are small next to COHPCAR). */
export async function readIcohplist(source: ByteSource): Promise<IcohpList> {
  return parseIcohplist(await readAll(source), source.name);
}
