import { describe, expect, it } from 'vitest';
import { parseCharge } from '../../../src/io/lobster/charge.js';
import { parseLobsterout } from '../../../src/io/lobster/lobsterout.js';
import { ParseError } from '../../../src/errors.js';
import { detectFormat } from '../../../src/io/formats.js';
import { fixture, fixtureText } from './helpers.js';

describe('CHARGE.lobster', () => {
  it('MnO (LOBSTER 3/4): labels, Mulliken and Löwdin as pymatgen Charge reads them', () => {
    const c = parseCharge(fixture('real/lobster/charge/CHARGE.lobster.MnO'), 'x');
    // pymatgen 2022.11 Charge: atomlist ['O1', 'Mn2'], Mulliken [-1.3, 1.3], Loewdin [-1.25, 1.25]
    expect(c.labels).toEqual(['O1', 'Mn2']);
    expect(c.elements).toEqual(['O', 'Mn']);
    expect(Array.from(c.mulliken)).toEqual([-1.3, 1.3]);
    expect(Array.from(c.loewdin)).toEqual([-1.25, 1.25]);
  });

  it('the gzip MnO2 copy and the custodian LiF file', () => {
    expect(parseCharge(fixture('real/lobster/charge/CHARGE.lobster.MnO2.gz'), 'x').labels).toEqual(['O1', 'Mn2']);
    const lif = parseCharge(fixture('real/lobster/charge/custodian__lobster__vasp_lobster_output/CHARGE.lobster'), 'x');
    expect([lif.labels, Array.from(lif.mulliken), Array.from(lif.loewdin)]).toEqual([['Li1', 'F2'], [0.71, -0.71], [0.71, -0.71]]);
  });

  it('LOBSTER 5.1.1 (trailing blanks, other alignment): 8 atoms', () => {
    const c = parseCharge(fixture('real/lobster/charge/custodian__lobster__v51/CHARGE.lobster'), 'x');
    // pymatgen Charge: Na1..Na4 0.78 / 0.67, Cl5..Cl8 -0.78 / -0.67
    expect(c.labels).toEqual(['Na1', 'Na2', 'Na3', 'Na4', 'Cl5', 'Cl6', 'Cl7', 'Cl8']);
    expect(Array.from(c.mulliken)).toEqual([0.78, 0.78, 0.78, 0.78, -0.78, -0.78, -0.78, -0.78]);
    expect(Array.from(c.loewdin)).toEqual([0.67, 0.67, 0.67, 0.67, -0.67, -0.67, -0.67, -0.67]);
  });

  it('a copy without the total line, or with a broken row, is a ParseError', () => {
    const t = fixtureText('real/lobster/charge/custodian__lobster__v51/CHARGE.lobster');
    expect(() => parseCharge(t.slice(0, t.indexOf('      5      Cl')), 'cut')).toThrow(ParseError);
    expect(() => parseCharge(t.replace('      3      Na', '      9      Na'), 'bad')).toThrow(/bad:6: expected a row `3 /);
    expect(() => parseCharge('', 'e')).toThrow(ParseError);
  });
});

describe('lobsterout', () => {
  it('LOBSTER 3.1.0: version, basis, spillings, band-overlaps warning, wall time', () => {
    const o = parseLobsterout(fixture('real/lobster/lobsterout/lobsterout.normal'), 'x');
    expect(o.version).toBe('3.1.0');
    expect(o.basis).toEqual([
      { element: 'Ti', basisSet: 'pbeVaspFit2015', functions: ['3s', '4s', '3p_y', '3p_z', '3p_x', '3d_xy', '3d_yz', '3d_z^2', '3d_xz', '3d_x^2-y^2'] },
    ]);
    expect(o.chargeSpilling).toEqual([2.68]);
    expect(o.totalSpilling).toEqual([4.4]);
    expect(o.bandOverlapsWarning).toBe(true);
    expect(o.warnings).toHaveLength(1);
    expect(o.warnings[0]).toMatch(/^3 of 147 k-points could not be orthonormalized/);
    expect(o.wallTimeSeconds).toBeCloseTo(2.702, 9);
    expect(o.threads).toBe(8);
  });

  it('LOBSTER 4.1.0 with COBI/Madelung: 4 basis entries incl. f functions, tetrahedron warning', () => {
    const o = parseLobsterout(fixture('real/lobster/lobsterout/lobsterout_cobi_madelung'), 'x');
    expect(o.version).toBe('4.1.0');
    expect(o.basis.map((b) => b.element)).toEqual(['N', 'O', 'La', 'Ta']);
    expect(o.basis[2].functions).toHaveLength(17);
    expect([o.chargeSpilling, o.totalSpilling, o.bandOverlapsWarning]).toEqual([[0.8], [3.58], false]);
    expect(o.warnings[0]).toMatch(/^Cannot use the tetrahedron method/);
    expect(o.wallTimeSeconds).toBeCloseTo(46 * 60 + 45.976, 9);
  });

  it('LOBSTER 4.1.0 spin-polarised: one spilling per spin channel', () => {
    const o = parseLobsterout(fixture('real/lobster/lobsterout/custodian__lobster__vasp_lobster_output/lobsterout'), 'x');
    expect([o.chargeSpilling, o.totalSpilling]).toEqual([
      [1.01, 1.01],
      [7.86, 7.86],
    ]);
    expect(o.basis.map((b) => [b.element, b.functions.length])).toEqual([
      ['F', 4],
      ['Li', 2],
    ]);
  });

  it('LOBSTER 5.1.1: no total spilling, bunge basis, no warnings', () => {
    const o = parseLobsterout(fixture('real/lobster/lobsterout/custodian__lobster__v51/lobsterout'), 'x');
    expect(o.version).toBe('5.1.1');
    expect([o.chargeSpilling, o.totalSpilling, o.warnings, o.bandOverlapsWarning]).toEqual([[0.3], [], [], false]);
    expect(o.basis).toEqual([
      { element: 'Cl', basisSet: 'bunge', functions: ['3s', '3p_y', '3p_z', '3p_x'] },
      { element: 'Na', basisSet: 'bunge', functions: ['3s', '2p_y', '2p_z', '2p_x'] },
    ]);
    expect(o.wallTimeSeconds).toBeCloseTo(3 * 60 + 3.415, 9);
  });

  it('a log cut after the basis keeps what it has (wall time NaN); a non-log is a ParseError', () => {
    const t = fixtureText('real/lobster/lobsterout/lobsterout.normal');
    const o = parseLobsterout(t.slice(0, t.indexOf('calculating pDOS')), 'cut');
    expect(o.chargeSpilling).toEqual([2.68]);
    expect(Number.isNaN(o.wallTimeSeconds)).toBe(true);
    expect(() => parseLobsterout('hello\n', 'x')).toThrow(ParseError);
    expect(() => parseLobsterout(t.split('\n')[0], 'x')).toThrow(ParseError);
  });
});

describe('lobsterout of a development build', () => {
  // lobsterout.normal (LOBSTER 3.1.0) with its first line as a development build prints it: `LOBSTER v (g++ 5.4.0)`
  const normal = fixtureText('real/lobster/lobsterout/lobsterout.normal');
  const dev = normal.replace(/^LOBSTER v3\.1\.0 \(g\+\+ 7\.3\.0\)/, 'LOBSTER v (g++ 5.4.0)');

  it('reads with version unknown and a warning; the other fields as for the numbered build', () => {
    expect(dev.startsWith('LOBSTER v (g++ 5.4.0)\n')).toBe(true);
    const o = parseLobsterout(dev, 'lobsterout');
    expect(o.version).toBe('unknown');
    expect(o.warnings.filter((w) => /names no LOBSTER version/.test(w))).toHaveLength(1);
    const n = parseLobsterout(normal, 'lobsterout');
    expect([o.basis, o.chargeSpilling, o.totalSpilling, o.wallTimeSeconds, o.threads]).toEqual([n.basis, [2.68], [4.4], n.wallTimeSeconds, 8]);
  });

  it('the registry recognises it by content, under any name', () => {
    expect(detectFormat('lobsterout', dev)?.id).toBe('lobsterout');
    expect(detectFormat('run.log', dev)?.id).toBe('lobsterout');
    expect(detectFormat('-', dev)?.id).toBe('lobsterout');
  });

  it('a first line naming another program is still not a lobsterout', () => {
    expect(() => parseLobsterout(dev.replace('LOBSTER v (g++ 5.4.0)', 'LOBSTERPY v0.6'), 'x')).toThrow(ParseError);
  });
});
