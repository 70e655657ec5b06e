import type { MadelungEnergies, SitePotentials } from '../../model/populations.js';
import { fields, LineCursor, toInt, toNumber } from '../text/lines.js';
import { afterHeader, fieldLines } from './field-lines.js';
import { readAll, textOf, type ByteSource } from '../source.js';
import { parseAtomLabel } from './labels.js';

/** The first number after the word `splitting` in a LOBSTER header (`… Ewald splitting (1/A) = 3.14`); NaN when absent. */
function ewaldSplitting(line: string): number {
  const at = line.search(/splitting/i);
  if (at < 0) return NaN;
  for (const f of fields(line.slice(at + 'splitting'.length))) {
    const v = toNumber(f.replace(/[,;]$/, ''));
    if (!Number.isNaN(v)) return v;
  }
  return NaN;
}

/**
 * SitePotentials.lobster (LOBSTER ≥ 4): a title naming the Ewald splitting parameter, column headers, one row
 * `k El mulliken loewdin` (site potential in eV) per atom in POSCAR order, a dashed rule, and the cell's
 * `Madelung Energy (eV) mulliken loewdin`.
 */
export function parseSitePotentials(input: Uint8Array | string, name: string): SitePotentials {
  const cur = new LineCursor(textOf(input, name), name);
  const labels: string[] = [];
  const elements: string[] = [];
  const mulliken: number[] = [];
  const loewdin: number[] = [];
  const title = afterHeader(cur, (l) => /potential/i.test(l), 'the SitePotentials.lobster title (site potentials from Mulliken and Loewdin charges)', true);
  let split = ewaldSplitting(title);
  let madelung: [number, number] = [NaN, NaN];
  for (const { line, fields: f } of fieldLines(cur)) {
    if (/^-{3,}$/.test(f[0])) continue;
    if (/madelung/i.test(line)) {
      const nums = f.map(toNumber).filter((v) => !Number.isNaN(v));
      if (nums.length < 2) throw cur.error('`Madelung Energy (eV)` with a Mulliken and a Loewdin value', line);
      madelung = [nums[nums.length - 2], nums[nums.length - 1]];
      continue;
    }
    const k = toInt(f[0]);
    if (Number.isNaN(k)) {
      if (labels.length === 0) {
        if (Number.isNaN(split)) split = ewaldSplitting(line);
        continue; // column headers
      }
      throw cur.error(`atom row ${labels.length + 1} \`k Element Mulliken Loewdin\``, line);
    }
    const atom = f.length === 4 && k === labels.length + 1 ? parseAtomLabel(`${f[1]}${k}`) : undefined;
    const m = toNumber(f[2] ?? ''), l = toNumber(f[3] ?? '');
    if (!atom || Number.isNaN(m) || Number.isNaN(l)) throw cur.error(`atom row ${labels.length + 1} \`k Element Mulliken Loewdin\``, line);
    labels.push(atom.label);
    elements.push(atom.element);
    mulliken.push(m);
    loewdin.push(l);
  }
  if (labels.length === 0) throw cur.error('atom rows `k Element Mulliken Loewdin`', 'end of file', cur.lineNo);
  return {
    labels,
    elements,
    mulliken: Float64Array.from(mulliken),
    loewdin: Float64Array.from(loewdin),
    madelungMulliken: madelung[0],
    madelungLoewdin: madelung[1],
    ewaldSplitting: split,
  };
}

export async function readSitePotentials(source: ByteSource): Promise<SitePotentials> {
  return parseSitePotentials(await readAll(source), source.name);
}

/**
 * MadelungEnergies.lobster: a title, column headers (Ewald splitting, Madelung energy from Mulliken and from Loewdin
 * charges, eV), and one row of three numbers `splitting mulliken loewdin`.
 */
export function parseMadelungEnergies(input: Uint8Array | string, name: string): MadelungEnergies {
  const cur = new LineCursor(textOf(input, name), name);
  afterHeader(cur, (l) => /madelung/i.test(l), 'the MadelungEnergies.lobster title', true);
  for (const { line, fields: f } of fieldLines(cur)) {
    const nums = f.map(toNumber);
    if (nums.every((v) => !Number.isNaN(v))) {
      if (nums.length !== 3) throw cur.error('one row `EwaldSplitting Mulliken Loewdin` (3 numbers)', line);
      return { ewaldSplitting: nums[0], mulliken: nums[1], loewdin: nums[2] };
    }
  }
  throw cur.error('the row `EwaldSplitting Mulliken Loewdin`', 'end of file', cur.lineNo);
}

export async function readMadelungEnergies(source: ByteSource): Promise<MadelungEnergies> {
  return parseMadelungEnergies(await readAll(source), source.name);
}
