import { describe, expect, it } from 'vitest';
import { parseDoscarLobster, readDoscarLobster } from '../../../src/io/lobster/doscar-lobster.js';
import { fromBytes } from '../../../src/io/source.js';
import { ParseError } from '../../../src/errors.js';
import { pdosChannel, relativeEnergies } from '../../../src/model/dos.js';
import { fixture, fixtureText } from './helpers.js';

const R = 'real/lobster/doscar/';

describe('DOSCAR.lobster.spin (KF, spin-polarised)', () => {
  const d = parseDoscarLobster(fixture(R + 'pymatgen-test-files__KF-spin/DOSCAR.lobster.spin'), 'DOSCAR.lobster.spin');

  it('reads header, spin from the 5-column total block, E_F from line 6, energies already relative', () => {
    expect([d.source, d.nspin, d.nedos, d.nSites, d.energyZero]).toEqual(['doscar-lobster', 2, 6, 2, 'fermi']);
    expect(d.efermi).toBe(-2.89003003);
    // pymatgen Doscar energies
    expect(Array.from(d.energies)).toEqual([-11.25, -7.5, -3.75, 0, 3.75, 7.5]);
    expect(relativeEnergies(d)).toBe(d.energies);
  });

  it('maps Z= to the species and keeps the per-atom orbital names', () => {
    expect(d.species).toEqual(['F', 'K']);
    expect(d.orbitals).toEqual([
      ['2s', '2p_y', '2p_z', '2p_x'],
      ['3s', '4s', '3p_y', '3p_z', '3p_x'],
    ]);
    expect(Array.from(d.orbitalOffset)).toEqual([0, 4, 9]);
  });

  it('total and integrated DOS per spin (pymatgen tdensities[down])', () => {
    expect(Array.from(d.total.subarray(6, 12))).toEqual([0, 0.79999, 0, 0.79999, 0, 0.02586]);
    expect(d.integrated![5]).toBe(8.0965);
    expect(d.integrated![11]).toBe(8.09685);
  });

  it('projected channels interleave spins per orbital (pymatgen pdos[1]["3p_x"][down])', () => {
    expect(Array.from(pdosChannel(d, 1, 4, 1))).toEqual([0, 0.26446, 0, 0.00172, 0, 0]);
    // F 2p_y: file row 4 of atom 1 "0.00000 0.00011 0.00011 0.25801 0.25819 …"
    expect(pdosChannel(d, 0, 1, 0)[3]).toBe(0.25801);
    expect(pdosChannel(d, 0, 1, 1)[3]).toBe(0.25819);
    expect(pdosChannel(d, 1, 1, 0)[5]).toBe(0.02411);
  });

  it('streams to the same result in small chunks', async () => {
    const s = await readDoscarLobster(fromBytes('x', fixture(R + 'pymatgen-test-files__KF-spin/DOSCAR.lobster.spin'), 61));
    expect(Array.from(s.pdos!)).toEqual(Array.from(d.pdos!));
    expect(s.orbitals).toEqual(d.orbitals);
  });
});

describe('DOSCAR.lobster.nonspinzip.gz (KF, non-spin)', () => {
  it('reads 3-column totals and 1 column per orbital', () => {
    const d = parseDoscarLobster(fixture(R + 'pymatgen-test-files__KF-nonspin-gz/DOSCAR.lobster.nonspinzip.gz'), 'x');
    expect([d.nspin, d.nedos, d.nSites, d.efermi]).toEqual([1, 6, 2, -2.87474583]);
    // total block rows 7-12 of the file: "7.50000   0.02418  16.09067" is the last
    expect(Array.from(d.total)).toEqual([0, 1.6, 0, 1.6, 0, 0.02418]);
    expect(d.integrated![5]).toBe(16.09067);
    expect(d.integrated![1]).toBe(10);
    expect(d.pdos!.length).toBe(9 * 6);
  });
});

describe('LOBSTER 5.1.1 DOSCAR.lobster and DOSCAR.LSO.lobster (NaCl)', () => {
  for (const f of ['DOSCAR.lobster', 'DOSCAR.LSO.lobster']) {
    it(`${f}: 8 atoms, Z 11 / 17, 11 energies, values from the file text`, () => {
      expect(fixtureText(R + 'custodian__lobster__v51/' + f).endsWith('\n')).toBe(true);
      const d = parseDoscarLobster(fixture(R + 'custodian__lobster__v51/' + f), f);
      expect([d.nspin, d.nedos, d.nSites, d.efermi]).toEqual([1, 11, 8, -0.89230356]);
      expect(d.species).toEqual(['Na', 'Na', 'Na', 'Na', 'Cl', 'Cl', 'Cl', 'Cl']);
      expect(d.orbitals[0]).toEqual(['3s', '2p_y', '2p_z', '2p_x']);
      expect(d.orbitals[4]).toEqual(['3s', '3p_y', '3p_z', '3p_x']);
      expect(d.integrated![0]).toBe(31.99992);
      // atom 1 row 5 "-0.88889 0.15212 0.00050 0.00052 0.00052"; atom 5 row 6 "0.00000 0.00124 1.47215 1.47905 1.46862"
      expect(pdosChannel(d, 0, 0, 0)[4]).toBe(0.15212);
      expect(pdosChannel(d, 4, 2, 0)[5]).toBe(1.47905);
    });
  }
});

describe('bad DOSCAR.lobster files', () => {
  const text = fixtureText(R + 'pymatgen-test-files__KF-spin/DOSCAR.lobster.spin');

  it('a copy cut inside an atom block is a ParseError', () => {
    expect(() => parseDoscarLobster(text.slice(0, text.length - 200), 'cut')).toThrow(ParseError);
  });

  it('a copy cut between blocks (missing atom) is a ParseError naming the atom', () => {
    const cut = text.slice(0, text.indexOf('      7.50000000     -11.25000000     6      -2.89003003       1.00000000; Z= 19'));
    expect(() => parseDoscarLobster(cut, 'cut')).toThrow(/atom 2 of 2/);
  });

  it('an atom header without Z= / orbitals, or a wrong column count, is a ParseError', () => {
    expect(() => parseDoscarLobster(text.replace('; Z=  9; 2s 2p_y 2p_z 2p_x', ''), 'h')).toThrow(ParseError);
    expect(() => parseDoscarLobster(text.replace('Z=  9; 2s 2p_y 2p_z 2p_x', 'Z=  9; 2s 2p_y 2p_z'), 'h')).toThrow(ParseError);
  });

  it('the streaming reader fails on the cut copy too', async () => {
    await expect(readDoscarLobster(fromBytes('cut', text.slice(0, text.length - 200), 50))).rejects.toThrow(ParseError);
  });
});
