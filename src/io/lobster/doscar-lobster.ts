import { jsKernels } from '../../kernels/js.js';
import type { Kernels } from '../../kernels/types.js';
import type { Dos } from '../../model/dos.js';
import { SYMBOLS } from '../../model/elements.js';
import { fields, toInt, toNumber } from '../text/lines.js';
import type { ByteSource } from '../source.js';
import { atEnd, needLine, numbers, runAsync, runSync, type Reads, type Stream } from '../stream.js';
import { ChannelRows } from '../rows.js';

/**
 * DOSCAR.lobster (and DOSCAR.LSO.lobster, DOSCAR.LCFO.lobster). The VASP DOSCAR skeleton, but: energies are already E − E_F (line 6 keeps
 * the DFT Fermi level); every per-atom header names the atom's orbitals, `EMAX EMIN NEDOS EFERMI 1.0; Z= 9; 2s 2p_y …`,
 * so the column count varies per atom (1 + orbitals·nspin, spins interleaved per orbital). Total block: 3 or 5 columns.
 * DOSCAR.LCFO.lobster (LOBSTER ≥ 5.1) has the same layout with one block per local-fragment-orbital fragment, whose
 * header names the fragment instead of Z (`…; AlN; 1a1 2a1 1e …`): basis 'lcfo', fragments instead of species.
 */
export interface DoscarLobsterOptions {
  kernels?: Kernels;
}

function* doscarLobsterReader(r: Stream, kernels: Kernels): Reads<Dos> {
  const l1 = yield* needLine(r, 'line 1: NIONS NIONS 1 NSPIN');
  const nSites = toInt(fields(l1)[0] ?? '');
  if (!(nSites >= 0)) throw r.error('the number of atoms (line 1)', l1, 1);
  for (let i = 2; i <= 5; i++) yield* needLine(r, `header line ${i}`);
  const l6 = yield* needLine(r, 'line 6: EMAX EMIN NEDOS EFERMI 1.0');
  const h = header(r, l6);
  const nedos = h.nedos;

  // the total block decides the spin count: E DOS IDOS, or E DOS↑ DOS↓ IDOS↑ IDOS↓
  const firstRow = yield* needLine(r, 'the first total-DOS row');
  const firstRowLine = r.line - 1;
  const firstVals = fields(firstRow).map(toNumber);
  if ((firstVals.length !== 3 && firstVals.length !== 5) || firstVals.some(Number.isNaN)) {
    throw r.error('3 (non-spin) or 5 (spin-polarised) numbers in the total-DOS row', firstRow, firstRowLine);
  }
  const nspin = (firstVals.length === 3 ? 1 : 2) as 1 | 2;
  const cols = 1 + 2 * nspin;
  // NEDOS is a claim until the total block is read: its arrays grow with the rows; the atom blocks after it are
  // sized by the proven NEDOS
  const grown = [new ChannelRows(1, nedos), new ChannelRows(nspin, nedos), new ChannelRows(nspin, nedos)];
  const put = (v: number, idx: number) => {
    const e = Math.floor(idx / cols);
    const c = idx - e * cols;
    const n = grown[0].stride;
    if (c === 0) grown[0].data[e] = v;
    else if (c <= nspin) grown[1].data[(c - 1) * n + e] = v;
    else grown[2].data[(c - 1 - nspin) * n + e] = v;
  };
  firstVals.forEach((v, i) => put(v, i));
  if (nedos > 1) {
    yield* numbers(r, kernels, (nedos - 1) * cols, cols, `total DOS: ${nedos} rows of ${cols} numbers`, (values, start) => {
      const rows = Math.floor((cols + start + values.length - 1) / cols) + 1;
      for (const g of grown) g.ensure(rows);
      for (let i = 0; i < values.length; i++) put(values[i], cols + start + i);
    });
  }
  const [energies, total, integrated] = grown.map((g) => g.done());

  const orbitals: string[][] = [];
  const species: string[] = [];
  const fragments: string[] = [];
  let basis: 'atoms' | 'lcfo' | undefined;
  const perSite: Float64Array[] = [];
  for (let site = 0; site < nSites; site++) {
    const line = yield* needLine(r, `the header of atom ${site + 1} of ${nSites}`);
    const lineNo = r.line - 1;
    const parts = line.split(';');
    const ah = header(r, parts[0], lineNo);
    if (ah.nedos !== nedos) throw r.error(`NEDOS ${nedos} as in line 6`, parts[0], lineNo);
    // atoms say `Z= 9`; DOSCAR.LCFO.lobster names the fragment instead (`AlN`), one block per fragment
    const z = /^\s*Z=\s*(\d+)\s*$/.exec(parts[1] ?? '');
    const fragment = z ? undefined : /^\s*([A-Za-z][\w-]*)\s*$/.exec(parts[1] ?? '')?.[1];
    const orbs = fields(parts[2] ?? '');
    const kind = z ? 'atoms' : 'lcfo';
    if ((!z && !fragment) || parts.length !== 3 || orbs.length === 0 || (z && !(Number(z[1]) >= 1 && Number(z[1]) < SYMBOLS.length)) || (basis !== undefined && kind !== basis)) {
      const expected = basis === 'lcfo' ? `a fragment header like block 1 \`EMAX EMIN NEDOS EFERMI 1.0; AlN; 1a1 2a1 1e …\`` : basis === 'atoms' ? 'an atom header `EMAX EMIN NEDOS EFERMI 1.0; Z= 9; 2s 2p_y 2p_z 2p_x`' : 'an atom header `…; Z= 9; 2s 2p_y …` or an LCFO fragment header `…; AlN; 1a1 2a1 …`';
      throw r.error(expected, line, lineNo);
    }
    basis = kind;
    if (z) species.push(SYMBOLS[Number(z[1])]);
    else fragments.push(/_\d+$/.test(fragment!) ? fragment! : `${fragment}_${site + 1}`);
    orbitals.push(orbs);
    const rowLen = 1 + orbs.length * nspin;
    const block = new Float64Array(orbs.length * nspin * nedos);
    yield* numbers(r, kernels, nedos * rowLen, rowLen, `atom ${site + 1}: ${nedos} rows of 1 + ${orbs.length} orbitals·${nspin} spins = ${rowLen} numbers`, (values, start) => {
      let e = Math.floor(start / rowLen);
      let c = start - e * rowLen;
      const checkEnergy = (v: number, row: number) => {
        if (v !== energies[row]) {
          throw r.error(`energy ${energies[row]} as in the total block (atom ${site + 1}, row ${row + 1})`, String(v), r.line + row);
        }
      };
      const one = (v: number) => {
        if (c === 0) checkEnergy(v, e);
        // columns are orbital-major with spins interleaved, the same order as the pdos layout
        else block[(c - 1) * nedos + e] = v;
        if (++c === rowLen) {
          c = 0;
          e++;
        }
      };
      let i = 0;
      // the rest of a row cut by the previous call, then whole rows column by column, then a cut row
      while (c !== 0 && i < values.length) one(values[i++]);
      const nRows = Math.floor((values.length - i) / rowLen);
      for (let k = 0; k < nRows; k++) checkEnergy(values[i + k * rowLen], e + k);
      for (let col = 1; col < rowLen; col++) {
        const o = (col - 1) * nedos + e;
        for (let k = 0, v = i + col; k < nRows; k++, v += rowLen) block[o + k] = values[v];
      }
      i += nRows * rowLen;
      e += nRows;
      while (i < values.length) one(values[i++]);
    });
    perSite.push(block);
  }
  if (!(yield* atEnd(r))) throw r.error(`end of file after ${nSites} atom blocks (line 1)`, 'more data');

  const orbitalOffset = new Int32Array(nSites + 1);
  orbitals.forEach((o, i) => (orbitalOffset[i + 1] = orbitalOffset[i] + o.length));
  let pdos: Float64Array | undefined;
  if (nSites > 0) {
    pdos = new Float64Array(orbitalOffset[nSites] * nspin * nedos);
    perSite.forEach((b, i) => pdos!.set(b, orbitalOffset[i] * nspin * nedos));
  }
  return {
    source: 'doscar-lobster',
    efermi: h.efermi,
    energies,
    energyZero: 'fermi',
    nedos,
    nspin,
    noncollinear: false,
    total,
    integrated,
    nSites,
    orbitals,
    orbitalOffset,
    pdos,
    ...(basis === 'lcfo' ? { basis, fragments } : { basis: 'atoms' as const, species }),
    meta: { program: 'LOBSTER', ISPIN: nspin, NEDOS: nedos },
  };
}

function header(r: Stream, line: string, lineNo = r.line - 1): { nedos: number; efermi: number } {
  const f = fields(line);
  const nedos = toInt(f[2] ?? '');
  const efermi = toNumber(f[3] ?? '');
  if (f.length < 4 || !(nedos >= 1) || Number.isNaN(efermi)) throw r.error('EMAX EMIN NEDOS EFERMI 1.0', line, lineNo);
  return { nedos, efermi };
}

export function parseDoscarLobster(input: Uint8Array | string, name: string, options: DoscarLobsterOptions = {}): Dos {
  return runSync((s) => doscarLobsterReader(s, options.kernels ?? jsKernels), input, name);
}

/** Streaming read; per-atom blocks are gathered and joined once the atom count is known to be complete. */
export function readDoscarLobster(source: ByteSource, options: DoscarLobsterOptions = {}): Promise<Dos> {
  return runAsync((s) => doscarLobsterReader(s, options.kernels ?? jsKernels), source);
}
