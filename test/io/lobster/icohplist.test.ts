import { describe, expect, it } from 'vitest';
import { parseIcohplist, readIcohplist } from '../../../src/io/lobster/icohplist.js';
import { fromBytes } from '../../../src/io/source.js';
import { ParseError } from '../../../src/errors.js';
import { fixture, fixtureText } from './helpers.js';

const R = 'real/lobster/icohplist/';
const read = (f: string) => parseIcohplist(fixture(R + f), f);

describe('ICOHPLIST.lobster (LOBSTER ≤ 2.2 layout, spin blocks)', () => {
  const l = read('ICOHPLIST.lobster');

  it('detects the layout from the header and merges the spin-2 block', () => {
    expect([l.kind, l.layout, l.nspin, l.orbitalResolved, l.bonds.length]).toEqual(['cohp', 'lobster-2', 2, false, 2]);
  });

  it('keeps values per spin, their sum and the averaging count', () => {
    // file text: spin 1 "1 Fe8 Fe7 2.83189 -0.10218 2", spin 2 "1 Fe8 Fe7 2.83189 -0.19701 2";
    // pymatgen Icohplist bond 2: icohp {up: -0.28485, down: -0.58279}, length 2.45249
    expect(l.bonds[0]).toMatchObject({ index: 1, label: 'Fe8->Fe7', length: 2.83189, values: [-0.10218, -0.19701], nBondsAveraged: 2 });
    expect(l.bonds[0].summed).toBeCloseTo(-0.29919, 12);
    expect(l.bonds[1]).toMatchObject({ values: [-0.28485, -0.58279], length: 2.45249, nBondsAveraged: 1 });
    expect(l.bonds[0].translation).toBeUndefined();
  });

  it('the gzip copy holds the same content', () => {
    expect(read('ICOHPLIST.lobster.gz')).toEqual(l);
  });

  it('ICOOPLIST in the same layout is a coop list', () => {
    const c = read('ICOOPLIST.lobster');
    expect([c.kind, c.layout, c.nspin]).toEqual(['coop', 'lobster-2', 2]);
    expect(c.bonds[1].values).toEqual([-0.04087, -0.05756]);
  });
});

describe('LOBSTER 3/4 layout', () => {
  it('KF_nospin: 6 bonds with translations', () => {
    const l = read('ICOHPLIST.lobster.KF_nospin');
    expect([l.layout, l.nspin, l.bonds.length]).toEqual(['lobster-3-4', 1, 6]);
    // pymatgen: bond 6 translation [-1, 0, 0], icohp -0.40075, length 2.71199
    expect(l.bonds[5]).toMatchObject({ index: 6, translation: [-1, 0, 0], values: [-0.40075], length: 2.71199 });
    expect(l.bonds[2].values).toEqual([-0.40079]);
  });

  it('ICOBILIST.lobster (orbital-wise, in depth): 2 bonds, 36 orbital parts each', () => {
    const l = read('ICOBILIST.lobster');
    expect([l.kind, l.layout, l.orbitalResolved, l.bonds.length]).toEqual(['cobi', 'lobster-3-4', true, 2]);
    const [b1, b2] = l.bonds;
    expect(b1).toMatchObject({ index: 1, label: 'O5->Ta2', translation: [0, 0, -1], values: [0.58649], length: 1.99474 });
    expect(b1.atoms.map((a) => [a.element, a.number])).toEqual([
      ['O', 5],
      ['Ta', 2],
    ]);
    expect(b1.parts).toHaveLength(36);
    expect(b2.parts).toHaveLength(36);
    expect(b1.parts[0]).toEqual({ orbitals: ['2s', '6s'], values: [0.0494] });
    expect(b1.parts[19]).toEqual({ orbitals: ['2p_x', '5d_xy'], values: [0.1164] });
    expect(b1.parts[33]).toEqual({ orbitals: ['2p_y', '5d_x^2-y^2'], values: [0.13926] });
    // orbital parts sum to the bond value within the printed precision (36 values of 5 decimals)
    const sum = b1.parts.reduce((a, p) => a + p.values[0], 0);
    expect(Math.abs(sum - b1.values[0])).toBeLessThan(36 * 0.5e-5);
    expect(b2.translation).toEqual([0, 0, 0]);
  });

  it('ICOBILIST.lobster.withoutorbitals: the same bonds without parts', () => {
    const l = read('ICOBILIST.lobster.withoutorbitals');
    expect([l.orbitalResolved, l.bonds.length, l.bonds[1].values[0], l.bonds[1].parts.length]).toEqual([false, 2, 0.58649, 0]);
    expect(l.bonds.map((b) => b.translation)).toEqual(read('ICOBILIST.lobster').bonds.map((b) => b.translation));
  });

  it('ICOHPLIST.lobster.NaCl.gz: 50 pairs with 16 orbital lines each', () => {
    const l = read('ICOHPLIST.lobster.NaCl.gz');
    expect([l.layout, l.nspin, l.orbitalResolved, l.bonds.length]).toEqual(['lobster-3-4', 1, true, 50]);
    expect(l.bonds.every((b) => b.parts.length === 16)).toBe(true);
    expect(l.bonds[0]).toMatchObject({ label: 'Na1->Na1', translation: [1, -1, -1], values: [-0.00034], length: 5.69169 });
    // last line of the file: "50 Cl2_3p_x Cl2_3p_x 5.69169 -1 1 1 -0.00491"
    expect(l.bonds[49].parts[15]).toEqual({ orbitals: ['3p_x', '3p_x'], values: [-0.00491] });
  });

  it('custodian spin-polarised orbital-wise list: 146 bonds, spin 2 from the second block', () => {
    const l = read('custodian__lobster__vasp_lobster_output/ICOHPLIST.lobster');
    expect([l.layout, l.nspin, l.orbitalResolved, l.bonds.length]).toEqual(['lobster-3-4', 2, true, 146]);
    // pymatgen Icohplist: 146 bonds; bond 146 length 5.77484, translation [0, 0, 2], icohp up/down -3e-05
    expect(l.bonds[145]).toMatchObject({ index: 146, length: 5.77484, translation: [0, 0, 2], values: [-0.00003, -0.00003] });
    expect(l.bonds[0].parts[0].values).toHaveLength(2);
  });
});

describe('LOBSTER 5.1 layout (two-line header; pymatgen 2022.11 cannot read it, checked by hand)', () => {
  it('ICOHPLIST: 24 Na–Cl bonds, 16 orbital parts each, missing final newline', () => {
    expect(fixtureText(R + 'custodian__lobster__v51/ICOHPLIST.lobster').endsWith('\n')).toBe(false);
    const l = read('custodian__lobster__v51/ICOHPLIST.lobster');
    expect([l.kind, l.layout, l.nspin, l.orbitalResolved, l.bonds.length]).toEqual(['cohp', 'lobster-5-spin-row', 1, true, 24]);
    expect(l.bonds.every((b) => b.parts.length === 16 && b.atoms[0].element === 'Na' && b.atoms[1].element === 'Cl')).toBe(true);
    // lines 3-4: "1 Na1 Cl5 2.84731 0 -1 0 -0.56501", "1 Na1_3s Cl5_3s … -0.32461"
    expect(l.bonds[0]).toMatchObject({ translation: [0, -1, 0], values: [-0.56501], length: 2.84731 });
    expect(l.bonds[0].parts[0]).toEqual({ orbitals: ['3s', '3s'], values: [-0.32461] });
    // bonds 3 and 4 (by hand): -0.56500 and -0.56502; last line "24 Na4_2p_x Cl8_3p_x … 0.00014"
    expect([l.bonds[2].values[0], l.bonds[3].values[0]]).toEqual([-0.565, -0.56502]);
    expect(l.bonds[23].parts[15]).toEqual({ orbitals: ['2p_x', '3p_x'], values: [0.00014] });
  });

  it('ICOBILIST 5.1: 24 bonds', () => {
    const l = read('custodian__lobster__v51/ICOBILIST.lobster');
    expect([l.kind, l.layout, l.bonds.length, l.bonds[0].values[0]]).toEqual(['cobi', 'lobster-5-spin-row', 24, 0.08473]);
  });

  it('spin-polarised 5.1 rows carry both spins (lines from pymatgen test ICOHPLIST_511_sp.lobster.AlN)', () => {
    const text = [
      '  COHP#    atomMU    atomNU   distance   translation   ICOHP (at) eF    ICOHP (at) eF ',
      '                                                          for spin 1       for spin 2 ',
      '      1       Al1       Al1    3.12859    -1  -1   0        -0.21490         -0.21497 ',
      '      1    Al1_3s    Al1_3s    3.12859    -1  -1   0        -0.00181         -0.00181 ',
      '      2       Al1       Al2    3.09114     0  -1  -1        -0.20710         -0.20742 ',
    ].join('\n');
    const l = parseIcohplist(text, 'AlN');
    expect([l.layout, l.nspin, l.bonds.length]).toEqual(['lobster-5-spin-row', 2, 2]);
    expect(l.bonds[0].values).toEqual([-0.2149, -0.21497]);
    expect(l.bonds[0].summed).toBeCloseTo(-0.42987, 12);
    expect(l.bonds[0].parts[0].values).toEqual([-0.00181, -0.00181]);
    expect(l.bonds[1]).toMatchObject({ label: 'Al1->Al2', translation: [0, -1, -1] });
  });
});

describe('multi-centre ICOBI lines (hand-made, see test/fixtures/lobster/README.md)', () => {
  it('keeps the atom chain with cells and its orbital line', () => {
    const l = parseIcohplist(fixture('lobster/ICOBILIST.multicentre.lobster'), 'ICOBILIST.multicentre.lobster');
    expect(l.bonds).toHaveLength(2);
    const m = l.bonds[1];
    expect(m.multiCentre).toBe(true);
    expect(m.atoms.map((a) => [a.label, a.translation])).toEqual([
      ['B1', [0, 0, 0]],
      ['H7', [0, 0, 0]],
      ['B2', [0, 0, 1]],
    ]);
    expect(m.values).toEqual([0.6]);
    expect(Number.isNaN(m.length)).toBe(true);
    expect(m.parts).toEqual([{ orbitals: ['2s', '1s', '2s'], values: [0.05] }]);
  });
});

describe('bad ICOHPLIST files', () => {
  const text = fixtureText(R + 'custodian__lobster__vasp_lobster_output/ICOHPLIST.lobster');

  it('a copy cut inside the spin-2 block is a ParseError (rows no longer pair up)', () => {
    const cut = text.slice(0, Math.floor(text.length * 0.8));
    expect(() => parseIcohplist(cut, 'cut')).toThrow(ParseError);
  });

  it('a line cut mid-row is a ParseError naming the column count', () => {
    const t = fixtureText(R + 'ICOHPLIST.lobster.KF_nospin');
    const cut = t.slice(0, t.indexOf('-0.40079') - 3);
    expect(() => parseIcohplist(cut, 'cut')).toThrow(/cut:4: expected 8 columns/);
  });

  it('a header alone, an empty file, a non-number value are ParseErrors', () => {
    const t = fixtureText(R + 'ICOHPLIST.lobster.KF_nospin');
    expect(() => parseIcohplist(t.split('\n')[0], 'h')).toThrow(ParseError);
    expect(() => parseIcohplist('', 'e')).toThrow(ParseError);
    expect(() => parseIcohplist(t.replace('-0.40075', '*******'), 'n')).toThrow(/n:2:\d+: expected a number/);
  });

  it('an orbital line whose bond number differs from the bond above is an error', () => {
    const t = fixtureText(R + 'ICOBILIST.lobster').replace('      1        O5_2s       Ta2_6s', '      7        O5_2s       Ta2_6s');
    expect(() => parseIcohplist(t, 'o')).toThrow(ParseError);
  });

  it('reads through a ByteSource', async () => {
    const l = await readIcohplist(fromBytes('x', fixture(R + 'ICOHPLIST.lobster.KF_nospin')));
    expect(l.bonds).toHaveLength(6);
  });
});

describe('streamed ICOHPLIST (read line by line; orbital parts kept in typed arrays until asked for)', () => {
  const plain = (l: ReturnType<typeof parseIcohplist>) => JSON.parse(JSON.stringify(l));

  it.each(['ICOBILIST.lobster', 'ICOHPLIST.lobster.gz', 'custodian__lobster__vasp_lobster_output/ICOHPLIST.lobster', 'custodian__lobster__v51/ICOHPLIST.lobster'])(
    '%s: chunks of 1..61 bytes give the list of one buffer, parts included',
    async (f) => {
      const whole = plain(read(f));
      for (const size of [1, 2, 7, 61]) expect(plain(await readIcohplist(fromBytes(f, fixture(R + f), size)))).toEqual(whole);
    },
  );

  it('JSON keeps the orbital parts, with both spins of a spin-block file', () => {
    // custodian file, first orbital line of bond 1 in each spin block, read by hand
    const l = read('custodian__lobster__vasp_lobster_output/ICOHPLIST.lobster');
    const j = plain(l);
    expect(j.bonds[0].parts).toHaveLength(l.bonds[0].parts.length);
    expect(j.bonds[0].parts[0]).toEqual(JSON.parse(JSON.stringify(l.bonds[0].parts[0])));
    expect(l.bonds[0].summed).toBeCloseTo(l.bonds[0].values[0] + l.bonds[0].values[1], 12);
  });

  it('a spin-2 block longer than spin 1 is a ParseError at the extra line', () => {
    const t = fixtureText(R + 'ICOHPLIST.lobster');
    const lines = t.trimEnd().split('\n');
    const extra = `${t.trimEnd()}\n${lines[lines.length - 1]}\n`;
    expect(() => parseIcohplist(extra, 'x')).toThrow(/spin-2 block.*line 3|line 3/);
  });

  it('multi-centre bonds over the same atoms in other cells keep their own cells', () => {
    const t = [
      '  COBI#       atomMU       atomNU     distance     translation      ICOBI (at) eF   for spin  1',
      '    1  3  0.10000  Fe1[0 0 0]->Fe2[0 0 1]->Fe3[0 1 0]',
      '    2  3  0.20000  Fe1[0 0 0]->Fe2[1 0 0]->Fe3[0 1 0]',
    ].join('\n');
    const l = parseIcohplist(t, 'm');
    expect(l.bonds.map((b) => b.atoms[1].translation)).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(l.bonds[0].label).toBe(l.bonds[1].label);
  });
});
