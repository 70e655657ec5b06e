import type { LobsterBasis, LobsterOut } from '../../model/lobster.js';
import { atomicNumber, SYMBOLS } from '../../model/elements.js';
import { fields, LineCursor } from '../text/lines.js';
import { readAll, textOf, type ByteSource } from '../source.js';

/**
 * lobsterout, the log of a LOBSTER run (3.x–5.x wording). Spillings are listed once, or once per spin channel after
 * `spillings for spin channel N`; LOBSTER 5 drops the total spilling. A run cut before `finished in` is still read
 * (wall time NaN); a file without the `LOBSTER vX.Y.Z` first line is not a lobsterout, except that a development build's
 * `LOBSTER v (g++ …)` is read with version 'unknown' and a warning.
 */
export function parseLobsterout(input: Uint8Array | string, name: string): LobsterOut {
  const cur = new LineCursor(textOf(input, name), name);
  cur.skipBlank();
  const first = cur.need('the `LOBSTER vX.Y.Z` line');
  // a development build prints no number: `LOBSTER v (g++ 5.4.0)`
  const v = /^\s*LOBSTER\s+(?:v?(\d+(?:\.\d+)*)|v(?=\s|\(|$))/.exec(first);
  if (!v) throw cur.error('a first line `LOBSTER vX.Y.Z`', first);
  const out: LobsterOut = {
    version: v[1] ?? 'unknown',
    basis: [],
    chargeSpilling: [],
    totalSpilling: [],
    bandOverlapsWarning: false,
    warnings: [],
    wallTimeSeconds: NaN,
  };
  let warning: string[] = [];
  const flush = () => {
    if (warning.length) out.warnings.push(warning.join(' '));
    warning = [];
  };
  let inBasis = false;
  for (;;) {
    const raw = cur.next();
    if (raw === undefined) break;
    // runs of spaces and tabs as one space: the phrases below are matched as LOBSTER spells them
    const line = raw.replace(/\s+/g, ' ');
    const w = /^\s*WARNING:\s*(.*)$/.exec(line);
    if (w) {
      // LOBSTER wraps one message over consecutive WARNING: lines
      warning.push(w[1].trim());
      if (/bandOverlaps/i.test(w[1])) out.bandOverlapsWarning = true;
      continue;
    }
    flush();
    const threads = /using (\d+) threads?/.exec(line);
    if (threads) out.threads = Number(threads[1]);
    if (/setting up local basis functions/.test(line)) {
      inBasis = true;
      continue;
    }
    if (inBasis) {
      const b = /^\s*([A-Z][a-z]?)\s+\(([^)]*)\)\s+(.*)$/.exec(line);
      if (b && atomicNumber(b[1]) !== undefined) {
        const basis: LobsterBasis = { element: SYMBOLS[atomicNumber(b[1])!], basisSet: b[2], functions: fields(b[3]) };
        out.basis.push(basis);
        continue;
      }
      inBasis = false;
    }
    const cs = /abs\.\s*charge\s+spilling:\s*([-\d.]+)\s*%/.exec(line);
    if (cs) out.chargeSpilling.push(Number(cs[1]));
    const ts = /abs\.\s*total\s+spilling:\s*([-\d.]+)\s*%/.exec(line);
    if (ts) out.totalSpilling.push(Number(ts[1]));
    const fin = /finished in\s+(\d+)\s*h\s+(\d+)\s*min\s+(\d+)\s*s\s+(\d+)\s*ms of wall time/.exec(line);
    if (fin) out.wallTimeSeconds = Number(fin[1]) * 3600 + Number(fin[2]) * 60 + Number(fin[3]) + Number(fin[4]) / 1000;
  }
  flush();
  if (v[1] === undefined) {
    out.warnings.push(`${name}: the first line names no LOBSTER version ("${first.trim()}", a development build?); version 'unknown'`);
  }
  if (out.chargeSpilling.length === 0 && out.basis.length === 0) {
    throw cur.error('a LOBSTER log with basis functions and charge spilling', 'neither', cur.lineNo);
  }
  return out;
}

export async function readLobsterout(source: ByteSource): Promise<LobsterOut> {
  return parseLobsterout(await readAll(source), source.name);
}
