import { textOf } from './source.js';
import { LineCursor, toNumber } from './text/lines.js';

/** One row of an energy table: a calculation (folder or structure file, as written) and its total energy (eV per cell). */
export interface EnergyRow {
  path: string;
  energy: number;
  /** 1-based line in the table */
  line: number;
}

/**
 * A CSV table `path,energy_eV` (header required, any column order, more columns ignored; `#` comments and blank
 * lines skipped). Paths may not contain commas. A path given twice is an error: one of the two would be dropped.
 */
export function parseEnergyTable(input: Uint8Array | string, name: string): EnergyRow[] {
  const cur = new LineCursor(textOf(input, name), name);
  const content = (l: string) => l.trim() !== '' && !l.trimStart().startsWith('#');
  let header: string | undefined;
  for (let l = cur.next(); l !== undefined; l = cur.next()) if (content(l)) { header = l; break; }
  if (header === undefined) throw cur.error('a header line "path,energy_eV"', 'an empty table', 0);
  const cols = header.split(',').map((c) => c.trim().toLowerCase());
  const ip = cols.indexOf('path');
  const ie = cols.indexOf('energy_ev');
  if (ip < 0 || ie < 0) throw cur.error('a header with the columns path and energy_eV', header);
  const rows: EnergyRow[] = [];
  const seen = new Map<string, number>();
  for (let l = cur.next(); l !== undefined; l = cur.next()) {
    if (!content(l)) continue;
    const f = l.split(',').map((c) => c.trim());
    if (f.length !== cols.length) throw cur.error(`${cols.length} comma-separated fields (as the header)`, l);
    const energy = toNumber(f[ie]);
    if (!Number.isFinite(energy)) throw cur.error('an energy in eV (a number)', f[ie]);
    const path = f[ip];
    if (path === '') throw cur.error('a path', l);
    const line = cur.lineNo - 1;
    const before = seen.get(path);
    if (before !== undefined) throw cur.error(`each path once (${path} is on line ${before} already)`, l);
    seen.set(path, line);
    rows.push({ path, energy, line });
  }
  if (rows.length === 0) throw cur.error('at least one row after the header', 'none', 0);
  return rows;
}
