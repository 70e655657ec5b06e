import type { GrossPopulations } from '../../model/populations.js';
import { LineCursor, toInt, toNumber } from '../text/lines.js';
import { afterHeader, fieldLines } from './field-lines.js';
import { readAll, textOf, type ByteSource } from '../source.js';
import { parseAtomLabel } from './labels.js';

/**
 * GROSSPOP.lobster: per atom a first row `k El orbital mulliken… loewdin…`, then `orbital mulliken… loewdin…` rows
 * and a closing `total` row. Non-spin runs have one Mulliken and one Loewdin column; spin-polarised runs (LOBSTER 5)
 * have two of each (`For spin 1`, `For spin 2`, Mulliken first), announced by a second header line.
 */
export function parseGrossPop(input: Uint8Array | string, name: string): GrossPopulations {
  const cur = new LineCursor(textOf(input, name), name);
  const labels: string[] = [];
  const elements: string[] = [];
  const mulliken: Record<string, number[]>[] = [];
  const loewdin: Record<string, number[]>[] = [];
  const header = afterHeader(cur, (l) => /atom#/i.test(l) && /Mulliken/i.test(l), 'the column header `atom# atom basisfunction Mulliken GP Loewdin GP`', false);
  const nspin: 1 | 2 = (header.match(/Mulliken/gi) ?? []).length >= 2 ? 2 : 1;
  let open = false;
  const take = (orbital: string, values: string[], line: string) => {
    const nums = values.map(toNumber);
    if (nums.length !== 2 * nspin || nums.some(Number.isNaN)) throw cur.error(`${2 * nspin} populations after ${orbital} (Mulliken then Loewdin${nspin === 2 ? ', spin 1 and 2 each' : ''})`, line);
    mulliken[mulliken.length - 1][orbital] = nums.slice(0, nspin);
    loewdin[loewdin.length - 1][orbital] = nums.slice(nspin);
    if (orbital === 'total') open = false;
  };
  for (const { line, fields: f } of fieldLines(cur)) {
    if (/for spin/i.test(line)) continue;
    const k = toInt(f[0]);
    if (!Number.isNaN(k)) {
      if (open) throw cur.error(`a \`total\` row closing atom ${labels.length}`, line);
      const atom = k === labels.length + 1 ? parseAtomLabel(`${f[1] ?? ''}${k}`) : undefined;
      if (!atom || f.length < 3) throw cur.error(`the first row of atom ${labels.length + 1} \`k Element orbital populations\``, line);
      labels.push(atom.label);
      elements.push(atom.element);
      mulliken.push({});
      loewdin.push({});
      open = true;
      take(f[2], f.slice(3), line);
    } else {
      if (!open) throw cur.error(`the first row of atom ${labels.length + 1} \`k Element orbital populations\``, line);
      take(f[0], f.slice(1), line);
    }
  }
  if (open) throw cur.error(`a \`total\` row closing atom ${labels.length}`, 'end of file', cur.lineNo);
  if (labels.length === 0) throw cur.error('atom rows', 'end of file', cur.lineNo);
  return { labels, elements, nspin, mulliken, loewdin };
}

export async function readGrossPop(source: ByteSource): Promise<GrossPopulations> {
  return parseGrossPop(await readAll(source), source.name);
}
