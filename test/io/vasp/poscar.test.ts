import { describe, expect, it } from 'vitest';
import { parsePoscar, speciesFromPotcar } from '../../../src/io/vasp/poscar.js';
import { formula, speciesGroups } from '../../../src/model/structure.js';
import { cellVolume } from '../../../src/model/lattice.js';
import { MismatchError, UsageError } from '../../../src/errors.js';
import { fixture, parseErrorOf, truncated } from './helpers.js';

/**
 * Expected values from pymatgen 2022.11 (Debian python3-pymatgen), computed once with
 * `Poscar.from_file(f).structure`: len, composition, volume, frac_coords[-1], cart_coords[-1].
 */
const CASES: [string, number, string, number, number[], number[]][] = [
  ['doscar/aiida-vasp__basic_run/CONTCAR', 8, 'In4As4', 222.36438478051713, [0.25, 0.25, 0.25], [1.51459, 1.51459, 1.51459]],
  ['doscar/aiida-vasp__born_effective_charge/CONTCAR', 26, 'P4S16Zn6', 538.1716219240326, [0, 0, 0], [0, 0, 0]],
  ['doscar/aiida-vasp__ionic-relax-magmom-carry-on__calc-000/CONTCAR', 1, 'Si', 26.56945307424744, [0.1000000000000014, 0, 0], [0.23683772079224585, 0.23683772079224585, 0]],
  ['doscar/aiida-vasp__phonondb/CONTCAR', 104, 'P16S64Zn24', 2152.6864876961304, [0.5, 0.5, 0], [7.71439952, 7.71439952, 0]],
  ['doscar/aiida-vasp__relax-wc-keep-magmom__calc-000/CONTCAR', 1, 'Si', 27.219240379302832, [0.1000000000000014, 0, 0], [0.23875290715260977, 0.23875290715260977, 0]],
  ['doscar/aiida-vasp__vasp_wc_nelm__calc-000/CONTCAR', 1, 'Si', 14.829749999999999, [0.1000000000000014, 0, 0], [0.1950000000000027, 0.1950000000000027, 0]],
  ['doscar/custodian__lobster__v51/CONTCAR', 8, 'Na4Cl4', 184.66960065745863, [0, 0.5, 0], [0, 2.847312541285676, 0]],
  ['doscar/custodian__lobster__vasp_lobster_output/CONTCAR', 14, 'K4Sn4O6', 308.6057371433527, [0.5207270000000008, 0.2707270000000008, 0.25], [-4.440892098500626e-16, 2.1285540000000003, 2.305028155032007]],
  ['neb/aiida-vasp__neb/00/POSCAR', 4, 'H3N', 336.0, [0.5, 0.5, 0.5], [3, 3.5, 4]],
  ['neb/aiida-vasp__neb/01/CONTCAR', 4, 'H3N', 336.0, [0.5, 0.5000437992745496, 0.4749858016264043], [3, 3.500306594921847, 3.7998864130112344]],
  ['neb/aiida-vasp__neb/01/POSCAR', 4, 'H3N', 336.0, [0.5, 0.5, 0.5], [3, 3.5, 4]],
  ['neb/aiida-vasp__neb/02/CONTCAR', 4, 'H3N', 336.0, [0.5, 0.5000251631290556, 0.5000020438147625], [3, 3.5001761419033897, 4.0000163505181]],
  ['neb/aiida-vasp__neb/02/POSCAR', 4, 'H3N', 336.0, [0.5, 0.5, 0.5], [3, 3.5, 4]],
  ['neb/aiida-vasp__neb/03/CONTCAR', 4, 'H3N', 336.0, [0.5, 0.5000519758954735, 0.5250250097325438], [3, 3.5003638312683143, 4.200200077860351]],
  ['neb/aiida-vasp__neb/03/POSCAR', 4, 'H3N', 336.0, [0.5, 0.5, 0.5], [3, 3.5, 4]],
  ['neb/aiida-vasp__neb/04/POSCAR', 4, 'H3N', 336.0, [0.5, 0.5, 0.5], [3, 3.5, 4]],
  ['poscar/CONTCAR.Li2O', 96, 'Li64O32', 768.8016026251933, [0.75, 0.75, 0.5], [6.870674223224872, 6.870674223224872, 4.580449482149914]],
  ['poscar/POSCAR.C2.gz', 2, 'C2', 11.410322800393955, [0, 0, 0], [0, 0, 0]],
  ['poscar/POSCAR.Fe3O4', 14, 'Fe6O8', 144.57668906044427, [0.961442, 0.922883, 0.25], [1.4772114772099998, 4.518751716869, 2.4985855]],
  ['poscar/POSCAR.Li2O', 96, 'Li64O32', 790.4268189360001, [0.75, 0.75, 0.5], [6.9345, 6.9345, 4.623]],
  ['poscar/POSCAR.symbols_natoms_multilines', 53, 'Fe35Cr16Ni2', 621.3463690711229, [0.8357194215683834, 0.8320642904388155, 0.8312264544644345], [7.1311681518319805, 7.093483066293618, 7.103210205999959]],
  ['poscar/POSCAR_overlap', 2, 'BN', 11.374823249999999, [0.12508086138223945, 0.12508086138223942, 0.12508086138223942], [0.4465386751345947, 0.4465386751345948, 0.4465386751345948]],
  ['poscar/custodian__potim/POSCAR', 48, 'Fe16S32', 960.7003072192259, [0.615062, 0.884938, 0.810844], [26.418051604920002, 3.3398819946100002, 4.80535050539]],
  ['poscar/pymatgen-test-files__top-level/POSCAR', 24, 'Fe4P4O16', 300.6568551200002, [0.95662769, 0.25, 0.29286233], [9.96018448961825, 1.5167929699926324, 1.3938751962882576]],
];

describe('parsePoscar on every real POSCAR/CONTCAR', () => {
  for (const [file, n, f, vol, lastFrac, lastCart] of CASES) {
    it(file, () => {
      const s = parsePoscar(fixture(file), file);
      expect(s.species.length).toBe(n);
      expect(formula(s.species)).toBe(f);
      expect(cellVolume(s.lattice)).toBeCloseTo(vol, 8);
      for (let k = 0; k < 3; k++) {
        expect(s.frac[3 * (n - 1) + k]).toBeCloseTo(lastFrac[k], 12);
        expect(s.cart[3 * (n - 1) + k]).toBeCloseTo(lastCart[k], 10);
      }
    });
    it(`${file} cut in the middle of its data gives a ParseError`, () => {
      const e = parseErrorOf(() => parsePoscar(truncated(fixture(file), 0.75), file));
      expect(e.line).toBeGreaterThan(0);
    });
  }

  it('an empty file or a blank one is a ParseError', () => {
    expect(parseErrorOf(() => parsePoscar('', 'POSCAR')).message).toMatch(/POSCAR: expected a POSCAR, found "an empty file"/);
    parseErrorOf(() => parsePoscar('\n  \n', 'POSCAR'));
  });
});

describe('POSCAR quirks in the real files', () => {
  it('VASP 4 with a negative scale (target volume) and species from the comment formula', () => {
    const s = parsePoscar(fixture('poscar/pymatgen-test-files__top-level/POSCAR'), 'POSCAR');
    // line 2 is -300.65685512: the cell is rescaled to that volume
    expect(cellVolume(s.lattice)).toBeCloseTo(300.65685512, 8);
    expect(speciesGroups(s.species)).toEqual([{ symbol: 'Fe', count: 4 }, { symbol: 'P', count: 4 }, { symbol: 'O', count: 16 }]);
    expect(s.siteLabels?.[4]).toBe('P');
  });

  it('selective dynamics with Fe4+ labels after the flags', () => {
    const s = parsePoscar(fixture('poscar/custodian__potim/POSCAR'), 'POSCAR');
    // rows 1-4 are "T T T", row 5 "F F F" (file lines 10-14)
    expect(Array.from(s.selective!.slice(0, 15))).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
    expect(s.siteLabels?.[0]).toBe('Fe4+');
    expect(s.species[0]).toBe('Fe');
    expect(s.species[47]).toBe('S');
  });

  it('species and counts wrapped over two lines each, with repeated species', () => {
    const s = parsePoscar(fixture('poscar/POSCAR.symbols_natoms_multilines'), 'POSCAR');
    const g = speciesGroups(s.species);
    expect(g.length).toBe(25);
    expect(g.slice(0, 4)).toEqual([{ symbol: 'Fe', count: 1 }, { symbol: 'Cr', count: 1 }, { symbol: 'Fe', count: 2 }, { symbol: 'Cr', count: 4 }]);
    expect(g[24]).toEqual({ symbol: 'Fe', count: 5 });
    expect(s.velocities?.length).toBe(159);
  });

  it('the velocity block of a CONTCAR is kept (zeros in CONTCAR.Li2O)', () => {
    const s = parsePoscar(fixture('poscar/CONTCAR.Li2O'), 'CONTCAR');
    expect(s.velocities?.length).toBe(288);
    expect(s.velocities!.every((v) => v === 0)).toBe(true);
  });

  it('a velocity block VASP wrote as NaN is ignored (NEB CONTCAR)', () => {
    const s = parsePoscar(fixture('neb/aiida-vasp__neb/01/CONTCAR'), 'CONTCAR');
    expect(s.velocities).toBeUndefined();
  });

  it('the short keyword D means Direct and Li1+ labels are kept', () => {
    const s = parsePoscar(fixture('poscar/POSCAR.Li2O'), 'POSCAR');
    expect(s.frac[2]).toBe(0.375);
    expect(s.siteLabels?.[0]).toBe('Li1+');
    expect(s.siteLabels?.[95]).toBe('O2-');
  });

  it('Cartesian coordinates (POSCAR_overlap) are converted to fractional', () => {
    const s = parsePoscar(fixture('poscar/POSCAR_overlap'), 'POSCAR');
    expect(s.cart[0]).toBe(0.4459613248654051);
    expect(s.frac[0]).toBeCloseTo(0.12491913861776052, 14);
  });

  it('an empty comment line (aiida basic_run CONTCAR) and CRLF endings (POSCAR.Fe3O4)', () => {
    expect(parsePoscar(fixture('doscar/aiida-vasp__basic_run/CONTCAR'), 'CONTCAR').comment).toBe('');
    const s = parsePoscar(fixture('poscar/POSCAR.Fe3O4'), 'POSCAR');
    expect(s.comment).toBe('Fe6 O8');
    expect(s.frac[0]).toBe(0.13217);
  });
});

const BN = (scale: string, species = '   B N\n', mode = 'Direct') =>
  `cubic BN\n${scale}\n 0.0 0.5 0.5\n 0.5 0.0 0.5\n 0.5 0.5 0.0\n${species}   1 1\n${mode}\n 0.00 0.00 0.00\n 0.25 0.25 0.25\n`;

describe('hand-made POSCARs (inline)', () => {
  it('a positive scale multiplies the lattice and Cartesian positions', () => {
    const s = parsePoscar(BN('3.57', '   B N\n', 'Cartesian'), 'BN');
    expect(Array.from(s.lattice.slice(0, 3))).toEqual([0, 0.5 * 3.57, 0.5 * 3.57]);
    expect(s.cart[3]).toBeCloseTo(0.25 * 3.57, 14);
    // fcc with a = 3.57: V = a³/4
    expect(cellVolume(s.lattice)).toBeCloseTo(3.57 ** 3 / 4, 12);
  });

  it('a negative scale is the target volume', () => {
    const s = parsePoscar(BN('-11.374823'), 'BN');
    expect(cellVolume(s.lattice)).toBeCloseTo(11.374823, 10);
    // the raw lattice has V = 0.25, so the factor is (11.374823 / 0.25)^(1/3)
    expect(s.lattice[1]).toBeCloseTo(0.5 * Math.cbrt(11.374823 / 0.25), 12);
  });

  it('three scale factors act on x, y and z of the lattice and of Cartesian positions', () => {
    const s = parsePoscar(BN('2.0 3.0 4.0', '   B N\n', 'cartesian'), 'BN');
    expect(Array.from(s.lattice)).toEqual([0, 1.5, 2, 1, 0, 2, 1, 1.5, 0]);
    expect(Array.from(s.cart.slice(3))).toEqual([0.5, 0.75, 1]);
    expect(s.frac[3]).toBeCloseTo(0.25, 14);
    // direct coordinates are not scaled
    expect(Array.from(parsePoscar(BN('2.0 3.0 4.0'), 'BN').frac.slice(3))).toEqual([0.25, 0.25, 0.25]);
  });

  it('K or k means Cartesian like C; anything else is Direct', () => {
    expect(parsePoscar(BN('1.0', '   B N\n', 'kartesian'), 'BN').cart[3]).toBe(0.25);
    expect(parsePoscar(BN('1.0', '   B N\n', 'xyz'), 'BN').frac[3]).toBe(0.25);
  });

  it('VASP 6 species with POTCAR suffixes and the /hash form', () => {
    const s = parsePoscar(BN('1.0', '   B_h/4f2a9c N_s\n'), 'BN');
    expect(s.species).toEqual(['B', 'N']);
    expect(s.speciesLabels).toEqual(['B_h/4f2a9c', 'N_s']);
  });

  it('VASP 4 species from the option, from POTCAR text, or a clear error', () => {
    expect(parsePoscar(BN('1.0', ''), 'BN', { species: ['B', 'N'] }).species).toEqual(['B', 'N']);
    const potcar = '  PAW_PBE B 06Sep2000\n   TITEL  = PAW_PBE B 06Sep2000\n VRHFIN =B: s2p1\n  PAW_PBE N_s 08Apr2002\n   TITEL  = PAW_PBE N_s 08Apr2002\n';
    expect(speciesFromPotcar(potcar)).toEqual(['B', 'N_s']);
    const s = parsePoscar(BN('1.0', ''), 'BN', { potcar });
    expect(s.species).toEqual(['B', 'N']);
    expect(s.speciesLabels).toEqual(['B', 'N_s']);
    expect(() => parsePoscar(BN('1.0', ''), 'BN', { species: ['B'] })).toThrow(UsageError);
    expect(() => parsePoscar(BN('1.0', ''), 'BN', { potcar: '   TITEL  = PAW_PBE B 06Sep2000\n' })).toThrow(MismatchError);
    // the comment "cubic BN" does not list two symbols: no species anywhere
    const e = parseErrorOf(() => parsePoscar(BN('1.0', ''), 'BN'));
    expect(e.line).toBe(6);
    expect(e.message).toMatch(/species line/);
  });

  it('VASP 4 species from a comment that lists them', () => {
    const text = BN('1.0', '').replace('cubic BN', 'B N');
    expect(parsePoscar(text, 'BN').species).toEqual(['B', 'N']);
  });

  it('BOM, CRLF and tabs', () => {
    const text = `\ufeff${BN('1.0', '\tB\tN\n')}`.replace(/\n/g, '\r\n');
    const s = parsePoscar(text, 'BN');
    expect(s.comment).toBe('cubic BN');
    expect(s.species).toEqual(['B', 'N']);
    expect(s.frac[5]).toBe(0.25);
  });

  it('a lattice-velocity block and a Direct velocity block', () => {
    const text = `${BN('1.0')}Lattice velocities and vectors\n  1\n 0 0 0\n 0 0 0\n 0 0 0\n 0.0 0.5 0.5\n 0.5 0.0 0.5\n 0.5 0.5 0.0\nDirect\n 0.1 0.0 0.0\n 0.0 0.0 0.0\n`;
    const s = parsePoscar(text, 'BN');
    // fractional (0.1, 0, 0) times the lattice: 0.1·a = (0, 0.05, 0.05)
    expect(Array.from(s.velocities!.slice(0, 3))).toEqual([0, 0.05, 0.05]);
  });

  it('count mismatches, bad numbers and bad flags name the line', () => {
    expect(parseErrorOf(() => parsePoscar(BN('1.0', '   B N O\n'), 'BN')).line).toBe(7);
    const bad = BN('1.0').replace(' 0.25 0.25 0.25', ' 0.25 0.2x 0.25');
    const e = parseErrorOf(() => parsePoscar(bad, 'BN'));
    expect(e.line).toBe(10);
    expect(e.column).toBe(7);
    const sel = BN('1.0').replace('Direct', 'Selective dynamics\nDirect').replace(' 0.00 0.00 0.00', ' 0.00 0.00 0.00 T X T');
    expect(parseErrorOf(() => parsePoscar(sel, 'BN')).line).toBe(10);
    expect(parseErrorOf(() => parsePoscar(BN('0'), 'BN')).line).toBe(2);
    expect(parseErrorOf(() => parsePoscar(BN('1.0').replace(' 0.5 0.5 0.0', ' 0.5 0.5'), 'BN')).line).toBe(5);
    expect(parseErrorOf(() => parsePoscar(BN('1.0').replace('   1 1', '   1 -1'), 'BN')).line).toBe(7);
  });

  it('a 100,000-atom POSCAR parses through the scan kernel quickly', () => {
    const n = 100_000;
    const rows: string[] = [];
    for (let i = 0; i < n; i++) rows.push(`  ${((i * 0.618034) % 1).toFixed(16)}  ${((i * 0.414214) % 1).toFixed(16)}  ${((i * 0.732051) % 1).toFixed(16)}`);
    const text = `big\n1.0\n 50 0 0\n 0 50 0\n 0 0 50\n Li O\n 50000 50000\nDirect\n${rows.join('\n')}\n`;
    const bytes = new TextEncoder().encode(text);
    const t0 = performance.now();
    const s = parsePoscar(bytes, 'big');
    const ms = performance.now() - t0;
    expect(s.species.length).toBe(n);
    expect(s.frac[3 * 99_999 + 2]).toBe(Number(((99_999 * 0.732051) % 1).toFixed(16)));
    // generous bound for a loaded CI machine; typical is ~20-40 ms
    expect(ms).toBeLessThan(1000);
  });
});

describe('every coordinate row holds three numbers (issue 19.2)', () => {
  const head = 'rows\n1.0\n4 0 0\n0 4 0\n0 0 4\nLi O\n1 1\nDirect\n';
  it('a row of 2 and a row of 4 (3N numbers in all) is a ParseError at the first short row', () => {
    const e = parseErrorOf(() => parsePoscar(`${head}0.1 0.2\n0.3 0.4 0.5 0.6\n`, 'POSCAR'));
    expect(e.line).toBe(9);
    expect(e.expected).toBe('three coordinates (row 1 of 2)');
  });
  it('a row of 4 numbers after good rows is a ParseError at that row, not a label', () => {
    const e = parseErrorOf(() => parsePoscar(`${head}0.1 0.2 0.3\n0.4 0.5 0.6 0.7\n`, 'POSCAR'));
    expect(e.line).toBe(10);
    expect(e.found).toBe('"0.4 0.5 0.6 0.7"');
  });
  it('labels and selective flags still read', () => {
    const s = parsePoscar(`${head}0.1 0.2 0.3 Li\n0.4 0.5 0.6 O\n`, 'POSCAR');
    expect(Array.from(s.frac)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    const sd = parsePoscar(head.replace('Direct', 'Selective dynamics\nDirect') + '0.1 0.2 0.3 T T F\n0.4 0.5 0.6 F F F\n', 'POSCAR');
    expect(Array.from(sd.selective!)).toEqual([1, 1, 0, 0, 0, 0]);
  });
});
