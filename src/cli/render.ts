/**
 * Plain-text tables and CSV for the CLI. Every command renders through here so tables look alike.
 */
export type Cell = string | number | null | undefined;

/** A number for people: fixed decimals, `–` for missing/NaN. */
export function fmt(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);
}

/** A fraction (0..1) as a percentage with one decimal. */
export function pct(v: number | null | undefined): string {
  return v === null || v === undefined || Number.isNaN(v) ? '–' : `${(100 * v).toFixed(1)}%`;
}

function show(c: Cell): string {
  if (c === null || c === undefined) return '–';
  if (typeof c === 'number') return Number.isInteger(c) ? String(c) : fmt(c);
  return c;
}

/** Aligned columns: text left, numbers right; a rule under the header. */
export function renderTable(headers: string[], rows: Cell[][]): string {
  const cells = rows.map((r) => r.map(show));
  const width = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null || r[i] === undefined));
  const line = (r: string[]) =>
    r.map((c, i) => (numeric[i] ? c.padStart(width[i]) : c.padEnd(width[i]))).join('  ').trimEnd();
  return [line(headers), width.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

/** Spreadsheets and scripts read CSV as ASCII: the minus sign (−ICOHP) and the dash (–) become '-'. */
const asciiDashes = (s: string) => s.replace(/[\u2212\u2013]/g, '-');

function csvField(c: Cell): string {
  const s = c === null || c === undefined ? '' : typeof c === 'number' ? String(c) : asciiDashes(c);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 CSV with full-precision numbers and ASCII minus signs. */
export function renderCsv(headers: string[], rows: Cell[][]): string {
  return [headers, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}
