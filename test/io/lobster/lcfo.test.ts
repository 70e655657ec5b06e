import { describe, expect, it } from 'vitest';
import { parseChargeLcfo } from '../../../src/io/lobster/charge-lcfo.js';
import { parseDoscarLobster } from '../../../src/io/lobster/doscar-lobster.js';
import { pdosWindow } from '../../../src/analysis/pdos.js';
import { jsKernels } from '../../../src/kernels/js.js';
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

describe('DOSCAR.LCFO.lobster (constructed, see the fixture README)', () => {
  const text = fixtureText('lobster/lcfo/DOSCAR.LCFO.lobster.constructed');
  it('one block per fragment: basis lcfo, fragment labels, orbitals, no species', () => {
    const d = parseDoscarLobster(text, 'DOSCAR.LCFO.lobster');
    expect([d.basis, d.fragments, d.species, d.nSites, d.nspin, d.orbitals]).toEqual(['lcfo', ['AlN_1', 'N_2'], undefined, 2, 2, [['1a1', '1e'], ['2s']]]);
    // pdos layout [((orbitalOffset + o) * nspin + s) * nedos + e]: AlN 1e spin down = column 4 of its block
    expect(Array.from(d.pdos!.subarray((1 * 2 + 1) * 3, (1 * 2 + 1) * 3 + 3))).toEqual([0.04, 0.4, 0.08]);
    expect(Array.from(d.pdos!.subarray((2 * 2 + 0) * 3, (2 * 2 + 0) * 3 + 3))).toEqual([0.5, 0.7, 0.9]);
  });
  it('the registry tells it from DOSCAR.lobster by its block header, under any name', () => {
    expect(detectFormat('DOSCAR.LCFO.lobster', text)?.id).toBe('doscar-lcfo');
    expect(detectFormat('-', text)?.id).toBe('doscar-lcfo');
    const lobster = fixtureText('real/lobster/doscar/custodian__lobster__v51/DOSCAR.lobster');
    expect(detectFormat('-', lobster)?.id).toBe('doscar-lobster');
    expect(formatById('doscar-lcfo').describe(parseDoscarLobster(text, 'x'))).toMatchObject({ basis: 'lcfo', nFragments: 2, fragments: ['AlN_1', 'N_2'] });
  });
  it('pdos: one group per fragment, no element or O-class grouping, and says why', () => {
    const d = parseDoscarLobster(text, 'x');
    const r = pdosWindow(d, jsKernels, { window: [-2, 0], orbitals: ['1e'] });
    expect(r.basis).toBe('lcfo');
    expect(r.groups.map((g) => g.name)).toEqual(['AlN_1', 'N_2']);
    // trapezoid of 1e (up 0.03 → 0.3, down 0.04 → 0.4) over [−2, 0]: (0.03 + 0.3) + (0.04 + 0.4) = 0.77; N has no 1e
    expect(r.groups[0].statesInWindow).toBeCloseTo(0.77, 12);
    expect(r.groups[1].statesInWindow).toBe(0);
    expect(r.warnings.join(' ')).toMatch(/LCFO fragments .* not on atoms/);
    expect(() => pdosWindow(d, jsKernels, { groupBy: 'class', classes: [null, null] })).toThrow(/no grouping by O class: the DOS is projected on LCFO fragments/);
    expect(() => pdosWindow(d, jsKernels, { elements: ['N'] })).toThrow(/no selection by element/);
  });
  it('a block that mixes Z= and fragment headers is a ParseError at that header', () => {
    expect(() => parseDoscarLobster(text.replace('; N; 2s', '; Z= 7; 2s'), 'x')).toThrow(/x:14: expected a fragment header like block 1/);
  });
});
