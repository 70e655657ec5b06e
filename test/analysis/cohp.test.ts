import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { jsKernels } from '../../src/kernels/js.js';
import { cohpCurves, cohpcarAnalysis, icohpAnalysis, pairName } from '../../src/analysis/cohp.js';
import type { BondAtom, IcohpBond, IcohpList } from '../../src/model/cohp.js';
import type { CensusSite } from '../../src/analysis/census.js';
import { parseIcohplist } from '../../src/io/lobster/icohplist.js';
import { parseCohpcar } from '../../src/io/lobster/cohpcar.js';
import { AnalysisOptionError } from '../../src/errors.js';

const REAL = join(import.meta.dirname, '..', 'fixtures', 'real', 'lobster');
const k = jsKernels;

function atom(label: string): BondAtom {
  const m = /^([A-Z][a-z]?)(\d+)$/.exec(label)!;
  return { label, element: m[1], number: Number(m[2]) };
}

/** One ICOHPLIST line: ICOHP per spin as LOBSTER writes it (negative = bonding). */
function bond(index: number, a: string, b: string, length: number, values: number[], t: [number, number, number] = [0, 0, 0]): IcohpBond {
  return {
    index,
    label: `${a}->${b}`,
    atoms: [atom(a), atom(b)],
    length,
    translation: t,
    values,
    summed: values.reduce((s, v) => s + v, 0),
    nBondsAveraged: 1,
    parts: [],
    multiCentre: false,
  };
}

/**
 * Mn1 Mn2 Li3 O4 O5 (1-based LOBSTER numbers). O4 (class O4) binds Mn1, Mn2 (two translations) and Li3;
 * O5 (class O5) binds Mn1 and Li3; O4–O5 is a longer O–O contact. Spin-polarised, spins unequal.
 */
const fake: IcohpList = {
  kind: 'cohp',
  layout: 'lobster-3-4',
  nspin: 2,
  orbitalResolved: false,
  bonds: [
    bond(1, 'Mn1', 'O4', 1.95, [-1.2, -1.3]),
    bond(2, 'O4', 'Mn2', 1.96, [-1.0, -1.4]),
    bond(3, 'Mn2', 'O4', 1.96, [-1.1, -1.3], [1, 0, 0]),
    bond(4, 'Li3', 'O4', 2.1, [-0.15, -0.15]),
    bond(5, 'Mn1', 'O5', 1.9, [-1.6, -1.7]),
    bond(6, 'O5', 'Li3', 2.12, [-0.1, -0.1]),
    bond(7, 'O4', 'O5', 2.7, [-0.05, -0.03]),
  ],
};

const site = (index: number, cls: string, nTM: number): CensusSite => ({ index, nTM, nLi: 6 - nTM, nOther: 0, vacancies: 0, class: cls });
const census = { sites: [site(3, 'O4', 2), site(4, 'O5', 1)], tm: ['Mn', 'Ni', 'Co'] };

describe('icohpAnalysis on a hand-built list', () => {
  const r = icohpAnalysis(fake, k, { census, nSites: 5 });
  const g = (name: string) => r.groups.find((x) => x.name === name)!;

  it('names pairs order-independently, anion last', () => {
    expect(pairName('O', 'Mn')).toBe('Mn-O');
    expect(pairName('Mn', 'O')).toBe('Mn-O');
    expect(pairName('F', 'K')).toBe('K-F');
    expect(pairName('Fe', 'Co')).toBe('Co-Fe');
  });

  it('groups by element pair with spins summed and per spin', () => {
    expect(r.bonds).toBe(7);
    expect(r.quantity).toBe('−ICOHP');
    expect(r.spin).toBe('summed');
    const mnO = g('Mn-O');
    expect(mnO.by).toBe('pair');
    expect(mnO.count).toBe(4);
    // 2.5 + 2.4 + 2.4 + 3.3
    expect(mnO.sumMinusIcohp).toBeCloseTo(10.6, 12);
    expect(mnO.meanMinusIcohp).toBeCloseTo(2.65, 12);
    expect(mnO.spins![0].sum).toBeCloseTo(1.2 + 1.0 + 1.1 + 1.6, 12);
    expect(mnO.spins![1].mean).toBeCloseTo((1.3 + 1.4 + 1.3 + 1.7) / 4, 12);
    expect(g('Li-O').count).toBe(2);
    expect(g('O-O').sumMinusIcohp).toBeCloseTo(0.08, 12);
  });

  it('groups O–cation bonds by the census class of the O (TM = census TM set)', () => {
    expect(r.groups.filter((x) => x.by === 'class').map((x) => x.name)).toEqual(['O4-Li', 'O4-TM', 'O5-Li', 'O5-TM']);
    expect(g('O4-TM').count).toBe(3);
    expect(g('O4-TM').meanMinusIcohp).toBeCloseTo(7.3 / 3, 12);
    expect(g('O5-TM').meanMinusIcohp).toBeCloseTo(3.3, 12);
    expect(g('O5-Li').sumMinusIcohp).toBeCloseTo(0.2, 12);
  });

  it('sums per O over bonds listing the O in either column', () => {
    expect(r.perO).toEqual([
      expect.objectContaining({ index: 3, label: 'O4', class: 'O4', nBonds: 5, nTMBonds: 3 }),
      expect.objectContaining({ index: 4, label: 'O5', class: 'O5', nBonds: 3, nTMBonds: 1 }),
    ]);
    expect(r.perO[0].sumMinusIcohp).toBeCloseTo(2.5 + 2.4 + 2.4 + 0.3 + 0.08, 12);
    expect(r.perO[0].sumMinusIcohpTM).toBeCloseTo(7.3, 12);
    expect(r.perO[1].sumMinusIcohp).toBeCloseTo(3.3 + 0.2 + 0.08, 12);
  });

  it('keeps bonds within the cutoff and lists each bond with 0-based sites', () => {
    const c = icohpAnalysis(fake, k, { cutoff: 2.0 });
    expect(c.bonds).toBe(4);
    expect(c.groups.map((x) => x.name)).toEqual(['Mn-O']);
    expect(c.bondList[1]).toMatchObject({ index: 2, sites: [3, 1], elements: ['O', 'Mn'], length: 1.96 });
    expect(c.bondList[1].value).toBeCloseTo(2.4, 12);
    expect(c.bondList[1].bySpin![1]).toBeCloseTo(1.4, 12);
    expect(c.perO.map((o) => o.class)).toEqual([undefined, undefined]);
    expect(() => icohpAnalysis(fake, k, { cutoff: 1.0 })).toThrow(AnalysisOptionError);
    expect(() => icohpAnalysis(fake, k, { nSites: 4 })).toThrow(/O5 does not exist/);
  });
});

describe('icohpAnalysis on real ICOHPLIST files', () => {
  // Expected sums from /usr/bin/python3 with pymatgen 2022.11.7: Icohplist(filename=…).icohplist, per pair
  // Σ number_of_bonds and Σ −(icohp[up] + icohp[down])·number_of_bonds over bonds with length ≤ cutoff.
  it('LOBSTER 2 layout (Fe, spin, averaged lines): weights by the number of averaged bonds', () => {
    const list = parseIcohplist(readFileSync(join(REAL, 'icohplist', 'ICOHPLIST.lobster')), 'ICOHPLIST.lobster');
    const r = icohpAnalysis(list, k);
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]).toMatchObject({ name: 'Fe-Fe', count: 3 });
    expect(r.groups[0].sumMinusIcohp).toBeCloseTo(1.46602, 10);
    expect(r.groups[0].spins![0].sum).toBeCloseTo(0.48921, 10);
    expect(r.groups[0].spins![1].sum).toBeCloseTo(0.97681, 10);
    expect(r.warnings.some((w) => w.includes('old LOBSTER layout'))).toBe(true);
  });

  it('LOBSTER 3/4 layout (KF, no spin)', () => {
    const list = parseIcohplist(readFileSync(join(REAL, 'icohplist', 'ICOHPLIST.lobster.KF_nospin')), 'KF');
    const r = icohpAnalysis(list, k);
    expect(r.spin).toBe('single');
    expect(r.groups[0]).toMatchObject({ name: 'K-F', count: 6 });
    expect(r.groups[0].sumMinusIcohp).toBeCloseTo(2.40456, 10);
    expect(r.groups[0].meanMinusIcohp).toBeCloseTo(0.40076, 10);
  });

  it('orbital-wise lists (LiF spin, NaCl) count bond totals only', () => {
    const lif = parseIcohplist(readFileSync(join(REAL, 'icohplist', 'custodian__lobster__vasp_lobster_output', 'ICOHPLIST.lobster')), 'LiF');
    const r = icohpAnalysis(lif, k, { cutoff: 3.0 });
    const byName = Object.fromEntries(r.groups.map((x) => [x.name, x]));
    expect(byName['Li-F'].count).toBe(6);
    expect(byName['Li-F'].sumMinusIcohp).toBeCloseTo(4.70172, 10);
    expect(byName['Li-F'].spins![0].sum).toBeCloseTo(2.35086, 10);
    expect(byName['F-F'].count).toBe(12);
    expect(byName['F-F'].sumMinusIcohp).toBeCloseTo(0.40848, 10);
    expect(byName['Li-Li'].sumMinusIcohp).toBeCloseTo(0.9936, 10);
    const nacl = parseIcohplist(gunzipSync(readFileSync(join(REAL, 'icohplist', 'ICOHPLIST.lobster.NaCl.gz'))), 'NaCl');
    const n = icohpAnalysis(nacl, k, { cutoff: 3.0 });
    expect(n.groups[0]).toMatchObject({ name: 'Na-Cl', count: 6 });
    expect(n.groups[0].sumMinusIcohp).toBeCloseTo(3.39234, 10);
  });

  it('LOBSTER 5.1 two-line header (NaCl): by hand from the file', () => {
    const list = parseIcohplist(readFileSync(join(REAL, 'icohplist', 'custodian__lobster__v51', 'ICOHPLIST.lobster')), 'v51');
    const r = icohpAnalysis(list, k, { cutoff: 3.0 });
    // bond-total lines shorter than 3 Å: 24 Na–Cl lines at 2.84731 Å, ICOHP −0.56501 except one −0.56500 and one −0.56502
    expect(r.groups.map((x) => [x.name, x.count])).toEqual([['Na-Cl', 24]]);
    expect(r.groups[0].sumMinusIcohp).toBeCloseTo(24 * 0.56501, 10);
    expect(r.bondList[3]).toMatchObject({ index: 4, sites: [0, 5], translation: [1, 0, 0] });
    expect(r.bondList[3].value).toBeCloseTo(0.56502, 12);
  });
});

describe('cohpcarAnalysis', () => {
  // Expected from numpy on the file text: cumulative trapezoid of the COHP column up to E = 0 and the file's ICOHP
  // column at E = 0 (both −), per spin summed.
  it('GaAs (orbital-wise, file column starts at 0): integral reproduces the file', () => {
    const c = parseCohpcar(readFileSync(join(REAL, 'cohpcar', 'COHPCAR.lobster.orbitalwise')), 'GaAs');
    const r = cohpcarAnalysis(c, k);
    expect(r.bonds).toBe(1);
    expect(r.integration[0].label).toMatch(/^Ga1->As2/);
    expect(r.integration[0].integrated).toBeCloseTo(4.3606035049, 9);
    expect(r.integration[0].file).toBeCloseTo(4.36062, 9);
    expect(Math.abs(r.integration[0].difference)).toBeLessThan(1e-4);
    expect(r.groups[0]).toMatchObject({ name: 'Ga-As', count: 1 });
  });

  it('Fe (spin, curve starts above the lowest states): the difference is the file value at the first energy', () => {
    const c = parseCohpcar(readFileSync(join(REAL, 'cohpcar', 'COHPCAR.lobster')), 'Fe');
    const r = cohpcarAnalysis(c, k);
    expect(r.bonds).toBe(2);
    expect(r.spin).toBe('summed');
    const [b1, b2] = r.integration;
    expect(b1.integrated).toBeCloseTo(0.2658886171, 9);
    expect(b1.file).toBeCloseTo(0.29919, 9);
    expect(b1.fileAtFirstEnergy).toBeCloseTo(0.03532, 9);
    expect(b2.integrated).toBeCloseTo(0.7800362754, 9);
    expect(b2.file).toBeCloseTo(0.86764, 9);
    // the rest of the difference is the trapezoid error on the 0.05 eV grid
    expect(Math.abs(b2.difference - b2.fileAtFirstEnergy)).toBeLessThan(0.005);
    expect(b1.bySpin).toHaveLength(2);
    expect(r.groups[0]).toMatchObject({ name: 'Fe-Fe', count: 2 });
    expect(r.groups[0].sumMinusIcohp).toBeCloseTo(0.29919 + 0.86764, 9);
  });

  it('cohpCurves: −COHP of chosen or strongest bonds, spins summed', () => {
    const c = parseCohpcar(readFileSync(join(REAL, 'cohpcar', 'COHPCAR.lobster')), 'Fe');
    const strongest = cohpCurves(c, undefined, 1);
    expect(strongest.bonds.map((b) => b.index)).toEqual([2]);
    const chosen = cohpCurves(c, [1]);
    // row 36 of the data (E = −8.27759 eV): bond 1 COHP −0.01046 (spin 1) and −0.00107 (spin 2)
    expect(chosen.bonds[0].minusCohp[35]).toBeCloseTo(0.01046 + 0.00107, 12);
    expect(chosen.bonds[0].minusCohp[0]).toBe(0);
    expect(() => cohpCurves(c, [9])).toThrow(AnalysisOptionError);
  });
});
