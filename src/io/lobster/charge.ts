import type { Charges } from '../../model/lobster.js';
import { LineCursor, toInt, toNumber } from '../text/lines.js';
import { afterHeader, fieldLines } from './field-lines.js';
import { readAll, textOf, type ByteSource } from '../source.js';
import { parseAtomLabel } from './labels.js';

/**
 * CHARGE.lobster: a title, a column header `atom# atom Mulliken charge Loewdin charge`, one row `k El mull loew`
 * per atom in POSCAR order, then `total mull loew`. Column alignment and trailing blanks differ between versions.
 */
export function parseCharge(input: Uint8Array | string, name: string): Charges {
  const cur = new LineCursor(textOf(input, name), name);
  afterHeader(cur, (l) => /atom#/i.test(l) && /Mulliken/i.test(l) && /Loewdin|Löwdin/i.test(l), 'the column header `atom# atom Mulliken charge Loewdin charge`', false);
  const labels: string[] = [];
  const elements: string[] = [];
  const mulliken: number[] = [];
  const loewdin: number[] = [];
  let total = false;
  for (const { line, fields: f } of fieldLines(cur)) {
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
  if (!total || labels.length === 0) throw cur.error('atom rows closed by a `total` row', 'end of file', cur.lineNo);
  return { labels, elements, mulliken: Float64Array.from(mulliken), loewdin: Float64Array.from(loewdin) };
}

export async function readCharge(source: ByteSource): Promise<Charges> {
  return parseCharge(await readAll(source), source.name);
}
