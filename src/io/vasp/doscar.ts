import { MismatchError, ParseError } from '../../errors.js';
import { jsKernels } from '../../kernels/js.js';
import type { Kernels } from '../../kernels/types.js';
import type { Dos } from '../../model/dos.js';
import type { Structure } from '../../model/structure.js';
import type { ByteSource } from '../source.js';
import { fields, toInt, toNumber } from '../text/lines.js';
import { ChannelRows } from '../rows.js';
import { lineRows, nextLine, peekLine, runAsync, runSync, type Reads, type Stream } from '../stream.js';

/** How the projected columns of a DOSCAR are laid out (decomposition and spin kind). */
export type DoscarLayout = 'l-nonspin' | 'l-spin' | 'l-noncollinear' | 'lm-nonspin' | 'lm-spin' | 'lm-noncollinear';

export interface DoscarOptions {
  kernels?: Kernels;
  /** element per site, from a structure of the same run (the DOSCAR does not name its atoms) */
  species?: string[];
  /** a structure of the same run; its species are used when `species` is not given */
  structure?: Structure;
  /** display name of the structure/species source, for mismatch messages */
  speciesFrom?: string;
  /** resolves an ambiguous column count: a full layout name, or just the decomposition */
  layout?: DoscarLayout | 'l' | 'lm';
  /** LNONCOLLINEAR/LSORBIT of the run, when known (from INCAR or vasprun.xml) */
  noncollinear?: boolean;
  /** ISPIN of the run, when known */
  ispin?: 1 | 2;
}

/** VASP's orbital order: (l, m = −l … +l); f names as vasprun.xml writes them. */
const LM = ['s', 'py', 'pz', 'px', 'dxy', 'dyz', 'dz2', 'dxz', 'x2-y2'];
const LM_F = ['fy3x2', 'fxyz', 'fyz2', 'fz3', 'fxz2', 'fzx2', 'fx3'];
const L = ['s', 'p', 'd'];

interface Candidate {
  layout: DoscarLayout;
  orbitals: string[];
  /** 1 non-spin, 2 spin (up, down per orbital), 4 non-collinear (total, mx, my, mz per orbital) */
  per: 1 | 2 | 4;
}

const CANDIDATES: Candidate[] = [];
for (const decomp of ['l', 'lm'] as const) {
  for (const f of [false, true]) {
    const orbitals = decomp === 'l' ? (f ? [...L, 'f'] : L) : f ? [...LM, ...LM_F] : LM;
    for (const [kind, per] of [['nonspin', 1], ['spin', 2], ['noncollinear', 4]] as const) {
      CANDIDATES.push({ layout: `${decomp}-${kind}`, orbitals, per });
    }
  }
}

/**
 * Reads a VASP DOSCAR held in memory. Energies are absolute (E_F from the header is kept in `efermi`).
 * The projected layout follows from the column count; 17 columns (lm non-spin with f, or l non-collinear
 * with f) needs `layout`, `noncollinear` or an NCDIJ of 4 to decide, otherwise a ParseError says so.
 */
export function parseDoscar(input: Uint8Array | string, name: string, options: DoscarOptions = {}): Dos {
  return runSync((w) => doscarReader(w, name, options), input, name);
}

/** Streaming DOSCAR reader: memory is the returned arrays plus one chunk. */
export function readDoscar(source: ByteSource, options: DoscarOptions = {}): Promise<Dos> {
  return runAsync((w) => doscarReader(w, source.name, options), source);
}

function* doscarReader(w: Stream, file: string, options: DoscarOptions): Reads<Dos> {
  const kernels = options.kernels ?? jsKernels;
  const err = (line: number, expected: string, found?: string, column?: number) =>
    new ParseError({ file, line, expected, found, column });

  const l1 = yield* nextLine(w);
  if (l1 === undefined) throw err(0, 'a VASP DOSCAR', 'an empty file');
  const h = fields(l1).map(toInt);
  // NIONS beyond a million is a corrupt header, not a VASP run; it would otherwise size per-site arrays
  if (h.length < 3 || h.slice(0, 3).some((x) => !(x >= 0)) || h[0] < 1 || h[0] > 1e6) {
    throw err(1, 'DOSCAR line 1 "NIONS NIONS 0|1 NCDIJ"', l1);
  }
  const nions = h[0];
  const partialFlag = h[2];
  const ncdij = Number.isNaN(h[3]) || h[3] === undefined ? 0 : h[3];
  for (let i = 2; i <= 5; i++) {
    if ((yield* nextLine(w)) === undefined) throw err(i, `DOSCAR header line ${i}`, 'end of file');
  }
  const head = yield* nextLine(w);
  const headLine = w.line - 1;
  if (head === undefined) throw err(6, 'DOSCAR line 6 "EMAX EMIN NEDOS EFERMI 1.0"', 'end of file');
  const hv = fields(head).map(toNumber);
  if (hv.length < 4 || hv.slice(0, 4).some(Number.isNaN) || !Number.isInteger(hv[2]) || hv[2] < 1) {
    throw err(headLine, 'DOSCAR line 6 "EMAX EMIN NEDOS EFERMI 1.0"', head);
  }
  const nedos = hv[2];
  const efermi = hv[3];
  const species = options.species ?? options.structure?.species;
  if (species && species.length !== nions) {
    throw new MismatchError([file, options.speciesFrom ?? 'species'], `DOSCAR has ${nions} ions, the structure ${species.length} sites`);
  }

  // total block: 3 columns (ISPIN 1 or non-collinear) or 5 (ISPIN 2)
  const first = yield* peekLine(w);
  if (first === undefined) throw err(w.line, `${nedos} rows of the total DOS`, 'end of file');
  const totalCols = fields(first).length;
  if (totalCols !== 3 && totalCols !== 5) {
    throw err(w.line, 'a total-DOS row of 3 (ISPIN=1) or 5 (ISPIN=2) numbers', first);
  }
  const nspin: 1 | 2 = totalCols === 5 ? 2 : 1;
  if (options.ispin !== undefined && options.ispin !== nspin) {
    throw err(w.line, `a total-DOS row of ${options.ispin === 2 ? 5 : 3} numbers (ISPIN=${options.ispin} as given)`, first);
  }
  if (options.noncollinear && nspin === 2) {
    throw err(w.line, 'a total-DOS row of 3 numbers (non-collinear run as given)', first);
  }
  // NEDOS is a claim until the total block is read: its arrays grow with the rows (the blocks after it are proven)
  const grown = [new ChannelRows(1, nedos), new ChannelRows(nspin, nedos), new ChannelRows(nspin, nedos)];
  yield* lineRows(w, kernels, nedos, totalCols, 'total DOS', (v, e0, n) => {
    for (const g of grown) g.ensure(e0 + n);
    const [energies, total, integrated] = grown.map((g) => g.data);
    const m = grown[0].stride;
    for (let r = 0; r < n; r++) {
      const o = r * totalCols;
      const e = e0 + r;
      // F8.3 energies may repeat on a fine grid, never decrease
      if (e > 0 && !(v[o] >= energies[e - 1])) return false;
      energies[e] = v[o];
      total[e] = v[o + 1];
      if (nspin === 2) {
        total[m + e] = v[o + 2];
        integrated[e] = v[o + 3];
        integrated[m + e] = v[o + 4];
      } else integrated[e] = v[o + 2];
    }
    return true;
  });
  const [energies, total, integrated] = grown.map((g) => g.done());

  const meta: Dos['meta'] = { nions, ncdij, partialFlag, ispin: nspin, columnsTotal: totalCols };
  const dos: Dos = {
    source: 'doscar',
    efermi,
    energies,
    energyZero: 'absolute',
    nedos,
    nspin,
    noncollinear: options.noncollinear ?? ncdij === 4,
    total,
    integrated,
    nSites: nions,
    // filled once the file has shown whether projected blocks follow
    orbitals: [],
    orbitalOffset: new Int32Array(0),
    meta,
  };
  if (species) dos.species = [...species];

  // projected blocks follow when the file goes on; a file that ends here has none
  let next = yield* peekLine(w);
  while (next !== undefined && next.trim() === '') {
    yield* nextLine(w);
    next = yield* peekLine(w);
  }
  if (next === undefined) {
    dos.orbitals = Array.from({ length: nions }, () => []);
    dos.orbitalOffset = new Int32Array(nions + 1);
    if (partialFlag === 1) {
      meta.warning = `line 1 announces projected DOS but the file ends after the total DOS (line ${w.line - 1}); read without PDOS`;
    }
    return dos;
  }

  let layout: Candidate | undefined;
  // NIONS is a claim until the blocks are there: the projected arrays grow ion by ion
  let pd: ChannelRows | undefined;
  let mg: ChannelRows | undefined;
  for (let ion = 0; ion < nions; ion++) {
    const hl = yield* nextLine(w);
    const hlNo = w.line - 1;
    if (hl === undefined) throw err(hlNo + 1, `the header of the projected block of ion ${ion + 1} of ${nions}`, 'end of file');
    const hf = fields(hl).map(toNumber);
    if (hf.length < 4 || hf[2] !== nedos) {
      throw err(hlNo, `the header "EMAX EMIN ${nedos} EFERMI 1.0" of the projected block of ion ${ion + 1} of ${nions}`, hl);
    }
    if (ion === 0) {
      const row = yield* peekLine(w);
      if (row === undefined) throw err(w.line, `${nedos} rows of the projected DOS of ion 1`, 'end of file');
      const cols = fields(row).length;
      const cand = (layout = resolveLayout(cols, nspin, ncdij, options, (expected) => err(w.line, expected, `${cols} columns`)));
      dos.noncollinear = cand.per === 4;
      meta.layout = cand.layout;
      meta.lorbit = cand.layout.startsWith('lm') ? 11 : 10;
      meta.columns = cols;
      const norb = cand.orbitals.length;
      // a claim the file is big enough to hold (every number takes two bytes at least) is allocated at once
      const fits = w.size !== undefined && 2 * nions * nedos * cols <= w.size;
      const pdAll = nions * norb * nspin * nedos;
      const mgAll = nions * norb * 3 * nedos;
      pd = new ChannelRows(1, pdAll, fits ? pdAll : norb * nspin * nedos);
      if (cand.per === 4) mg = new ChannelRows(1, mgAll, fits ? mgAll : norb * 3 * nedos);
    }
    const { per, orbitals } = layout as Candidate;
    const cols = 1 + per * orbitals.length;
    const norb = orbitals.length;
    pd!.ensure((ion + 1) * norb * nspin * nedos);
    mg?.ensure((ion + 1) * norb * 3 * nedos);
    const pdos = pd!.data;
    const mag = mg?.data;
    const siteBase = ion * norb;
    // where column c (1..cols-1) goes: spin: channel (orbital, spin k); non-collinear: k = 0 is the DOS
    // (pdos), 1..3 are mx, my, mz (pdosMagnetization)
    const toMag = new Uint8Array(cols);
    const offs = new Int32Array(cols);
    for (let o = 0; o < norb; o++) {
      for (let k = 0; k < per; k++) {
        const c = 1 + o * per + k;
        toMag[c] = per === 4 && k > 0 ? 1 : 0;
        offs[c] = (per === 4 ? (k === 0 ? siteBase + o : (siteBase + o) * 3 + k - 1) : (siteBase + o) * per + k) * nedos;
      }
    }
    yield* lineRows(w, kernels, nedos, cols, `projected DOS of ion ${ion + 1}`, (v, e0, n) => {
      for (let r = 0; r < n; r++) if (v[r * cols] !== energies[e0 + r]) return false;
      // column by column: each channel is written sequentially while the rows stay in cache
      for (let c = 1; c < cols; c++) {
        const dest = mag && toMag[c] ? mag : pdos;
        const o = offs[c] + e0;
        for (let r = 0, k = c; r < n; r++, k += cols) dest[o + r] = v[k];
      }
      return true;
    });
  }
  for (;;) {
    const rest = yield* nextLine(w);
    if (rest === undefined) break;
    if (rest.trim() !== '') throw err(w.line - 1, `the end of the file after ${nions} projected blocks`, rest);
  }
  // per-site orbital lists only now that every block is there
  const { orbitals } = layout as Candidate;
  dos.orbitals = Array.from({ length: nions }, () => [...orbitals]);
  dos.orbitalOffset = Int32Array.from({ length: nions + 1 }, (_, s) => s * orbitals.length);
  if (pd) dos.pdos = pd.done();
  if (mg) dos.pdosMagnetization = mg.done();
  return dos;
}

function resolveLayout(
  cols: number,
  nspin: 1 | 2,
  ncdij: number,
  options: DoscarOptions,
  fail: (expected: string) => ParseError,
): Candidate {
  let c = CANDIDATES.filter((x) => 1 + x.orbitals.length * x.per === cols);
  const known = c.map((x) => x.layout).join(' or ');
  c = c.filter((x) => (nspin === 2 ? x.per === 2 : x.per !== 2));
  if (options.noncollinear !== undefined) c = c.filter((x) => (x.per === 4) === options.noncollinear);
  if (options.layout) {
    const want = options.layout;
    c = c.filter((x) => x.layout === want || x.layout.startsWith(`${want}-`));
  }
  if (c.length === 0) {
    throw fail(
      known
        ? `a projected layout consistent with the ${nspin === 2 ? '5-column (ISPIN=2)' : '3-column'} total DOS and the options (${cols} columns fit ${known})`
        : 'a known projected layout: 4/5, 7/9, 13/17 (s p d [f]) or 10/17, 19/33, 37/65 (lm) columns incl. energy',
    );
  }
  if (c.length > 1 && (ncdij === 4 || ncdij === 1 || ncdij === 2)) {
    const hinted = c.filter((x) => (x.per === 4) === (ncdij === 4));
    if (hinted.length > 0) c = hinted;
  }
  if (c.length > 1) {
    throw fail(
      `an unambiguous layout: ${cols} columns fit ${c.map((x) => x.layout).join(' and ')}; ` +
        `pass --layout ${c.map((x) => x.layout).join(' or --layout ')}, or put the vasprun.xml or INCAR of the run beside the DOSCAR`,
    );
  }
  return c[0];
}
