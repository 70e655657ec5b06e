import type { Kernels, ScanOptions, ScanResult } from './types.js';

/**
 * The JS twin of the WASM kernels: the same contract, the reference for parity tests, and the engine where
 * WebAssembly is not available. Inputs arrive validated (validate.ts).
 */

const notYet = (name: string) => (): never => {
  throw new Error(`kernel ${name} is not implemented in the js engine yet`);
};

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 11 || c === 12;
}

function scan(bytes: Uint8Array, options: ScanOptions = {}): ScanResult {
  const final = options.final ?? true;
  const max = options.maxValues ?? Infinity;
  const n = bytes.length;
  let out = new Float64Array(Math.max(16, n >> 3));
  let count = 0;
  let i = 0;
  let consumed = 0;
  let errorOffset = -1;
  while (i < n && count < max) {
    while (i < n && isSpace(bytes[i])) i++;
    if (i >= n) {
      consumed = n;
      break;
    }
    const start = i;
    while (i < n && !isSpace(bytes[i])) i++;
    if (i === n && !final) break;
    let tok = '';
    for (let k = start; k < i; k++) tok += String.fromCharCode(bytes[k]);
    const v = tokenValue(tok);
    if (Number.isNaN(v)) {
      errorOffset = start;
      consumed = start;
      break;
    }
    if (count === out.length) {
      const g = new Float64Array(out.length * 2);
      g.set(out);
      out = g;
    }
    out[count++] = v;
    consumed = i;
  }
  return { values: out.subarray(0, count), count, consumed, errorOffset, stats: { fast: 0, slow: count } };
}

/** Value of one token, NaN when malformed. Fortran drops the E of 3-digit exponents: `1.0-100` = 1.0e-100. */
function tokenValue(tok: string): number {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eEdD]([+-]?\d+)|([+-]\d+))?$/.exec(tok);
  if (!m) return NaN;
  const exp = m[2] ?? m[3];
  return exp === undefined ? Number(m[1]) : Number(`${m[1]}e${exp}`);
}

export const jsKernels: Kernels = {
  engine: 'js',
  scan,
  integrate: notYet('integrate'),
  moments: notYet('moments'),
  cumulative: notYet('cumulative'),
  neighbours: notYet('neighbours'),
  countByGroup: notYet('countByGroup'),
  minImage: notYet('minImage'),
  assignSites: notYet('assignSites'),
  project: notYet('project'),
  nebSpline: notYet('nebSpline'),
  segmentSums: notYet('segmentSums'),
};
