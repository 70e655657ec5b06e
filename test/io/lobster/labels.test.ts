import { describe, expect, it } from 'vitest';
import { mapLabelsToStructure, parseAtomLabel, parseBondLabel } from '../../../src/io/lobster/labels.js';
import { parseIcohplist } from '../../../src/io/lobster/icohplist.js';
import { MismatchError } from '../../../src/errors.js';
import { fixture } from './helpers.js';

// species of test/fixtures/real/lobster/doscar/custodian__lobster__v51/POSCAR (lines 6-7: "Na Cl" / "4 4")
const NACL = { species: ['Na', 'Na', 'Na', 'Na', 'Cl', 'Cl', 'Cl', 'Cl'] };
const files = { labels: 'ICOHPLIST.lobster', structure: 'POSCAR' };

describe('LOBSTER labels', () => {
  it('parses bond labels of every generation', () => {
    expect(parseBondLabel('No.3:Mn1->O5(1.95)')).toMatchObject({ index: 3, length: 1.95, atoms: [{ label: 'Mn1' }, { label: 'O5' }] });
    expect(parseBondLabel('No.3:Mn1[3d_xy]->O5[2p_x](1.95)')?.orbitals).toEqual(['3d_xy', '2p_x']);
    expect(parseBondLabel('No.1:Fe1[3p_x]->Fe2[4f_y(3x^2-y^2)](2.45)')?.orbitals).toEqual(['3p_x', '4f_y(3x^2-y^2)']);
    const noLen = parseBondLabel('No.3:Mn1->O5')!;
    expect(Number.isNaN(noLen.length)).toBe(true);
    expect(parseBondLabel('Mn12->O5(1.9)')).toMatchObject({ index: undefined, atoms: [{ element: 'Mn', number: 12 }, { element: 'O', number: 5 }] });
    expect(parseBondLabel('No.1:Fe1[0 0 0]->Fe2[0 0 1]->Fe3[-1 0 0]')!.atoms.map((a) => a.translation)).toEqual([
      [0, 0, 0],
      [0, 0, 1],
      [-1, 0, 0],
    ]);
    expect(parseBondLabel('No.21:B1[0 0 0][2s]->H7[0 0 0][1s]->B2[0 0 0][2p_x]')!.orbitals).toEqual(['2s', '1s', '2p_x']);
    expect(parseBondLabel('Average')).toBeUndefined();
    expect(parseBondLabel('No.1:Xx1->O5(1.9)')).toBeUndefined();
    expect(parseAtomLabel('Co12')).toEqual({ label: 'Co12', element: 'Co', number: 12 });
  });

  it('maps ICOHPLIST atoms to structure sites (0-based)', () => {
    const l = parseIcohplist(fixture('real/lobster/icohplist/custodian__lobster__v51/ICOHPLIST.lobster'), 'ICOHPLIST.lobster');
    const labels = l.bonds.flatMap((b) => b.atoms.map((a) => a.label));
    const idx = mapLabelsToStructure(labels, NACL, files);
    expect(Array.from(idx.slice(0, 4))).toEqual([0, 4, 0, 4]);
    expect(Math.max(...idx)).toBe(7);
  });

  it('a label whose element or number does not match is a MismatchError naming both files', () => {
    expect(() => mapLabelsToStructure(['Na5'], NACL, files)).toThrow(MismatchError);
    expect(() => mapLabelsToStructure(['Na5'], NACL, files)).toThrow(/ICOHPLIST\.lobster vs POSCAR: atom Na5 is Cl in the structure/);
    expect(() => mapLabelsToStructure(['Cl9'], NACL, files)).toThrow(/structure has 8 sites/);
    expect(() => mapLabelsToStructure(['Mn1'], NACL, files)).toThrow(MismatchError);
    expect(() => mapLabelsToStructure(['foo'], NACL, files)).toThrow(MismatchError);
  });
});
