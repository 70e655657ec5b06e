import { ParseError } from '../../errors.js';
import type { ByteSource } from '../source.js';
import { runAsync, runSync, type Reads, type Stream } from '../stream.js';
import { rowNumbers, toNumber } from '../text/lines.js';
import type { OutcarSummary } from '../../model/neb.js';

/**
 * OUTCAR lines that matter. Two spaces in `free  energy   TOTEN` and `energy  without entropy` pick the ionic-step
 * summary, not the per-electronic-step lines (`free energy    TOTEN`, `energy without entropy =`).
 * `Iteration  ionic(  electronic)` heads every electronic step: an ionic step whose SCF loop ran to NELM steps did
 * not converge, whatever VASP printed after it (it may still write `aborting loop because EDIFF is reached`).
 */
const KEY = /NIONS =|NSW {4}=|IBRION =|NELM {3}=|Iteration +\d+\( *\d+\)|aborting loop (?:because EDIFF is reached|EDIFF was not reached)|E-fermi :|free {2}energy {3}TOTEN|energy {2}without entropy|TOTAL-FORCE|NEB: projections on to tangent|reached required accuracy|General timing and accounting/g;

/**
 * The most bytes left unconsumed (a partial line or an unfinished force block: 16 MiB is ~230 000 atoms, far past
 * any VASP run). More is not an OUTCAR (a binary file, a gzip bomb) and would grow without bound.
 */
const MAX_PENDING = 16 << 20;

/** a BOM is dropped at the start of the file only, as a streaming decode of the whole file would */
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * OUTCAR scan over a Stream: the complete lines that have arrived are scanned at once; only the last value of each
 * quantity and the last force block are kept, so memory does not grow with the file (OUTCARs of long runs reach GB).
 */
class OutcarScanner {
  private readonly name: string;
  private first: string | undefined;
  private sawText = false;
  nions = 0;
  efermi = NaN;
  energy = NaN;
  energySigma0 = NaN;
  energyWithoutEntropy = NaN;
  forces = new Float64Array(0);
  tangentForce = NaN;
  ionicConverged = false;
  /** the SCF loop of the ionic step in progress ended by reaching EDIFF */
  private scfReached = false;
  /** electronic steps of the ionic step in progress */
  private scfSteps = 0;
  electronicConverged = false;
  nelm = 0;
  /** 1-based ionic steps whose SCF loop did not converge (EDIFF not reached, or NELM steps used) */
  readonly scfUnconverged: number[] = [];
  /** 1-based ionic steps that used all NELM electronic steps */
  readonly atNelm: number[] = [];
  nsw = 0;
  ibrion = -1;
  finished = false;
  ionicSteps = 0;

  constructor(private readonly s: Stream) {
    this.name = s.name;
    s.maxPending = MAX_PENDING;
    s.pendingWhat = 'a line or force block';
  }

  private error(line: number, expected: string, found: string): ParseError {
    return new ParseError({ file: this.name, line, expected, found });
  }

  /**
   * Scans the complete lines the stream holds (all of it at the end of input) and consumes them, up to a force block
   * that goes on past them.
   */
  scan(): void {
    const s = this.s;
    const b = s.bytes;
    const final = s.eof;
    if (s.base + s.pos === 0 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) s.pos = 3;
    // the partial last line waits for the next chunk
    const stop = final ? b.length : b.lastIndexOf(10) + 1;
    if (stop <= s.pos) return;
    const text = decoder.decode(b.subarray(s.pos, stop));
    if (!this.sawText && text.trim() !== '') this.sawText = true;
    if (this.first === undefined) {
      const nl = text.indexOf('\n');
      this.first = text.slice(0, nl < 0 ? text.length : nl);
    }
    const limit = text.length;
    let counted = 0;
    let line = s.line;
    const lineAt = (pos: number): number => {
      for (let i = text.indexOf('\n', counted); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) {
        line++;
        counted = i + 1;
      }
      if (counted < pos) counted = pos;
      return line;
    };
    let resume = limit;
    KEY.lastIndex = 0;
    for (let m = KEY.exec(text); m && m.index < limit; m = KEY.exec(text)) {
      const start = text.lastIndexOf('\n', m.index) + 1;
      const endNl = text.indexOf('\n', m.index);
      const end = endNl < 0 || endNl >= limit ? limit : endNl;
      const l = text.slice(start, end).replace(/\r$/, '');
      const key = m[0];
      if (key === 'TOTAL-FORCE') {
        const block = this.forceBlock(text, end + 1, limit, final, lineAt(start));
        if (block === undefined) {
          // the block continues in the next chunk: keep it from its header line
          resume = start;
          break;
        }
        KEY.lastIndex = block;
        continue;
      }
      const n = lineAt(start);
      if (key === 'NIONS =') this.nions = this.number(/NIONS =\s*(\S+)/, l, n, 'NIONS');
      else if (key.startsWith('NSW')) this.nsw = this.number(/NSW\s*=\s*(\S+)/, l, n, 'NSW');
      else if (key === 'IBRION =') this.ibrion = this.number(/IBRION =\s*(\S+)/, l, n, 'IBRION');
      else if (key.startsWith('NELM')) this.nelm = this.number(/NELM\s*=\s*(\d+)/, l, n, 'NELM');
      else if (key.startsWith('Iteration')) this.scfSteps = Math.max(this.scfSteps, Number(/\( *(\d+)\)/.exec(key)![1]));
      else if (key.startsWith('aborting')) this.scfReached = key.includes('is reached');
      else if (key === 'E-fermi :') this.efermi = this.number(/E-fermi :\s*([-+]?[\d.]+(?:[eEdD][-+]?\d+)?|\S+)/, l, n, 'the Fermi energy');
      else if (key.startsWith('free')) {
        this.energy = this.number(/TOTEN\s*=\s*(\S+)/, l, n, 'the free energy TOTEN');
        this.ionicSteps++;
        const atNelm = this.nelm > 0 && this.scfSteps >= this.nelm;
        if (atNelm) this.atNelm.push(this.ionicSteps);
        this.electronicConverged = this.scfReached && !atNelm;
        if (!this.electronicConverged) this.scfUnconverged.push(this.ionicSteps);
        this.scfReached = false;
        this.scfSteps = 0;
      } else if (key.startsWith('energy')) {
        this.energyWithoutEntropy = this.number(/entropy\s*=\s*([-+]?[\d.]+(?:[eEdD][-+]?\d+)?|\S+)/, l, n, 'the energy without entropy');
        this.energySigma0 = this.number(/sigma->0\)\s*=\s*(\S+)/, l, n, 'energy(sigma->0)');
      } else if (key.startsWith('NEB')) {
        const v = rowNumbers(l.slice(l.indexOf(')') + 1));
        if (v.length === 0 || Number.isNaN(v[v.length - 1])) throw this.error(n, 'the NEB tangent forces (spring, REAL)', l);
        this.tangentForce = v[v.length - 1];
      } else if (key.startsWith('reached')) this.ionicConverged = true;
      else this.finished = true;
    }
    lineAt(resume);
    s.line = line;
    // the text and the bytes hold the same newlines (no UTF-8 sequence holds byte 10): the force block's header
    // line starts as many lines before `stop` in both
    let at = stop;
    for (let i = text.indexOf('\n', resume); i >= 0; i = text.indexOf('\n', i + 1)) at = at >= 2 ? b.lastIndexOf(10, at - 2) + 1 : 0;
    s.pos = Math.max(at, s.pos);
  }

  private number(re: RegExp, line: string, lineNo: number, what: string): number {
    const m = re.exec(line);
    const v = m ? toNumber(m[1]) : NaN;
    if (Number.isNaN(v)) throw this.error(lineNo, `a number (${what})`, line);
    return v;
  }

  /**
   * The rows after `POSITION … TOTAL-FORCE` and its dashed line, up to the closing dashed line.
   * Returns the offset after the block, or undefined when it is not complete in this text (cut at EOF: the
   * run was killed while writing it; the previous block stays the last one).
   */
  private forceBlock(text: string, from: number, limit: number, final: boolean, headerLine: number): number | undefined {
    let p = text.indexOf('\n', from);
    if (p < 0 || p >= limit) return final ? limit : undefined;
    p++;
    const rows: number[] = [];
    let lineNo = headerLine + 2;
    for (;;) {
      const nl = text.indexOf('\n', p);
      if (nl < 0 || nl >= limit) return final ? limit : undefined;
      const l = text.slice(p, nl);
      p = nl + 1;
      if (/^\s*-{5,}/.test(l)) break;
      const v = rowNumbers(l);
      if (v.length < 6 || v.slice(0, 6).some(Number.isNaN)) throw this.error(lineNo, 'a row of position and force (6 numbers)', l);
      rows.push(v[3], v[4], v[5]);
      lineNo++;
    }
    if (this.nions > 0 && rows.length !== 3 * this.nions) {
      throw this.error(headerLine, `${this.nions} force rows (NIONS)`, `${rows.length / 3} rows`);
    }
    this.forces = Float64Array.from(rows);
    return p;
  }

  finish(): OutcarSummary {
    if (!this.sawText) throw new ParseError({ file: this.name, line: 0, expected: 'an OUTCAR', found: 'an empty file' });
    if (this.nions === 0) throw this.error(this.s.line, 'an OUTCAR header with NIONS', 'end of file before it');
    let maxForce = NaN;
    if (this.forces.length > 0) {
      maxForce = 0;
      for (let i = 0; i < this.forces.length; i += 3) {
        maxForce = Math.max(maxForce, Math.hypot(this.forces[i], this.forces[i + 1], this.forces[i + 2]));
      }
    }
    const relaxation = this.nsw > 0 && this.ibrion >= 1 && this.ibrion <= 3;
    const finiteDifferences = this.ibrion >= 5 && this.ibrion <= 8;
    const convergence = relaxation ? 'ionic' : finiteDifferences ? 'every-scf' : 'last-scf';
    const everyScf = this.ionicSteps > 0 && this.scfUnconverged.length === 0;
    const version = /vasp\.(\d+\.\d+(?:\.\d+)?)/.exec(this.first ?? '')?.[1];
    const out: OutcarSummary = {
      nions: this.nions,
      efermi: this.efermi,
      energy: this.energy,
      energySigma0: this.energySigma0,
      energyWithoutEntropy: this.energyWithoutEntropy,
      forces: this.forces,
      maxForce,
      tangentForce: this.tangentForce,
      // a relaxation or NEB converges when the forces do (on a converged last SCF); finite differences when every
      // displacement's SCF does; a static run or MD step when its (last) SCF loop does
      converged: convergence === 'ionic' ? this.ionicConverged && this.electronicConverged : convergence === 'every-scf' ? everyScf : this.electronicConverged,
      convergence,
      ionicConverged: this.ionicConverged,
      electronicConverged: finiteDifferences ? everyScf : this.electronicConverged,
      scfUnconverged: this.scfUnconverged,
      atNelm: this.atNelm,
      relaxation,
      finished: this.finished,
      ionicSteps: this.ionicSteps,
    };
    if (this.nelm > 0) out.nelm = this.nelm;
    if (this.ibrion >= 0) out.ibrion = this.ibrion;
    if (version) out.vaspVersion = version;
    return out;
  }
}

function* outcarReader(s: Stream): Reads<OutcarSummary> {
  const o = new OutcarScanner(s);
  for (;;) {
    o.scan();
    if (s.eof) return o.finish();
    yield;
  }
}

/** An OUTCAR already in memory. */
export function parseOutcar(input: Uint8Array | string, name: string): OutcarSummary {
  return runSync(outcarReader, input, name);
}

/**
 * An OUTCAR streamed chunk by chunk (memory independent of its length). `observe` sees every chunk too: other
 * scanners of the same file (the moments, the POTCAR valences) ride on this one pass (src/io/formats.ts).
 */
export function readOutcar(source: ByteSource, observe?: (chunk: Uint8Array) => void): Promise<OutcarSummary> {
  return runAsync(outcarReader, source, observe);
}
