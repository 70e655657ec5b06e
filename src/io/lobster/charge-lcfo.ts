import type { LcfoCharges } from '../../model/lobster.js';
import { LineCursor, toInt, toNumber } from '../text/lines.js';
import { readAll, textOf, type ByteSource } from '../source.js';
import { afterHeader, fieldLines } from './field-lines.js';

/**
 * CHARGE.LCFO.lobster (LOBSTER ≥ 5.1): the title `Loewdin Charges of the LCFO basis`, a column header
 * `molecule# molecule Loewdin charge`, one row `k name charge` per fragment, then `total charge`. A fragment k is
 * called `name_k` in the other LCFO files (ICOHPLIST.LCFO: `AlN_1`, `Al_2`).
 */
export function parseChargeLcfo(input: Uint8Array | string, name: string): LcfoCharges {
  const cur = new LineCursor(textOf(input, name), name);
  afterHeader(cur, (l) => /Loewdin Charges of the LCFO basis/i.test(l), 'the title `Loewdin Charges of the LCFO basis`', true);
  afterHeader(cur, (l) => /molecule#/i.test(l) && /Loewdin/i.test(l), 'the column header `molecule# molecule Loewdin charge`', true);
  const fragments: string[] = [];
  const loewdin: number[] = [];
  for (const { line, fields: f } of fieldLines(cur)) {
    if (f[0].toLowerCase() === 'total') {
      const total = toNumber(f[1] ?? '');
      if (f.length !== 2 || Number.isNaN(total)) throw cur.error('`total charge`', line);
      if (fragments.length === 0) throw cur.error('fragment rows before the total', line);
      return { basis: 'lcfo', fragments, labels: fragments.map((n, i) => `${n}_${i + 1}`), loewdin: Float64Array.from(loewdin), total };
    }
    const k = toInt(f[0]);
    const q = toNumber(f[2] ?? '');
    if (f.length !== 3 || k !== fragments.length + 1 || Number.isNaN(q)) {
      throw cur.error(`a row \`${fragments.length + 1} fragment LoewdinCharge\``, line);
    }
    fragments.push(f[1]);
    loewdin.push(q);
  }
  throw cur.error('fragment rows closed by a `total` row', 'end of file', cur.lineNo);
}

export async function readChargeLcfo(source: ByteSource): Promise<LcfoCharges> {
  return parseChargeLcfo(await readAll(source), source.name);
}
