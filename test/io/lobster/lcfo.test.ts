import { describe, expect, it } from 'vitest';
import { parseChargeLcfo } from '../../../src/io/lobster/charge-lcfo.js';
import { detectFormat, formatById } from '../../../src/io/formats.js';
import { ParseError } from '../../../src/errors.js';
import { fixtureText } from './helpers.js';

/** LOBSTER 5.1 LCFO files (test/fixtures/lobster/lcfo/README.md); values read off the files. */
describe('CHARGE.LCFO.lobster', () => {
  const text = fixtureText('lobster/lcfo/CHARGE.LCFO.lobster.AlN');
  it('fragments (not atoms), Löwdin charges and the total of the real AlN file', () => {
    const c = parseChargeLcfo(text, 'CHARGE.LCFO.lobster');
    expect(c.basis).toBe('lcfo');
    expect(c.fragments).toEqual(['AlN', 'Al', 'N']);
    expect(c.labels).toEqual(['AlN_1', 'Al_2', 'N_3']);
    expect(Array.from(c.loewdin)).toEqual([0, 1.02, -1.02]);
    expect(c.total).toBe(-0);
  });
  it('is recognised by name and by content; CHARGE.lobster is not taken for it', () => {
    expect(detectFormat('CHARGE.LCFO.lobster', text)?.id).toBe('charge-lcfo');
    expect(detectFormat('renamed.txt', text)?.id).toBe('charge-lcfo');
    expect(detectFormat('AlN_CHARGE.LCFO.lobster.gz', '')?.id).toBe('charge-lcfo');
    expect(formatById('charge-lcfo').describe(parseChargeLcfo(text, 'x'))).toMatchObject({ basis: 'lcfo', nFragments: 3, fragments: ['AlN_1', 'Al_2', 'N_3'] });
  });
  it('a row out of order or a missing total is a ParseError at its line', () => {
    expect(() => parseChargeLcfo(text.replace('         2               Al', '         5               Al'), 'x')).toThrow(/x:5: expected a row `2 fragment LoewdinCharge`/);
    expect(() => parseChargeLcfo(text.slice(0, text.indexOf('                      total')), 'x')).toThrow(ParseError);
  });
});
