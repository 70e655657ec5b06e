import { jsKernels } from '../../kernels/js.js';
import type { Kernels } from '../../kernels/types.js';
import type { BondBasis, Cohp, CohpBond, CohpKind } from '../../model/cohp.js';
import { fields, toInt, toNumber } from '../text/lines.js';
import type { ByteSource } from '../source.js';
import { atEnd, needLine, numbers, runAsync, runSync, type Reads, type Stream } from '../stream.js';
import { parseBondLabel } from './labels.js';
import { addOrbitalTotals, linkOrbitalEntries } from './orbital-totals.js';
import { ChannelRows } from '../rows.js';

/**
 * COHPCAR.lobster / COOPCAR.lobster / COBICAR.lobster (same layout).
 *
 * Line 1 free text naming the quantity; line 2 `N ISPIN NPTS Emin Emax EF`; then `Average` and N−1 label lines, or —
 * multi-centre COBI files — N label lines and no Average. Each data row: E, then per spin s the (COHP, ICOHP) pairs of
 * the Average (if present) and of every label in order; 1 + 2·N·ISPIN numbers. Energies are already E − E_F while
 * EF in line 2 is the DFT Fermi level.
 */
export interface CohpcarOptions {
  kernels?: Kernels;
  /** the quantity when line 1 does not say (it normally does: `pCOHP`, `pCOOP`, `COBI`) */
  kind?: CohpKind;
}

function* cohpcarReader(r: Stream, options: CohpcarOptions): Reads<Cohp> {
  const kernels = options.kernels ?? jsKernels;
  const title = yield* needLine(r, 'the COHPCAR title line');
  const kind = kindOf(title) ?? options.kind;
  if (!kind) throw r.error('a COHPCAR/COOPCAR/COBICAR title naming pCOHP, pCOOP or COBI', title, 1);

  const head = yield* needLine(r, 'line 2: N ISPIN NPTS Emin Emax EF');
  const headLine = r.line - 1;
  const f = fields(head);
  const nCols = toInt(f[0] ?? '');
  const ispin = toInt(f[1] ?? '');
  const nPoints = toInt(f[2] ?? '');
  const efermi = toNumber(f[5] ?? '');
  if (f.length < 6 || !(nCols >= 1) || (ispin !== 1 && ispin !== 2) || !(nPoints >= 1) || Number.isNaN(efermi)) {
    throw r.error('N ISPIN(1|2) NPTS Emin Emax EF', head, headLine);
  }
  const nspin = ispin as 1 | 2;

  const first = yield* needLine(r, '`Average` or the first bond label');
  const multiCentre = first.trim() !== 'Average';
  const nBonds = multiCentre ? nCols : nCols - 1;
  const bonds: CohpBond[] = [];
  // COHPCAR.LCFO.lobster names LCFO fragments (`No.1:AlN_1->Al_2(1.91)`): the first label decides for the file
  let basis: BondBasis | undefined;
  for (let j = 0; j < nBonds; j++) {
    const line = multiCentre && j === 0 ? first : yield* needLine(r, `bond label ${j + 1} of ${nBonds}`);
    if (basis === undefined) basis = parseBondLabel(line) === undefined && parseBondLabel(line, 'lcfo') !== undefined ? 'lcfo' : 'atoms';
    const p = parseBondLabel(line, basis);
    if (!p) throw r.error(multiCentre && j === 0 ? '`Average` or a bond label such as No.1:Mn1->O5(1.95)' : 'a bond label such as No.1:Mn1->O5(1.95)', line);
    // only multi-centre COBI files lack the Average line, and their labels carry cells: Fe1[0 0 0]->…
    if (multiCentre && p.atoms.some((a) => a.translation === undefined)) {
      throw r.error(j === 0 ? '`Average` in line 3' : 'a multi-centre label with a cell on every atom, like Fe1[0 0 0]->Fe2[0 0 1]', line);
    }
    const bond: CohpBond = { index: p.index ?? j + 1, label: p.label, atoms: p.atoms, length: p.length };
    if (p.orbitals) bond.orbitals = p.orbitals;
    bonds.push(bond);
  }
  const orphans = linkOrbitalEntries(bonds);

  const perSpin = 2 * nCols;
  const rowLen = 1 + perSpin * nspin;
  // NPTS is a claim until the rows are there, unless the file is big enough to hold them (two bytes a number at least)
  const fits = r.size !== undefined && 2 * nPoints * rowLen <= r.size;
  const rowsOf = (channels: number) => new ChannelRows(channels, nPoints, fits ? channels * nPoints : undefined);
  const grown = [rowsOf(1), rowsOf(nBonds * nspin), rowsOf(nBonds * nspin)];
  if (!multiCentre) grown.push(rowsOf(nspin), rowsOf(nspin));
  const shift = multiCentre ? 0 : 1;
  const dataLine = r.line;
  yield* numbers(r, kernels, nPoints * rowLen, rowLen, `${nPoints} energy rows of 1 + 2·N·ISPIN = ${rowLen} numbers`, (values, start) => {
    let e = Math.floor(start / rowLen);
    let col = start - e * rowLen;
    const rows = Math.floor((start + values.length - 1) / rowLen) + 1;
    for (const g of grown) g.ensure(rows);
    const [energies, cohp, icohp, avgCohp, avgIcohp] = grown.map((g) => g.data);
    const n = grown[0].stride;
    const put = (v: number) => {
      if (col === 0) {
        energies[e] = v;
      } else {
        const c = col - 1;
        const s = Math.floor(c / perSpin);
        const within = c - s * perSpin;
        const pair = within >> 1;
        const isInt = within & 1;
        if (pair < shift) {
          (isInt ? avgIcohp : avgCohp)[s * n + e] = v;
        } else {
          (isInt ? icohp : cohp)[((pair - shift) * nspin + s) * n + e] = v;
        }
      }
      if (++col === rowLen) {
        col = 0;
        e++;
      }
    };
    let i = 0;
    // the rest of a row cut by the previous call, then the whole rows, then a cut row
    while (col !== 0 && i < values.length) put(values[i++]);
    // whole rows, in blocks of bonds: a block's channels stay in cache (and TLB) while every row of the call
    // writes into them; row by row over all bonds would touch a page per value
    const nRows = Math.floor((values.length - i) / rowLen);
    const e0 = e;
    const step = nspin * n;
    for (let k = 0; k < nRows; k++) {
      const row = i + k * rowLen;
      energies[e0 + k] = values[row];
      if (shift) {
        for (let s = 0; s < nspin; s++) {
          avgCohp[s * n + e0 + k] = values[row + 1 + s * perSpin];
          avgIcohp[s * n + e0 + k] = values[row + 2 + s * perSpin];
        }
      }
    }
    for (let s = 0; s < nspin; s++) {
      for (let p0 = shift; p0 < nCols; p0 += BOND_BLOCK) {
        const p1 = Math.min(nCols, p0 + BOND_BLOCK);
        for (let k = 0; k < nRows; k++) {
          const row = i + k * rowLen + 1 + s * perSpin;
          for (let pair = p0, ch = ((p0 - shift) * nspin + s) * n + e0 + k; pair < p1; pair++, ch += step) {
            cohp[ch] = values[row + 2 * pair];
            icohp[ch] = values[row + 2 * pair + 1];
          }
        }
      }
    }
    i += nRows * rowLen;
    e += nRows;
    while (i < values.length) put(values[i++]);
  });
  if (!(yield* atEnd(r))) throw r.error(`end of file after ${nPoints} energy rows (NPTS in line 2)`, 'more data');
  const [energies, cohp, icohp, avgCohp, avgIcohp] = grown.map((g) => g.done());
  const avg = multiCentre ? undefined : { cohp: avgCohp, icohp: avgIcohp };
  for (let e = 1; e < nPoints; e++) {
    if (!(energies[e] > energies[e - 1])) {
      // a row with a missing or extra column shifts every later value; the energy column catches it
      throw r.error('energies increasing from row to row (a row has the wrong number of columns)', String(energies[e]), dataLine + e);
    }
  }
  return addOrbitalTotals({ kind, efermi, nPoints, nspin, energies, multiCentre, ...(basis === 'lcfo' ? { basis } : {}), average: avg, bonds, cohp, icohp }, orphans);
}

/** Bonds per block when rows are spread into channels. */
const BOND_BLOCK = 32;

function kindOf(title: string): CohpKind | undefined {
  if (/COHP/i.test(title)) return 'cohp';
  if (/COOP/i.test(title)) return 'coop';
  if (/COBI/i.test(title)) return 'cobi';
  return undefined;
}

/** Whole COHPCAR/COOPCAR/COBICAR content already in memory. */
export function parseCohpcar(input: Uint8Array | string, name: string, options: CohpcarOptions = {}): Cohp {
  return runSync((s) => cohpcarReader(s, options), input, name);
}

/** Streaming read: memory is the returned arrays plus one chunk. */
export function readCohpcar(source: ByteSource, options: CohpcarOptions = {}): Promise<Cohp> {
  return runAsync((s) => cohpcarReader(s, options), source);
}
