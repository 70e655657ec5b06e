import { fields, type LineCursor } from '../text/lines.js';

/** A non-empty line of a small LOBSTER table and its whitespace-separated fields. */
export interface FieldLine {
  line: string;
  fields: string[];
}

/**
 * Advances the cursor past the header line of a small LOBSTER table (CHARGE, GROSSPOP, SitePotentials,
 * MadelungEnergies) and returns it. `title`: the first non-empty line must be the header (anything else is not
 * this file); otherwise lines before it are skipped (the preamble some versions print). A ParseError naming
 * `expected` when there is none.
 */
export function afterHeader(cur: LineCursor, isHeader: (line: string) => boolean, expected: string, title: boolean): string {
  for (const { line } of fieldLines(cur)) {
    if (isHeader(line)) return line;
    if (title) throw cur.error(expected, line);
  }
  throw cur.error(expected, 'end of file', cur.lineNo);
}

/** The non-empty lines from the cursor on, with their fields (blank lines carry nothing in these files). */
export function* fieldLines(cur: LineCursor): Generator<FieldLine> {
  for (;;) {
    const line = cur.next();
    if (line === undefined) return;
    const f = fields(line);
    if (f.length > 0) yield { line, fields: f };
  }
}
