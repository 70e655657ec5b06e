import type { BaderCharges } from '../../model/populations.js';
import { fields, LineCursor, toInt, toNumber } from '../text/lines.js';
import { readAll, textOf, type ByteSource } from '../source.js';

/**
 * Bader's ACF.dat (Henkelman group `bader`): a header `# X Y Z CHARGE MIN DIST [ATOMIC VOL]`, a dashed rule, one
 * row `k x y z electrons minDist [volume]` per atom in POSCAR order (Cartesian Å), a dashed rule, then
 * `VACUUM CHARGE:`, `VACUUM VOLUME:` and `NUMBER OF ELECTRONS:`. Versions before 0.95 have no volume column.
 */
export function parseAcf(input: Uint8Array | string, name: string): BaderCharges {
  const cur = new LineCursor(textOf(input, name), name);
  let header: string | undefined;
  while (header === undefined) {
    const line = cur.next();
    if (line === undefined) throw cur.error('the ACF.dat header `# X Y Z CHARGE MIN DIST`', 'end of file', cur.lineNo);
    if (line.trim() === '') continue;
    if (!/^\s*#\s+X\s+Y\s+Z\s+CHARGE/i.test(line)) throw cur.error('the ACF.dat header `# X Y Z CHARGE MIN DIST`', line);
    header = line;
  }
  const withVolume = /VOL/i.test(header);
  const nCols = withVolume ? 7 : 6;
  const cart: number[] = [];
  const electrons: number[] = [];
  const minDist: number[] = [];
  const volume: number[] = [];
  let rules = 0;
  const footer = { vacuumCharge: NaN, vacuumVolume: NaN, totalElectrons: NaN };
  for (;;) {
    const line = cur.next();
    if (line === undefined) break;
    const t = line.trim();
    if (t === '') continue;
    if (/^-{5,}$/.test(t)) {
      rules++;
      continue;
    }
    if (rules >= 2 || /:/.test(t)) {
      const m = /^(VACUUM CHARGE|VACUUM VOLUME|NUMBER OF ELECTRONS)\s*:\s*(\S+)/i.exec(t);
      const v = m ? toNumber(m[2]) : NaN;
      if (!m || Number.isNaN(v)) throw cur.error('a footer line `VACUUM CHARGE:`, `VACUUM VOLUME:` or `NUMBER OF ELECTRONS:` with a number', line);
      const key = m[1].toUpperCase();
      if (key === 'VACUUM CHARGE') footer.vacuumCharge = v;
      else if (key === 'VACUUM VOLUME') footer.vacuumVolume = v;
      else footer.totalElectrons = v;
      continue;
    }
    const f = fields(line);
    const k = toInt(f[0]);
    const nums = f.slice(1, nCols).map(toNumber);
    if (f.length !== nCols || k !== electrons.length + 1 || nums.some(Number.isNaN)) {
      throw cur.error(`atom row ${electrons.length + 1} with ${nCols} columns (# X Y Z CHARGE MIN DIST${withVolume ? ' ATOMIC VOL' : ''})`, line);
    }
    cart.push(nums[0], nums[1], nums[2]);
    electrons.push(nums[3]);
    minDist.push(nums[4]);
    volume.push(withVolume ? nums[5] : NaN);
  }
  if (electrons.length === 0) throw cur.error('at least one atom row', 'end of file', cur.lineNo);
  return {
    cart: Float64Array.from(cart),
    electrons: Float64Array.from(electrons),
    minDist: Float64Array.from(minDist),
    volume: Float64Array.from(volume),
    ...footer,
  };
}

export async function readAcf(source: ByteSource): Promise<BaderCharges> {
  return parseAcf(await readAll(source), source.name);
}
