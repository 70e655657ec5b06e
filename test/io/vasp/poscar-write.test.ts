import { describe, expect, it } from 'vitest';
import { parsePoscar } from '../../../src/io/vasp/poscar.js';
import { writeExtxyz, writePoscar } from '../../../src/io/vasp/poscar-write.js';
import { fixture } from './helpers.js';

const FILES = [
  'poscar/POSCAR.Fe3O4',
  'poscar/pymatgen-test-files__top-level/POSCAR',
  'poscar/POSCAR_overlap',
  'poscar/custodian__potim/POSCAR',
  'poscar/CONTCAR.Li2O',
  'poscar/POSCAR.symbols_natoms_multilines',
  'poscar/POSCAR.Li2O',
  'poscar/POSCAR.C2.gz',
  'doscar/custodian__lobster__vasp_lobster_output/CONTCAR',
  'neb/aiida-vasp__neb/01/CONTCAR',
];

describe('writePoscar → parsePoscar round trip', () => {
  for (const file of FILES) {
    it(`${file}: exact in Direct mode`, () => {
      const a = parsePoscar(fixture(file), file);
      const text = writePoscar(a);
      const b = parsePoscar(text, 'written');
      expect(b.species).toEqual(a.species);
      expect(b.lattice).toEqual(a.lattice);
      expect(b.frac).toEqual(a.frac);
      // Cartesian input: its fractional coordinates are derived, so Cartesian from them differs in the last bit
      if (file === 'poscar/POSCAR_overlap') for (let i = 0; i < a.cart.length; i++) expect(b.cart[i]).toBeCloseTo(a.cart[i], 14);
      else expect(b.cart).toEqual(a.cart);
      expect(b.selective).toEqual(a.selective);
      expect(b.velocities).toEqual(a.velocities);
      expect(b.siteLabels).toEqual(a.siteLabels);
      expect(b.comment).toBe(a.comment);
      // writing again gives the same text: nothing drifts
      expect(writePoscar(b)).toBe(text);
    });
    it(`${file}: Cartesian mode keeps Cartesian exact`, () => {
      const a = parsePoscar(fixture(file), file);
      const b = parsePoscar(writePoscar(a, { direct: false }), 'written');
      expect(b.cart).toEqual(a.cart);
      for (let i = 0; i < a.frac.length; i++) expect(b.frac[i]).toBeCloseTo(a.frac[i], 13);
    });
  }

  it('writes the VASP 5 layout with clean symbols and the selective block', () => {
    const s = parsePoscar('t\n1\n3 0 0\n0 3 0\n0 0 3\nMn_pv Li_sv/7a8b\n1 1\nSelective dynamics\nDirect\n0 0 0 T F T\n0.5 0.5 0.5 F F F\n', 'p');
    const lines = writePoscar(s).split('\n');
    expect(lines[5].trim().split(/\s+/)).toEqual(['Mn', 'Li']);
    expect(lines[6].trim().split(/\s+/)).toEqual(['1', '1']);
    expect(lines[7]).toBe('Selective dynamics');
    expect(lines[8]).toBe('Direct');
    expect(lines[9].trim().split(/\s+/)).toEqual(['0.0000000000000000', '0.0000000000000000', '0.0000000000000000', 'T', 'F', 'T']);
  });

  it('a value that 16 decimals cannot hold is written with 17 significant digits', () => {
    const s = parsePoscar('t\n1\n3 0 0\n0 3 0\n0 0 3\nLi\n1\nDirect\n1e-20 0.1 0.30000000000000004\n', 'p');
    const b = parsePoscar(writePoscar(s), 'w');
    expect(Array.from(b.frac)).toEqual([1e-20, 0.1, 0.30000000000000004]);
  });
});

describe('writeExtxyz', () => {
  it('writes Lattice, Properties and Cartesian rows per frame', () => {
    const s = parsePoscar(fixture('poscar/POSCAR_overlap'), 'POSCAR_overlap');
    const lines = writeExtxyz([s, s]).trimEnd().split('\n');
    expect(lines.length).toBe(8);
    expect(lines[0]).toBe('2');
    expect(lines[1]).toMatch(/^Lattice="0\.0+ 1\.78499999999999\d* /);
    expect(lines[1]).toContain('Properties=species:S:1:pos:R:3 pbc="T T T"');
    const row = lines[2].trim().split(/\s+/);
    expect(row[0]).toBe('B');
    expect(Number(row[1])).toBe(0.4459613248654051);
  });

  it('adds velocities and move_mask columns when present', () => {
    const s = parsePoscar(fixture('poscar/custodian__potim/POSCAR'), 'POSCAR');
    const lines = writeExtxyz(s).split('\n');
    expect(lines[1]).toContain('Properties=species:S:1:pos:R:3:move_mask:L:3');
    expect(lines[2].trim().split(/\s+/).slice(4)).toEqual(['T', 'T', 'T']);
    const v = parsePoscar(fixture('poscar/CONTCAR.Li2O'), 'CONTCAR');
    expect(writeExtxyz(v).split('\n')[1]).toContain('pos:R:3:vel:R:3');
  });
});
