import { describe, expect, it } from 'vitest';
import { parseAcf } from '../../../src/io/bader/acf.js';
import { parseGrossPop } from '../../../src/io/lobster/grosspop.js';
import { parseMadelungEnergies, parseSitePotentials } from '../../../src/io/lobster/sitepotentials.js';
import { parseMagnetization, readMagnetization } from '../../../src/io/vasp/magnetization.js';
import { readZval } from '../../../src/io/vasp/zval.js';
import { fromBytes } from '../../../src/io/source.js';
import { ParseError } from '../../../src/errors.js';
import { fixture, fixtureText } from '../lobster/helpers.js';

describe('Bader ACF.dat', () => {
  it('the constructed K4Sn4O6 file: rows, footer, as pymatgen bader_caller parses it', () => {
    const a = parseAcf(fixture('sites/ACF.dat'), 'ACF.dat');
    // pymatgen 2022.11 BaderAnalysis (its ACF.dat parser, run with a stand-in `bader` that leaves this file):
    // get_charge(0..13) = [8.1712, 8.1705, 8.1698, 8.1721, 12.9001, 12.9013, 12.8987, 12.902, 7.3312, …, 7.3309];
    // data[0] = {x: 0.0771, y: -0.0771, z: 4.1801, charge: 8.1712, min_dist: 1.35, atomic_vol: 25.1}; nelectrons 128.2672
    expect(a.electrons.length).toBe(14);
    expect(Array.from(a.electrons.slice(0, 5))).toEqual([8.1712, 8.1705, 8.1698, 8.1721, 12.9001]);
    expect(a.electrons[13]).toBe(7.3309);
    expect(Array.from(a.cart.slice(0, 3))).toEqual([0.0771, -0.0771, 4.1801]);
    expect([a.minDist[0], a.volume[0]]).toEqual([1.35, 25.1]);
    expect([a.vacuumCharge, a.vacuumVolume, a.totalElectrons]).toEqual([0, 0, 128.2672]);
  });

  it('the layout without ATOMIC VOL (bader < 0.95): volumes NaN, only NUMBER OF ELECTRONS in the footer', () => {
    const a = parseAcf(fixture('sites/ACF.dat.novolume'), 'ACF.dat');
    expect(a.electrons[8]).toBe(7.3312);
    expect(Number.isNaN(a.volume[0])).toBe(true);
    expect(Number.isNaN(a.vacuumCharge)).toBe(true);
    expect(a.totalElectrons).toBe(128.2672);
  });

  it('bad rows and headers are ParseErrors with the line', () => {
    const text = fixtureText('sites/ACF.dat');
    expect(() => parseAcf(text.replace('    3 ', '    4 '), 'ACF.dat')).toThrow(/ACF.dat:5: expected atom row 3/);
    expect(() => parseAcf(text.replace('12.9001', '12.9x01'), 'ACF.dat')).toThrow(ParseError);
    expect(() => parseAcf('hello\n', 'ACF.dat')).toThrow(/ACF.dat:1: expected the ACF.dat header/);
    expect(() => parseAcf(text.split('\n').slice(0, 2).join('\n'), 'ACF.dat')).toThrow(/at least one atom row/);
    expect(() => parseAcf(text.replace('VACUUM VOLUME:               0.0000', 'VACUUM VOLUME: lots'), 'ACF.dat')).toThrow(/footer line/);
  });
});

describe('SitePotentials.lobster and MadelungEnergies.lobster (constructed from the layout pymatgen reads)', () => {
  it('site potentials, Madelung energies and the Ewald splitting, as pymatgen SitePotential reads them', () => {
    const s = parseSitePotentials(fixture('sites/SitePotentials.lobster'), 'SitePotentials.lobster');
    // pymatgen 2022.11 SitePotential: atomlist ['Sr1','Ti2','O3','O4','O5'], Mulliken [-11.54,-31.77,18.87,18.87,18.86],
    // Loewdin [-9.89,-26.27,16.23,16.23,16.22], madelungenergies -40.42 / -29.99, ewald_splitting 3.14
    expect(s.labels).toEqual(['Sr1', 'Ti2', 'O3', 'O4', 'O5']);
    expect(Array.from(s.mulliken)).toEqual([-11.54, -31.77, 18.87, 18.87, 18.86]);
    expect(Array.from(s.loewdin)).toEqual([-9.89, -26.27, 16.23, 16.23, 16.22]);
    expect([s.madelungMulliken, s.madelungLoewdin, s.ewaldSplitting]).toEqual([-40.42, -29.99, 3.14]);
  });

  it('MadelungEnergies.lobster, as pymatgen MadelungEnergies reads it', () => {
    // pymatgen: ewald_splitting 3.14, madelungenergies_Mulliken -40.42, _Loewdin -29.99
    expect(parseMadelungEnergies(fixture('sites/MadelungEnergies.lobster'), 'M')).toEqual({ ewaldSplitting: 3.14, mulliken: -40.42, loewdin: -29.99 });
  });

  it('bad files are ParseErrors', () => {
    const t = fixtureText('sites/SitePotentials.lobster');
    expect(() => parseSitePotentials(t.replace('      2     Ti', '      3     Ti'), 'SP')).toThrow(/SP:7: expected atom row 2/);
    expect(() => parseSitePotentials(t.replace('-31.77', 'abc'), 'SP')).toThrow(ParseError);
    expect(() => parseSitePotentials('nothing here\n', 'SP')).toThrow(/expected the SitePotentials.lobster title/);
    expect(() => parseMadelungEnergies('Madelung energies\n 1 2\n', 'M')).toThrow(/3 numbers/);
    expect(() => parseMadelungEnergies('Madelung energies\n', 'M')).toThrow(/EwaldSplitting Mulliken Loewdin/);
  });
});

describe('GROSSPOP.lobster (pymatgen test files, MIT)', () => {
  it('non-spin SiO2: orbitals and totals as pymatgen Grosspop reads them', () => {
    const g = parseGrossPop(fixture('sites/pymatgen/GROSSPOP.lobster'), 'G');
    // pymatgen 2022.11 Grosspop: 9 atoms; atom 4 (O): Mulliken 2s 1.8, 2p_y 1.77, 2p_z 1.79, 2p_x 1.82, total 7.18;
    // Loewdin 1.6, 1.75, 1.77, 1.8, 6.92
    expect(g.nspin).toBe(1);
    expect(g.labels).toEqual(['Si1', 'Si2', 'Si3', 'O4', 'O5', 'O6', 'O7', 'O8', 'O9']);
    expect(g.mulliken[3]).toEqual({ '2s': [1.8], '2p_y': [1.77], '2p_z': [1.79], '2p_x': [1.82], total: [7.18] });
    expect(g.loewdin[3]).toEqual({ '2s': [1.6], '2p_y': [1.75], '2p_z': [1.77], '2p_x': [1.8], total: [6.92] });
    expect(g.mulliken[2]['3p_y']).toEqual([0.37]);
  });

  it('LOBSTER 5.1.1 spin-polarised AlN: two columns each (pymatgen 2022.11 cannot read it; values by hand from the file)', () => {
    const g = parseGrossPop(fixture('sites/pymatgen/GROSSPOP_511_sp.lobster.AlN'), 'G');
    expect(g.nspin).toBe(2);
    expect(g.elements).toEqual(['Al', 'Al', 'N', 'N']);
    expect(g.mulliken[0].total).toEqual([0.87, 0.87]);
    expect(g.loewdin[2]).toEqual({ '2s': [0.7, 0.7], '2p_y': [0.77, 0.77], '2p_z': [0.77, 0.77], '2p_x': [0.77, 0.77], total: [3.01, 3.01] });
  });

  it('an atom without its total row is an error', () => {
    const t = fixtureText('sites/pymatgen/GROSSPOP.lobster');
    const cut = t.split('\n').filter((l, i) => !(i === 7)).join('\n');
    expect(() => parseGrossPop(cut, 'G')).toThrow(/G:9: expected a `total` row closing atom 1/);
    expect(() => parseGrossPop(t.replace('          0.38            0.52', '          0.38'), 'G')).toThrow(/2 populations after 3p_y/);
  });
});

describe('OUTCAR magnetization (x)', () => {
  it('static Si (VASP 5.2, ISPIN 2), moments edited into the real file: the last table, as pymatgen Outcar.magnetization', async () => {
    const m = await readMagnetization(fromBytes('OUTCAR', fixture('sites/OUTCAR.Si-moments-edited'), 4096));
    // pymatgen 2022.11 Outcar(...).magnetization: ({s: 0.012, p: 0.034, d: 0.001, tot: 0.047}, {s: -0.01, p: -0.031, d: -0.001, tot: -0.042})
    expect(m.columns).toEqual(['s', 'p', 'd', 'tot']);
    expect(m.tables).toBe(2);
    expect(m.line).toBe(1508);
    expect(m.components.x!.map((r) => Array.from(r))).toEqual([[0.012, 0.034, 0.001, 0.047], [-0.01, -0.031, -0.001, -0.042]]);
    expect(m.components.y).toBeUndefined();
  });

  it('VASP 6.3 (f column, 10 ions) and the spin-orbit NiO (x, y, z tables)', async () => {
    const v6 = parseMagnetization(fixtureText('real/vasp/outcar/outcar_vasp_6.3.gz'), 'OUTCAR');
    // pymatgen: 10 ions, keys s p d f tot, all −0.0/0.0
    expect(v6.columns).toEqual(['s', 'p', 'd', 'f', 'tot']);
    expect(v6.components.x!.length).toBe(10);
    expect(v6.components.x!.every((r) => r.every((x) => x === 0))).toBe(true);
    const nio = parseMagnetization(fixtureText('real/vasp/outcar/OUTCAR.NiO_SOC.gz'), 'OUTCAR');
    // pymatgen Outcar.magnetization (non-collinear, Magmom vectors): tot of ions 1..4 = (0, −0, 1.671), (−0, −0, −1.671), (0, −0, 0), (…, 0)
    // and d of ion 1 = (0, −0, 1.674)
    const tot = (c: 'x' | 'y' | 'z') => nio.components[c]!.map((r) => r[3]);
    expect(tot('z').map((v) => v + 0)).toEqual([1.671, -1.671, 0, 0]);
    expect(tot('x').map(Math.abs)).toEqual([0, 0, 0, 0]);
    expect(tot('y').map(Math.abs)).toEqual([0, 0, 0, 0]);
    expect(nio.components.z![0][2]).toBe(1.674);
  });

  it('an ISPIN = 1 OUTCAR has no table; a broken row is a ParseError', () => {
    expect(parseMagnetization(fixtureText('real/vasp/outcar/OUTCAR_merged_numbers'), 'OUTCAR').tables).toBe(0);
    const t = fixtureText('sites/OUTCAR.Si-moments-edited').replace('  2       -0.010  -0.031  -0.001  -0.042', '  2       -0.010  -0.031');
    expect(() => parseMagnetization(t, 'OUTCAR')).toThrow(/OUTCAR:1513: expected ion row 2 with 4 values/);
  });
});

describe('ZVAL from POTCAR and OUTCAR', () => {
  it('each TITEL with its ZVAL, in POTCAR order', async () => {
    // VASP 6.3 OUTCAR lines 42/46, 117/121, 182/186: PAW_PBE La / Ga_d / O, ZVAL 11, 13, 6
    const v = await readZval(fromBytes('OUTCAR', fixture('real/vasp/outcar/outcar_vasp_6.3.gz'), 1 << 12));
    expect(v.map((x) => [x.element, x.zval])).toEqual([['La', 11], ['Ga', 13], ['O', 6]]);
    const p = await readZval(fromBytes('POTCAR', fixture('sites/POTCAR.headers')));
    expect(p.map((x) => [x.titel, x.zval])).toEqual([['PAW_PBE K_sv 06Sep2000', 9], ['PAW_PBE Sn_d 06Sep2000', 14], ['PAW_PBE O 08Apr2002', 6]]);
  });
});
