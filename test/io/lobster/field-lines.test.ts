import { describe, expect, it } from 'vitest';
import { afterHeader, fieldLines } from '../../../src/io/lobster/field-lines.js';
import { LineCursor } from '../../../src/io/text/lines.js';
import { ParseError } from '../../../src/errors.js';

describe('fieldLines / afterHeader (the table walk of CHARGE, GROSSPOP, SitePotentials, MadelungEnergies)', () => {
  const text = 'preamble\n\n  atom#  atom  Mulliken  Loewdin\n\n   1  Li  0.71  0.70\n  \n total 0.71 0.70\n';
  it('skips a preamble to the header and yields the non-empty lines after it with their fields and line numbers', () => {
    const cur = new LineCursor(text, 'CHARGE.lobster');
    expect(afterHeader(cur, (l) => /atom#/.test(l), 'a header', false)).toBe('  atom#  atom  Mulliken  Loewdin');
    const rows = [...fieldLines(cur)].map((r) => r.fields);
    expect(rows).toEqual([['1', 'Li', '0.71', '0.70'], ['total', '0.71', '0.70']]);
  });
  it('a title that must come first: anything else is a ParseError at that line; no header at all names end of file', () => {
    const e = (() => { try { afterHeader(new LineCursor(text, 'X'), (l) => /atom#/.test(l), 'the title', true); } catch (x) { return x as ParseError; } })();
    expect([e?.line, e?.found]).toEqual([1, '"preamble"']);
    expect(() => afterHeader(new LineCursor('a\nb\n', 'X'), () => false, 'the header', false)).toThrow(/X:3: expected the header, found "end of file"/);
  });
});
