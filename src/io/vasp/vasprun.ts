import { ParseError } from '../../errors.js';
import { jsKernels } from '../../kernels/js.js';
import type { Kernels } from '../../kernels/types.js';
import type { Dos } from '../../model/dos.js';
import { makeStructure, type Structure } from '../../model/structure.js';
import { elementOfLabel } from '../../model/elements.js';
import type { ByteSource } from '../source.js';
import { toNumber } from '../text/lines.js';
import { countNewlines, latin1, runAsync, runSync, type Stream } from '../stream.js';

export interface VasprunOptions {
  kernels?: Kernels;
}

export type ParameterValue = number | boolean | string;

export interface Vasprun {
  /** DOS of the last `<calculation>` that has one; absent when the run wrote none */
  dos?: Dos;
  structures: {
    /** `initialpos` */
    initial: Structure;
    /** `finalpos`, or the last complete structure of a file that ends early */
    final: Structure;
  };
  /** element per site (atominfo) */
  atoms: string[];
  /** Fermi level (absolute, eV) of the last DOS block; undefined without one */
  efermi?: number;
  ispin?: number;
  lorbit?: number;
  nedos?: number;
  lsorbit: boolean;
  noncollinear: boolean;
  /** energies of the last calculation (eV per cell): free energy TOTEN (e_fr_energy) and energy(sigma→0) (e_0_energy) */
  finalEnergy?: { energy: number; energySigma0: number };
  /** a subset of `<parameters>` (ISPIN, LORBIT, NEDOS, LSORBIT, LNONCOLLINEAR, ISMEAR, SIGMA, NELECT) as the file gives them */
  parameters: Record<string, ParameterValue>;
  generator: { program?: string; version?: string };
  /** number of `<calculation>` elements (ionic steps) */
  ionicSteps: number;
  warnings: string[];
}

/** Reads a vasprun.xml held in memory (see readVasprun). */
export function parseVasprun(input: Uint8Array | string, name: string, options: VasprunOptions = {}): Vasprun {
  return runSync((w) => new VasprunReader(w, name, options.kernels ?? jsKernels).run(), input, name);
}

/**
 * Streaming vasprun.xml reader: a byte-level tag walker (no DOM, no per-row XML events). DOS rows go to the
 * scan kernel a window at a time, tags and all (ScanOptions.xmlRowLength); eigenvalues, projections and k-point
 * lists are skipped without tokenising. Memory: the returned arrays plus one chunk.
 */
export function readVasprun(source: ByteSource, options: VasprunOptions = {}): Promise<Vasprun> {
  return runAsync((w) => new VasprunReader(w, source.name, options.kernels ?? jsKernels).run(), source);
}

const KEPT_PARAMETERS = new Set(['ISPIN', 'LORBIT', 'NEDOS', 'LSORBIT', 'LNONCOLLINEAR', 'ISMEAR', 'SIGMA', 'NELECT']);
/** Bulky sections nothing here needs: skipped by a byte search for their end tag. */
const SKIPPED = new Set(['eigenvalues', 'projected', 'kpoints', 'dielectricfunction', 'electronvelocities', 'dynmat', 'projected_kpoints_opt', 'eigenvalues_kpoints_opt']);
/** Deepest element nesting accepted: VASP writes about 8 levels; more is not a vasprun.xml (a nesting bomb). */
export const MAX_DEPTH = 256;
/** Elements whose text we may need; they hold no child elements in vasprun.xml. */
const LEAVES = new Set(['i', 'v', 'c', 'field', 'atoms', 'types']);

/** Thrown inside the reader when the input ends; run() decides whether what was read is enough. */
class EndOfInput {
  constructor(readonly where: string) {}
}

interface StructureBuilder {
  name: string;
  inCalculation: boolean;
  mode: 'basis' | 'positions' | undefined;
  basis: number[];
  positions: number[];
}

interface DosBuilder {
  efermi?: number;
  section?: 'total' | 'partial';
  setDepth: number;
  totalFields: string[];
  partialFields: string[];
  /** row-major (energy, total, integrated) per spin set */
  totalSets: Float64Array[];
  nedos: number;
  ion: number;
  spinSet: number;
  pdos?: Float64Array;
  pdosMagnetization?: Float64Array;
  complete: boolean;
}

class VasprunReader {
  private readonly stack: string[] = [];
  private readonly parameters: Record<string, ParameterValue> = {};
  private readonly incar: Record<string, ParameterValue> = {};
  private readonly generator: { program?: string; version?: string } = {};
  private readonly warnings: string[] = [];
  private readonly atoms: string[] = [];
  private atomCount = -1;
  private inParameters = 0;
  private inAtomsArray = false;
  private rcColumn = 0;
  private structure?: StructureBuilder;
  private initial?: Structure;
  private finalPos?: Structure;
  private lastCalcStructure?: Structure;
  private calculations = 0;
  private energy?: { energy?: number; energySigma0?: number };
  /** e_fr_energy, e_0_energy of the last electronic step of the current calculation */
  private scEnergy?: { energy?: number; energySigma0?: number };
  private finalEnergy?: { energy: number; energySigma0: number };
  private dos?: DosBuilder;
  private keptDos?: Dos;
  private scratch = new Float64Array(1 << 12);
  private finished = false;
  private overflowed: string[] = [];
  private energyFixed = false;

  constructor(
    private readonly w: Stream,
    private readonly file: string,
    private readonly kernels: Kernels,
  ) {}

  *run(): Generator<void, Vasprun, void> {
    try {
      yield* this.walk();
    } catch (e) {
      if (!(e instanceof EndOfInput)) throw e;
      if (this.w.base + this.w.bytes.length === 0) {
        throw new ParseError({ file: this.file, line: 0, expected: 'a vasprun.xml (<modeling> …)', found: 'an empty file' });
      }
      if (this.dos && !this.dos.complete) throw this.error(`the rest of the <dos> block (${e.where})`, 'end of file');
      if (!this.initial) throw this.error(`the rest of the file up to the initial structure (${e.where})`, 'end of file');
      this.warnings.push(
        `file ends at line ${this.w.line} inside ${e.where}, before </modeling>: the run did not finish or the file was cut; ` +
          `what is complete is returned (${this.finalPos ? 'final structure' : 'last complete structure'}${this.keptDos ? ', DOS' : ''})`,
      );
    }
    return this.result();
  }

  private error(expected: string, found?: string, line = this.w.line): ParseError {
    return new ParseError({ file: this.file, line, expected, found });
  }

  private where(): string {
    return this.stack.length ? `<${this.stack.join('><')}>` : 'the prolog';
  }

  private *walk(): Generator<void, void, void> {
    const w = this.w;
    let leaf: { name: string; attrs: string } | undefined;
    let sawRoot = false;
    while (!this.finished) {
      const b = w.bytes;
      const lt = b.indexOf(60, w.pos);
      if (lt < 0) {
        if (!leaf) {
          w.line += countNewlines(b, w.pos, b.length);
          w.pos = b.length;
        }
        if (w.eof) throw new EndOfInput(this.where());
        yield;
        continue;
      }
      const gt = b.indexOf(62, lt + 1);
      if (gt < 0) {
        if (w.eof) throw new EndOfInput(this.where());
        yield;
        continue;
      }
      const text = leaf ? latin1(b, w.pos, lt) : '';
      w.line += countNewlines(b, w.pos, lt);
      w.pos = lt;
      const c1 = b[lt + 1];
      if (c1 === 63 /* ? */) {
        w.pos = gt + 1;
        continue;
      }
      if (c1 === 33 /* ! */) {
        if (b[lt + 2] === 45) yield* this.skipComment();
        else w.pos = gt + 1; // <!DOCTYPE …>
        continue;
      }
      const closing = c1 === 47;
      let i = lt + (closing ? 2 : 1);
      const nameStart = i;
      while (i < gt && b[i] > 32 && b[i] !== 47) i++;
      const name = latin1(b, nameStart, i);
      const selfClosing = b[gt - 1] === 47;
      const attrs = closing ? '' : latin1(b, i, selfClosing ? gt - 1 : gt);
      w.line += countNewlines(b, lt, gt);
      w.pos = gt + 1;
      if (!sawRoot && !closing) {
        if (name !== 'modeling') throw this.error('a vasprun.xml (<modeling> root element)', `<${name}>`);
        sawRoot = true;
      }
      if (leaf) {
        if (!closing || name !== leaf.name) throw this.error(`</${leaf.name}>`, `<${closing ? '/' : ''}${name}>`);
        this.onLeaf(leaf.name, leaf.attrs, text);
        leaf = undefined;
        continue;
      }
      if (closing) {
        const top = this.stack.pop();
        if (top !== name) throw this.error(`</${top ?? 'nothing'}>`, `</${name}>`);
        this.onClose(name);
        continue;
      }
      if (selfClosing) continue;
      if (LEAVES.has(name)) {
        leaf = { name, attrs };
        continue;
      }
      if (name === 'dos' && /kpoints_opt/.test(attrs)) this.warnings.push('a second DOS on the KPOINTS_OPT grid is skipped; the DOS is the one of the self-consistent grid');
      if (SKIPPED.has(name) || name.endsWith('_kpoints_opt') || (name === 'dos' && /kpoints_opt/.test(attrs))) {
        yield* this.skipElement(name);
        continue;
      }
      if (this.stack.length >= MAX_DEPTH) {
        throw this.error(`elements nested at most ${MAX_DEPTH} deep (a vasprun.xml nests about 8)`, `<${name}> at depth ${this.stack.length + 1}`);
      }
      this.onOpen(name, attrs);
      this.stack.push(name);
      if (name === 'set' && this.dos?.section) {
        const d = this.dos;
        d.setDepth++;
        if (d.setDepth === (d.section === 'total' ? 2 : 3)) {
          const got = yield* this.rows(d.section === 'total' ? d.totalFields.length : d.partialFields.length);
          this.stack.pop();
          d.setDepth--;
          this.onRows(got.values, got.rows);
        }
      }
    }
  }

  private *skipComment(): Generator<void, void, void> {
    const w = this.w;
    for (;;) {
      const b = w.bytes;
      let i = w.pos + 4;
      for (; (i = b.indexOf(62, i)) >= 0; i++) if (b[i - 1] === 45 && b[i - 2] === 45) break;
      if (i >= 0) {
        w.line += countNewlines(b, w.pos, i);
        w.pos = i + 1;
        return;
      }
      if (w.eof) throw new EndOfInput('a comment');
      yield;
    }
  }

  /** Skips to just after `</name>`, counting lines, without looking at anything else. */
  private *skipElement(name: string): Generator<void, void, void> {
    const w = this.w;
    const pat = Uint8Array.from(`</${name}>`, (ch) => ch.charCodeAt(0));
    const m = pat.length;
    for (;;) {
      const b = w.bytes;
      const last = b.length - m;
      let nl = 0;
      let i = w.pos;
      let found = -1;
      for (; i <= last; i++) {
        const c = b[i];
        if (c === 10) nl++;
        else if (c === 60 && b[i + 1] === 47) {
          let k = 2;
          while (k < m && b[i + k] === pat[k]) k++;
          if (k === m) {
            found = i;
            break;
          }
        }
      }
      w.line += nl;
      if (found >= 0) {
        w.pos = found + m;
        return;
      }
      if (i > w.pos) w.pos = i;
      if (w.eof) throw new EndOfInput(`<${name}>`);
      yield;
    }
  }

  /**
   * The `<r>` rows of an innermost DOS `<set>`, up to and including `</set>`: the scan kernel reads the rows with
   * their tags (xmlRowLength), checks every row's length and stops at the first other tag, so no per-row work
   * is done here. Memory: the set's values (one reused scratch array) plus the window.
   */
  private *rows(ncols: number): Generator<void, { values: Float64Array; rows: number }, void> {
    const w = this.w;
    let nValues = 0;
    for (;;) {
      if (nValues + ncols > this.scratch.length) {
        const g = new Float64Array(Math.max(2 * this.scratch.length, nValues + ncols));
        g.set(this.scratch.subarray(0, nValues));
        this.scratch = g;
      }
      const b = w.bytes;
      const region = b.subarray(w.pos);
      const res = this.kernels.scan(region, { final: w.eof, xmlRowLength: ncols, out: this.scratch, outOffset: nValues });
      if (res.errorOffset >= 0) throw this.rowError(region, res.errorOffset, ncols);
      nValues += res.count;
      w.pos += res.consumed;
      w.line += res.newlines;
      const at = w.pos;
      if (b[at] === 60) {
        if (at + 6 <= b.length && b[at + 1] === 47 && b[at + 2] === 115 && b[at + 3] === 101 && b[at + 4] === 116 && b[at + 5] === 62) {
          w.pos = at + 6;
          return { values: this.scratch.subarray(0, nValues), rows: nValues / ncols };
        }
        // a row the scratch array has no room for, or one cut by the end of the window
        if (b[at + 1] === 114 && b[at + 2] === 62) {
          if (nValues + ncols > this.scratch.length) continue;
        } else if (at + 6 <= b.length) {
          throw this.error('a DOS row <r> … </r> or </set>', latin1(b, at, Math.min(b.length, at + 20)));
        }
      }
      if (w.eof) throw new EndOfInput('the rows of a DOS <set>');
      yield;
    }
  }

  /** The ParseError for a DOS row the scan kernel refused, at region[offset]. */
  private rowError(region: Uint8Array, offset: number, ncols: number): ParseError {
    const line = this.w.line + countNewlines(region, 0, offset);
    const lineStart = region.lastIndexOf(10, offset) + 1;
    let lineEnd = region.indexOf(10, offset);
    if (lineEnd < 0) lineEnd = region.length;
    let end = offset;
    while (end < region.length && region[end] > 32 && (end === offset || region[end] !== 60)) end++;
    const token = region.subarray(offset, end);
    // a token that is a number is one too many (or outside a row); a tag is a row too short, nested or stray
    const isNumber = region[offset] !== 60 && this.kernels.scan(token).count === 1;
    const found = region[offset] === 60 || isNumber ? latin1(region, lineStart, lineEnd).trim() : latin1(token, 0, token.length);
    const expected = region[offset] === 60 || isNumber ? `a DOS row <r> of ${ncols} numbers </r>` : `a number (DOS row of ${ncols} numbers)`;
    return new ParseError({ file: this.file, line, column: offset - lineStart + 1, expected, found });
  }

  private parent(k = 1): string | undefined {
    return this.stack[this.stack.length - k];
  }

  private onOpen(name: string, attrs: string): void {
    const parent = this.parent();
    switch (name) {
      case 'parameters':
        this.inParameters++;
        break;
      case 'calculation':
        this.calculations++;
        this.energy = undefined;
        this.scEnergy = undefined;
        break;
      case 'array':
        if (parent === 'atominfo' && attrOf(attrs, 'name') === 'atoms') this.inAtomsArray = true;
        break;
      case 'rc':
        this.rcColumn = 0;
        break;
      case 'structure':
        this.structure = { name: attrOf(attrs, 'name') ?? '', inCalculation: parent === 'calculation', mode: undefined, basis: [], positions: [] };
        break;
      case 'varray': {
        const n = attrOf(attrs, 'name');
        if (this.structure && (n === 'basis' || n === 'positions')) this.structure.mode = n;
        break;
      }
      case 'energy':
        if (parent === 'calculation') this.energy = {};
        else if (parent === 'scstep') this.scEnergy = {};
        break;
      case 'dos':
        if (parent === 'calculation') {
          // a new DOS replaces the one of an earlier ionic step (only the last is kept)
          this.keptDos = undefined;
          this.dos = { setDepth: 0, totalFields: [], partialFields: [], totalSets: [], nedos: 0, ion: -1, spinSet: -1, complete: false };
        }
        break;
      case 'total':
      case 'partial':
        if (this.dos && parent === 'dos') {
          this.dos.section = name;
          this.dos.setDepth = 0;
        }
        break;
      case 'set':
        if (this.dos?.section === 'partial') {
          if (this.dos.setDepth === 1) {
            this.dos.ion++;
            this.dos.spinSet = -1;
          } else if (this.dos.setDepth === 2) this.dos.spinSet++;
        } else if (this.dos?.section === 'total' && this.dos.setDepth === 1) this.dos.spinSet++;
        break;
    }
  }

  private onClose(name: string): void {
    switch (name) {
      case 'parameters':
        this.inParameters--;
        break;
      case 'array':
        this.inAtomsArray = false;
        break;
      case 'varray':
        if (this.structure) this.structure.mode = undefined;
        break;
      case 'structure':
        this.closeStructure();
        break;
      case 'energy':
        if (this.energy && this.parent() === 'calculation') {
          const { energy } = this.energy;
          let { energySigma0 } = this.energy;
          // some VASP 5.4 builds write a wrong calculation-level e_0_energy (VASP forum t=16942); the last
          // electronic step's (e_0 − e_fr) added to the ionic e_fr gives the right one, as pymatgen does
          const sc = this.scEnergy;
          if (energy !== undefined && energySigma0 !== undefined && sc?.energy !== undefined && sc.energySigma0 !== undefined) {
            const fixed = Math.round((energy + sc.energySigma0 - sc.energy) * 1e8) / 1e8;
            this.energyFixed = Math.abs(fixed - energySigma0) > 1e-7;
            if (this.energyFixed) energySigma0 = fixed;
          }
          if (energy !== undefined && energySigma0 !== undefined) this.finalEnergy = { energy, energySigma0 };
          this.energy = undefined;
        }
        break;
      case 'set':
        if (this.dos?.section && this.dos.setDepth > 0) this.dos.setDepth--;
        break;
      case 'total':
      case 'partial':
        if (this.dos && this.parent() === 'dos') this.dos.section = undefined;
        break;
      case 'dos':
        if (this.dos && this.parent() === 'calculation') this.closeDos();
        break;
      case 'modeling':
        this.finished = true;
        break;
    }
  }

  private onLeaf(name: string, attrs: string, text: string): void {
    const parent = this.parent();
    if (name === 'v' && this.structure?.mode && parent === 'varray') {
      const row = this.structure.mode === 'basis' ? this.structure.basis : this.structure.positions;
      const f = text.trim().split(/\s+/);
      if (f.length < 3) throw this.error(`3 numbers in a <v> row of the ${this.structure.mode}`, text);
      for (let k = 0; k < 3; k++) row.push(this.number(f[k], this.structure.mode));
      return;
    }
    if (name === 'i' || name === 'v') {
      const key = attrOf(attrs, 'name');
      if (!key) return;
      if (parent === 'generator' && name === 'i') {
        if (key === 'program' || key === 'version') this.generator[key] = text.trim();
      } else if (this.inParameters > 0 || parent === 'incar') {
        if (!KEPT_PARAMETERS.has(key)) {
          if (text.includes('**') && attrOf(attrs, 'type') === 'int' && this.inParameters > 0) this.overflowed.push(key);
          return;
        }
        const v = parameterValue(attrOf(attrs, 'type'), text);
        if (v === undefined) {
          this.overflowed.push(key);
          return;
        }
        (this.inParameters > 0 ? this.parameters : this.incar)[key] = v;
      } else if (parent === 'energy' && (this.parent(2) === 'calculation' || this.parent(2) === 'scstep')) {
        const target = this.parent(2) === 'calculation' ? this.energy : this.scEnergy;
        if (!target) return;
        if (key === 'e_fr_energy') target.energy = this.number(text, 'e_fr_energy');
        else if (key === 'e_0_energy') target.energySigma0 = this.number(text, 'e_0_energy');
      } else if (parent === 'dos' && key === 'efermi' && this.dos) {
        this.dos.efermi = this.number(text, 'the Fermi level');
      }
      return;
    }
    if (name === 'atoms' && parent === 'atominfo') {
      this.atomCount = this.number(text, 'the number of atoms');
      return;
    }
    if (name === 'c' && this.inAtomsArray && parent === 'rc') {
      if (this.rcColumn++ === 0) {
        const sym = text.trim();
        this.atoms.push(elementOfLabel(sym) ?? sym);
      }
      return;
    }
    if (name === 'field' && this.dos?.section) {
      const f = text.trim();
      if (this.dos.section === 'total') this.dos.totalFields.push(f);
      else this.dos.partialFields.push(f);
    }
  }

  private number(text: string, what: string): number {
    const v = toNumber(text.trim());
    if (Number.isNaN(v)) throw this.error(`a number (${what})`, text);
    return v;
  }

  private closeStructure(): void {
    const s = this.structure;
    this.structure = undefined;
    if (!s) return;
    const n = this.atoms.length;
    if (s.name === 'primitive_cell' || s.name.startsWith('primitive')) return;
    if (s.basis.length !== 9) throw this.error('a <varray name="basis"> of 3 rows of 3 numbers', `${s.basis.length} numbers`);
    if (s.positions.length !== 3 * n) throw this.error(`${n} positions (atominfo) in the structure`, `${s.positions.length / 3}`);
    const st = makeStructure({ comment: s.name || 'vasprun.xml', lattice: Float64Array.from(s.basis), species: [...this.atoms], frac: Float64Array.from(s.positions) });
    if (s.name === 'initialpos') this.initial = st;
    else if (s.name === 'finalpos') this.finalPos = st;
    else if (s.inCalculation) this.lastCalcStructure = st;
  }

  private onRows(values: Float64Array, rows: number): void {
    const d = this.dos as DosBuilder;
    if (d.section === 'total') {
      if (d.totalFields.length !== 3) throw this.error('total DOS fields "energy total integrated"', d.totalFields.join(' '));
      if (d.totalSets.length === 0) d.nedos = rows;
      else if (rows !== d.nedos) throw this.error(`${d.nedos} rows in every spin set of the total DOS`, `${rows}`);
      d.totalSets.push(values.slice());
      return;
    }
    const ncols = d.partialFields.length;
    const norb = ncols - 1;
    const nsets = d.totalSets.length;
    const nions = this.atoms.length;
    if (rows !== d.nedos) throw this.error(`${d.nedos} rows (as the total DOS) in the projected DOS of ion ${d.ion + 1}`, `${rows}`);
    if (d.ion >= nions) throw this.error(`${nions} ions in the partial DOS (atominfo)`, `ion ${d.ion + 1}`);
    if (d.spinSet >= nsets) throw this.error(`${nsets} spin sets per ion (as the total DOS)`, `spin ${d.spinSet + 1}`);
    const nspin = nsets === 2 ? 2 : 1;
    if (!d.pdos) {
      d.pdos = new Float64Array(nions * norb * nspin * d.nedos);
      if (nsets === 4) d.pdosMagnetization = new Float64Array(nions * norb * 3 * d.nedos);
    }
    const nedos = d.nedos;
    // spin-orbit: set 1 is the DOS, sets 2..4 are mx, my, mz (never spin down)
    const dest = nsets === 4 && d.spinSet > 0 ? (d.pdosMagnetization as Float64Array) : d.pdos;
    const offs = new Int32Array(norb);
    for (let o = 0; o < norb; o++) {
      const ch =
        nsets === 4 ? (d.spinSet === 0 ? d.ion * norb + o : (d.ion * norb + o) * 3 + d.spinSet - 1) : (d.ion * norb + o) * nspin + d.spinSet;
      offs[o] = ch * nedos;
    }
    // column by column: the set (in cache) is read with a stride, each channel written sequentially
    for (let o = 0; o < norb; o++) {
      const at = offs[o];
      for (let e = 0, k = o + 1; e < nedos; e++, k += ncols) dest[at + e] = values[k];
    }
  }

  private closeDos(): void {
    const d = this.dos as DosBuilder;
    d.complete = true;
    const nsets = d.totalSets.length;
    if (nsets === 0) {
      this.warnings.push(`<dos> of calculation ${this.calculations} has no total DOS; ignored`);
      return;
    }
    if (nsets !== 1 && nsets !== 2 && nsets !== 4) throw this.error('1, 2 or 4 spin sets in the total DOS', `${nsets}`);
    if (d.efermi === undefined) throw this.error('<i name="efermi"> in <dos>', 'none');
    const nedos = d.nedos;
    const nspin: 1 | 2 = nsets === 2 ? 2 : 1;
    const energies = new Float64Array(nedos);
    const total = new Float64Array(nspin * nedos);
    const integrated = new Float64Array(nspin * nedos);
    const magnetization = nsets === 4 ? new Float64Array(3 * nedos) : undefined;
    const s0 = d.totalSets[0];
    for (let e = 0; e < nedos; e++) energies[e] = s0[3 * e];
    for (let s = 0; s < nsets; s++) {
      const v = d.totalSets[s];
      for (let e = 0; e < nedos; e++) {
        if (s < nspin) {
          total[s * nedos + e] = v[3 * e + 1];
          integrated[s * nedos + e] = v[3 * e + 2];
        } else if (magnetization) magnetization[(s - 1) * nedos + e] = v[3 * e + 1];
      }
    }
    const nions = this.atoms.length;
    const hasPdos = d.pdos !== undefined;
    if (hasPdos && (d.ion !== nions - 1 || d.spinSet !== nsets - 1)) {
      throw this.error(`projected DOS for ${nions} ions × ${nsets} spin sets`, `ion ${d.ion + 1}, spin set ${d.spinSet + 1}`);
    }
    // VASP 5.4.1 and older name the last d orbital `dx2`, later versions `x2-y2` (as DOSCAR readers do)
    const orbitals = d.partialFields.slice(1).map((f) => (f === 'dx2' ? 'x2-y2' : f));
    const norb = hasPdos ? orbitals.length : 0;
    const orbitalOffset = new Int32Array(nions + 1);
    for (let s = 0; s <= nions; s++) orbitalOffset[s] = s * norb;
    const dos: Dos = {
      source: 'vasprun',
      efermi: d.efermi,
      energies,
      energyZero: 'absolute',
      nedos,
      nspin,
      noncollinear: nsets === 4,
      total,
      integrated,
      nSites: nions,
      orbitals: Array.from({ length: nions }, () => (hasPdos ? [...orbitals] : [])),
      orbitalOffset,
      species: [...this.atoms],
      meta: { spinSets: nsets, calculation: this.calculations },
    };
    if (magnetization) dos.magnetization = magnetization;
    if (d.pdos) dos.pdos = d.pdos;
    if (d.pdosMagnetization) dos.pdosMagnetization = d.pdosMagnetization;
    this.keptDos = dos;
    this.dos = undefined;
  }

  private result(): Vasprun {
    if (!this.initial) throw this.error('<structure name="initialpos">', 'none');
    const param = (k: string) => this.parameters[k] ?? this.incar[k];
    const num = (k: string) => (typeof param(k) === 'number' ? (param(k) as number) : undefined);
    const lsorbit = param('LSORBIT') === true;
    const noncollinear = lsorbit || param('LNONCOLLINEAR') === true || this.keptDos?.noncollinear === true;
    const dos = this.keptDos;
    let lorbit = num('LORBIT');
    if (lorbit === undefined && dos?.pdos) lorbit = dos.orbitals[0].length > 4 ? 11 : 10;
    if (this.overflowed.length > 0) {
      this.warnings.push(`integer parameters printed as '*****' by VASP (overflow), ignored: ${[...new Set(this.overflowed)].join(', ')}`);
    }
    if (this.energyFixed) {
      this.warnings.push('e_0_energy of the last calculation disagrees with its last electronic step (a VASP 5.x output bug); recomputed as e_fr_energy + (e_0 − e_fr) of that step');
    }
    const parameters: Record<string, ParameterValue> = {};
    for (const k of KEPT_PARAMETERS) if (param(k) !== undefined) parameters[k] = param(k);
    if (dos) {
      dos.meta.program = this.generator.program ?? '';
      dos.meta.version = this.generator.version ?? '';
      if (lorbit !== undefined) dos.meta.lorbit = lorbit;
      if (num('ISPIN') !== undefined) dos.meta.ispin = num('ISPIN') as number;
      dos.meta.nedos = dos.nedos;
    }
    return {
      dos,
      structures: { initial: this.initial, final: this.finalPos ?? this.lastCalcStructure ?? this.initial },
      atoms: [...this.atoms],
      efermi: dos?.efermi,
      ispin: num('ISPIN') ?? (dos ? (dos.nspin === 2 ? 2 : 1) : undefined),
      lorbit,
      nedos: dos?.nedos ?? num('NEDOS'),
      lsorbit,
      noncollinear,
      finalEnergy: this.finalEnergy,
      parameters,
      generator: { ...this.generator },
      ionicSteps: this.calculations,
      warnings: this.warnings,
    };
  }
}

const ATTR = new Map<string, RegExp>();

function attrOf(attrs: string, key: string): string | undefined {
  if (attrs.length < key.length + 3) return undefined;
  let re = ATTR.get(key);
  if (!re) ATTR.set(key, (re = new RegExp(`\\b${key}\\s*=\\s*"([^"]*)"`)));
  const m = re.exec(attrs);
  return m ? m[1] : undefined;
}

function parameterValue(type: string | undefined, text: string): ParameterValue | undefined {
  const t = text.trim();
  if (type === 'string') return t;
  if (type === 'logical') return /^\.?t/i.test(t);
  const v = toNumber(t);
  return Number.isNaN(v) ? undefined : v;
}
