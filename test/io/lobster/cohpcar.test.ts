import { describe, expect, it } from 'vitest';
import { parseCohpcar, readCohpcar } from '../../../src/io/lobster/cohpcar.js';
import { parseIcohplist } from '../../../src/io/lobster/icohplist.js';
import { fromBytes } from '../../../src/io/source.js';
import { ParseError } from '../../../src/errors.js';
import { bondTotals, cohpChannel, type Cohp } from '../../../src/model/cohp.js';
import { jsKernels } from '../../../src/kernels/js.js';
import { fixture, fixtureText } from './helpers.js';

const R = 'real/lobster/cohpcar/';
const read = (f: string) => parseCohpcar(fixture(R + f), f);

/**
 * ∫ COHP dE from the first energy up to E = 0 (E_F) with the cumulative-trapezoid kernel: the COHP array's layout
 * [(bond·nspin + s)·nPoints + e] is the kernel's channel layout, so one call integrates every entry and spin.
 */
function trapezoidToFermi(c: Cohp, bond: number, spin: number): number {
  const cum = jsKernels.cumulative(c.energies, c.cohp, c.bonds.length * c.nspin);
  let iF = 0;
  while (iF + 1 < c.nPoints && c.energies[iF + 1] <= 0) iF++;
  return cum[(bond * c.nspin + spin) * c.nPoints + iF];
}

describe('COHPCAR.lobster (Fe, spin-polarised, LOBSTER 2.x/3.x labels)', () => {
  const c = read('COHPCAR.lobster');

  it('reads the header: 3 columns incl. Average, ISPIN 2, 301 points, DFT E_F', () => {
    // line 2: "3 2 301 -2.77681e-01 1.47725e+01 9.75576e+00"; pymatgen Cohpcar: efermi 9.75576, 301 energies
    expect(c.kind).toBe('cohp');
    expect(c.nspin).toBe(2);
    expect(c.nPoints).toBe(301);
    expect(c.efermi).toBe(9.75576);
    expect(c.multiCentre).toBe(false);
    expect(c.bonds).toHaveLength(2);
  });

  it('keeps energies as written (already E − E_F)', () => {
    expect(c.energies[0]).toBe(-10.03344);
    expect(c.energies[300]).toBe(5.01672);
    // pymatgen: energies[200] == 0.0
    expect(c.energies[200]).toBe(0);
  });

  it('parses labels with index, atoms, element, number and length', () => {
    expect(c.bonds[1]).toMatchObject({
      index: 2,
      atoms: [
        { label: 'Fe8', element: 'Fe', number: 8 },
        { label: 'Fe9', element: 'Fe', number: 9 },
      ],
      length: 2.4524893531900283,
    });
    expect(c.bonds[0].orbitals).toBeUndefined();
  });

  it('places spin-down columns after all spin-up columns', () => {
    // values checked with pymatgen 2022.11 Cohpcar: cohp_data['2']['COHP'][Spin.down][150] = -0.13859,
    // cohp_data['average']['COHP'][Spin.up][150] = -0.03075, ICOHP at E_F (index 200): bond 1 -0.10218 / -0.19701
    expect(cohpChannel(c, 1, 1)[150]).toBe(-0.13859);
    expect(c.average!.cohp[150]).toBe(-0.03075);
    expect(cohpChannel(c, 0, 0, 'icohp')[200]).toBe(-0.10218);
    expect(cohpChannel(c, 0, 1, 'icohp')[200]).toBe(-0.19701);
    // first data row: "-10.03344 0.00000 -0.02931 0.00000 -0.01676 0.00000 -0.04186 | 0.00000 -0.03343 …"
    expect(c.average!.icohp[0]).toBe(-0.02931);
    expect(cohpChannel(c, 0, 0, 'icohp')[0]).toBe(-0.01676);
    expect(cohpChannel(c, 1, 0, 'icohp')[0]).toBe(-0.04186);
    expect(c.average!.icohp[301]).toBe(-0.03343);
    expect(cohpChannel(c, 1, 1, 'icohp')[0]).toBe(-0.0483);
  });

  it('ICOHP at E_F equals the spin-resolved values of ICOHPLIST.lobster of the same run', () => {
    const list = parseIcohplist(fixture('real/lobster/icohplist/ICOHPLIST.lobster'), 'ICOHPLIST.lobster');
    const iF = c.energies.indexOf(0);
    for (let b = 0; b < 2; b++) {
      for (let s = 0; s < 2; s++) expect(cohpChannel(c, b, s, 'icohp')[iF]).toBe(list.bonds[b].values[s]);
    }
  });

  it('the COHP column integrated up to E_F reproduces the file ICOHP increment (coarse grid: |Δ| < 0.005 eV)', () => {
    // measured worst case: 0.0029 eV (bond 2, spin up; 1.4 % of its ICOHP) on this 0.05 eV grid
    for (const b of bondTotals(c.bonds)) {
      for (let s = 0; s < c.nspin; s++) {
        const iy = cohpChannel(c, b, s, 'icohp');
        const iF = c.energies.indexOf(0);
        expect(Math.abs(trapezoidToFermi(c, b, s) - (iy[iF] - iy[0]))).toBeLessThan(0.005);
      }
    }
  });

  it('streams to the same arrays in tiny chunks', async () => {
    const s = await readCohpcar(fromBytes('COHPCAR.lobster', fixture(R + 'COHPCAR.lobster'), 97));
    expect(s.bonds).toEqual(c.bonds);
    expect(Array.from(s.cohp)).toEqual(Array.from(c.cohp));
    expect(Array.from(s.icohp)).toEqual(Array.from(c.icohp));
    expect(Array.from(s.energies)).toEqual(Array.from(c.energies));
  });
});

describe('COOPCAR.lobster (same Fe run)', () => {
  it('is a COOP file with the same grid', () => {
    const c = read('COOPCAR.lobster');
    expect(c.kind).toBe('coop');
    expect([c.nspin, c.nPoints, c.bonds.length]).toEqual([2, 301, 2]);
    // first data row: avg ICOOP -0.00065, bond 1 ICOOP 0.00006, bond 2 ICOOP -0.00136
    expect(c.average!.icohp[0]).toBe(-0.00065);
    expect(cohpChannel(c, 0, 0, 'icohp')[0]).toBe(0.00006);
    expect(cohpChannel(c, 1, 0, 'icohp')[0]).toBe(-0.00136);
  });
});

describe('COHPCAR.lobster.orbitalwise (GaAs, orbital-resolved, numbered k+1)', () => {
  const c = read('COHPCAR.lobster.orbitalwise');

  it('has one bond total and 16 orbital entries pointing at it', () => {
    expect(c.nspin).toBe(1);
    expect(c.nPoints).toBe(401);
    expect(c.efermi).toBe(2.31259);
    expect(c.bonds).toHaveLength(17);
    expect(bondTotals(c.bonds)).toEqual([0]);
    const orb = c.bonds.slice(1);
    expect(orb.every((b) => b.parent === 0 && b.index === 2 && b.orbitals?.length === 2)).toBe(true);
    expect(c.bonds[1].orbitals).toEqual(['4s', '4s']);
    expect(c.bonds[16].orbitals).toEqual(['4p_x', '4p_x']);
    expect(c.bonds[6]).toMatchObject({ orbitals: ['4p_y', '4p_y'], atoms: [{ label: 'Ga1', orbital: '4p_y' }, { label: 'As2', orbital: '4p_y' }] });
  });

  it('matches pymatgen for an orbital pair and the total', () => {
    // pymatgen 2022.11: orb_res_cohp['1']['4py-4py']['COHP'][up][200] = -0.00226, its ICOHP[-1] = -0.15477,
    // cohp_data['1']['ICOHP'][up][-1] = -1.48021
    expect(cohpChannel(c, 6, 0)[200]).toBe(-0.00226);
    expect(cohpChannel(c, 6, 0, 'icohp')[400]).toBe(-0.15477);
    expect(cohpChannel(c, 0, 0, 'icohp')[400]).toBe(-1.48021);
  });

  it('orbital ICOHPs at the last energy sum to the bond total (LOBSTER writes 5 decimals)', () => {
    let sum = 0;
    for (let b = 1; b < 17; b++) sum += cohpChannel(c, b, 0, 'icohp')[400];
    expect(sum).toBeCloseTo(-1.48021, 3);
  });

  it('integrated COHP agrees with the file ICOHP at E_F to 1e-4 eV on this 0.05 eV grid', () => {
    const iF = c.energies.findIndex((e) => e >= 0);
    const iy = cohpChannel(c, 0, 0, 'icohp');
    // measured: 1.6e-5 eV
    expect(Math.abs(trapezoidToFermi(c, 0, 0) - (iy[iF] - iy[0]))).toBeLessThan(1e-4);
  });
});

describe('COHPCAR.lobster.KF (6 energies, 126 entries)', () => {
  it('counts 6 bond totals among 126 entries', () => {
    const c = read('COHPCAR.lobster.KF');
    expect([c.nPoints, c.bonds.length, bondTotals(c.bonds).length]).toEqual([6, 126, 6]);
    // pymatgen: cohp_data['6']['ICOHP'][up] = [-0.29304, -0.34042, -0.34042, -0.40075, -0.40075, -0.36751]
    const sixth = bondTotals(c.bonds)[5];
    expect(Array.from(cohpChannel(c, sixth, 0, 'icohp'))).toEqual([-0.29304, -0.34042, -0.34042, -0.40075, -0.40075, -0.36751]);
    expect(c.bonds[sixth].index).toBe(11);
    expect(c.bonds[sixth + 1].parent).toBe(sixth);
  });
});

describe('LOBSTER 5.1.1 COHPCAR/COBICAR/COOPCAR (NaCl, orbital lines repeat the parent k, no final newline)', () => {
  it('reads 24 bonds among 408 entries, orbital lines sharing k with their parent', () => {
    const text = fixtureText(R + 'custodian__lobster__v51/COHPCAR.lobster');
    expect(text.endsWith('\n')).toBe(false);
    const c = read('custodian__lobster__v51/COHPCAR.lobster');
    expect([c.nspin, c.nPoints, c.efermi, c.bonds.length]).toEqual([1, 11, -0.892304, 408]);
    const totals = bondTotals(c.bonds);
    expect(totals).toHaveLength(24);
    expect(c.bonds[1]).toMatchObject({ index: 1, parent: 0, orbitals: ['3s', '3s'] });
    expect(c.bonds[totals[23]]).toMatchObject({ index: 24, atoms: [{ label: 'Na4' }, { label: 'Cl8' }] });
  });

  it('COBICAR: pymatgen values of bond 24', () => {
    const c = read('custodian__lobster__v51/COBICAR.lobster');
    expect(c.kind).toBe('cobi');
    const b = bondTotals(c.bonds)[23];
    // pymatgen Cohpcar(are_cobis=True): cohp_data['24']['ICOHP'][up]
    expect(Array.from(cohpChannel(c, b, 0, 'icohp'))).toEqual([0.0348, 0.0348, 0.0348, 0.0348, 0.07924, 0.08473, 0.08473, 0.08473, 0.08473, 0.08473, 0.08473]);
  });

  it('COHPCAR ICOHP at E_F equals ICOHPLIST (5.1 layout) for every bond; integration within 0.005 eV', () => {
    const c = read('custodian__lobster__v51/COHPCAR.lobster');
    const list = parseIcohplist(fixture('real/lobster/icohplist/custodian__lobster__v51/ICOHPLIST.lobster'), 'ICOHPLIST.lobster');
    // the 11-point grid (0.889 eV steps) has a point at E = E_F = 0 exactly
    const iF = c.energies.indexOf(0);
    expect(iF).toBe(5);
    const totals = bondTotals(c.bonds);
    totals.forEach((b, i) => {
      const iy = cohpChannel(c, b, 0, 'icohp');
      // ICOHPLIST prints bonds 3 and 4 as -0.56500 / -0.56502 where COHPCAR has -0.56501: one unit of the last digit
      expect(Math.abs(iy[iF] - list.bonds[i].values[0])).toBeLessThanOrEqual(1.5e-5);
      // measured worst case 0.0038 eV
      expect(Math.abs(trapezoidToFermi(c, b, 0) - (iy[iF] - iy[0]))).toBeLessThan(0.005);
    });
  });

  it('COOPCAR reads as coop', () => {
    const c = read('custodian__lobster__v51/COOPCAR.lobster');
    expect([c.kind, bondTotals(c.bonds).length]).toEqual(['coop', 24]);
  });
});

describe('multi-centre COBICAR (hand-made, see test/fixtures/lobster/README.md)', () => {
  const c = parseCohpcar(fixture('lobster/COBICAR.multicentre.lobster'), 'COBICAR.multicentre.lobster');

  it('has no Average, cells on every centre, 3-centre chains', () => {
    expect(c.multiCentre).toBe(true);
    expect(c.average).toBeUndefined();
    expect(c.bonds).toHaveLength(3);
    expect(bondTotals(c.bonds)).toEqual([0, 2]);
    expect(c.bonds[2].atoms.map((a) => [a.label, a.translation])).toEqual([
      ['B1', [0, 0, 0]],
      ['H7', [0, 0, 0]],
      ['B2', [0, 0, 1]],
    ]);
    expect(Number.isNaN(c.bonds[2].length)).toBe(true);
    expect(c.bonds[1]).toMatchObject({ parent: 0, orbitals: ['2s', '2p_x'] });
  });

  it('reads columns without the Average offset', () => {
    expect(Array.from(cohpChannel(c, 0, 0))).toEqual([0.1, 0.3, 0]);
    expect(Array.from(cohpChannel(c, 2, 0, 'icohp'))).toEqual([0, 0.6, 1]);
    expect(Array.from(cohpChannel(c, 1, 0, 'icohp'))).toEqual([0, 0.03, 0.05]);
  });
});

describe('bad COHPCAR files', () => {
  const text = fixtureText(R + 'COHPCAR.lobster');

  it('a copy cut in the data block is a ParseError naming the file and a line', () => {
    const cut = text.slice(0, Math.floor(text.length * 0.6));
    expect(() => parseCohpcar(cut, 'cut/COHPCAR.lobster')).toThrow(ParseError);
    try {
      parseCohpcar(cut, 'cut/COHPCAR.lobster');
    } catch (e) {
      expect((e as ParseError).message).toMatch(/^cut\/COHPCAR\.lobster:\d+: expected .*numbers/);
    }
  });

  it('a copy cut in the labels is a ParseError', () => {
    const lines = text.split('\n');
    expect(() => parseCohpcar(lines.slice(0, 4).join('\n'), 'c')).toThrow(ParseError);
  });

  it('the streaming reader fails the same way', async () => {
    const cut = text.slice(0, Math.floor(text.length * 0.6));
    await expect(readCohpcar(fromBytes('c', cut, 1000))).rejects.toThrow(ParseError);
  });

  it('a **** field names its line and column', () => {
    const lines = text.split('\n');
    lines[10] = lines[10].replace('0.00000', '*******');
    try {
      parseCohpcar(lines.join('\n'), 'bad');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).line).toBe(11);
      expect((e as ParseError).found).toBe('"*******"');
    }
  });

  it('a row with a missing column is caught', () => {
    const lines = text.split('\n');
    lines[100] = lines[100].replace(/\s+\S+$/, '');
    expect(() => parseCohpcar(lines.join('\n'), 'bad')).toThrow(ParseError);
  });

  it('extra rows beyond NPTS are an error, not ignored', () => {
    const lines = text.trimEnd().split('\n');
    expect(() => parseCohpcar(`${lines.join('\n')}\n${lines[lines.length - 1]}\n`, 'bad')).toThrow(ParseError);
  });

  it('a bad label line and a bad header are ParseErrors', () => {
    expect(() => parseCohpcar(text.replace('No.2:Fe8->Fe9', 'No.2:Fe8=>Fe9'), 'bad')).toThrow(ParseError);
    expect(() => parseCohpcar(text.replace('         3          2        301', '         3          3        301'), 'bad')).toThrow(ParseError);
    expect(() => parseCohpcar('', 'empty')).toThrow(ParseError);
  });
});
