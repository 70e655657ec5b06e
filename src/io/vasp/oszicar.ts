import { ParseError } from '../../errors.js';
import { textOf } from '../source.js';
import { LineCursor, toNumber } from '../text/lines.js';

/** Energies per ionic step from an OSZICAR (eV): the fallback energy source of NEB images without an OUTCAR. */
export interface OszicarSummary {
  /** ionic step numbers as written */
  steps: Int32Array;
  /** free energy F per ionic step */
  F: Float64Array;
  /** energy(sigma→0) E0 per ionic step */
  E0: Float64Array;
  /** the last step's F and E0, NaN when no ionic step was written */
  lastF: number;
  lastE0: number;
}

/**
 * OSZICAR: electronic-step lines (`DAV:`, `RMM:`) are skipped; each ionic step ends with a line
 * `N F= … E0= … d E = …` (relaxations) or `N T= … E= … F= … E0= …` (MD).
 */
export function parseOszicar(input: Uint8Array | string, name: string): OszicarSummary {
  const text = textOf(input, name);
  if (text.trim() === '') throw new ParseError({ file: name, line: 0, expected: 'an OSZICAR', found: 'an empty file' });
  const cur = new LineCursor(text, name);
  const steps: number[] = [];
  const F: number[] = [];
  const E0: number[] = [];
  for (let line = cur.next(); line !== undefined; line = cur.next()) {
    const m = /^\s*(\d+)\s+(?:F=|T=)/.exec(line);
    if (!m) continue;
    const f = /\bF=\s*(\S+)/.exec(line);
    const e0 = /\bE0=\s*(\S+)/.exec(line);
    const fv = f ? toNumber(f[1]) : NaN;
    const ev = e0 ? toNumber(e0[1]) : NaN;
    if (Number.isNaN(fv) || Number.isNaN(ev)) throw cur.error('an ionic-step line with numbers F= and E0=', line);
    steps.push(Number(m[1]));
    F.push(fv);
    E0.push(ev);
  }
  const n = steps.length;
  return {
    steps: Int32Array.from(steps),
    F: Float64Array.from(F),
    E0: Float64Array.from(E0),
    lastF: n > 0 ? F[n - 1] : NaN,
    lastE0: n > 0 ? E0[n - 1] : NaN,
  };
}
