import type { Charges } from '../../model/lobster.js';
import { fields, LineCursor, toInt, toNumber } from '../text/lines.js';
import { readAll, textOf, type ByteSource } from '../source.js';
import { parseAtomLabel } from './labels.js';

/**
 * CHARGE.lobster: a title, a column header `atom# atom Mulliken charge Loewdin charge`, one row `k El mull loew`
 * per atom in POSCAR order, then `total mull loew`. Column alignment and trailing blanks differ between versions.
 */
export function parseCharge(input: Uint8Array | string, name: string): Charges {
  const cur = new LineCursor(textOf(input, name), name);
  let sawHeader = false;
  const labels: string[] = [];
  const elements: string[] = [];
  const mulliken: number[] = [];
  const loewdin: number[] = [];
  let total = false;
  for (;;) {
    const line = cur.next();
    if (line === undefined) break;
    const f = fields(line);
    if (f.length === 0) continue;
    if (!sawHeader) {
      if (/atom#/i.test(line) && /Mulliken/i.test(line) && /Loewdin|Löwdin/i.test(line)) sawHeader = true;
      continue;
    }
    if (f[0].toLowerCase() === 'total') {
      total = true;
      break;
    }
    const k = toInt(f[0]);
    const atom = f.length === 4 && k === labels.length + 1 ? parseAtomLabel(`${f[1]}${k}`) : undefined;
    const m = toNumber(f[2] ?? '');
    const l = toNumber(f[3] ?? '');
    if (!atom || Number.isNaN(m) || Number.isNaN(l)) {
      throw cur.error(`a row \`${labels.length + 1} Element Mulliken Loewdin\``, line);
    }
    labels.push(atom.label);
    elements.push(atom.element);
    mulliken.push(m);
    loewdin.push(l);
  }
  if (!sawHeader) throw cur.error('the column header `atom# atom Mulliken charge Loewdin charge`', 'end of file', cur.lineNo);
  if (!total || labels.length === 0) throw cur.error('atom rows closed by a `total` row', 'end of file', cur.lineNo);
  return { labels, elements, mulliken: Float64Array.from(mulliken), loewdin: Float64Array.from(loewdin) };
}

export async function readCharge(source: ByteSource): Promise<Charges> {
  return parseCharge(await readAll(source), source.name);
}
