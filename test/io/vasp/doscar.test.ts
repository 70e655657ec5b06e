import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDoscar, readDoscar } from '../../../src/io/vasp/doscar.js';
import { parseVasprun } from '../../../src/io/vasp/vasprun.js';
import { fromBytes } from '../../../src/io/source.js';
import { pdosChannel } from '../../../src/model/dos.js';
import { MismatchError, ParseError } from '../../../src/errors.js';

const DIR = join(__dirname, '../../fixtures/real/vasp/doscar');
/** b without the bytes [p, q) */
const cutOut = (b: Uint8Array, p: number, q: number): Uint8Array => {
  const x = new Uint8Array(b.length - (q - p));
  x.set(b.subarray(0, p));
  x.set(b.subarray(q), p);
  return x;
};
const load = (p: string) => readFileSync(join(DIR, p));
const read = (p: string, o = {}) => parseDoscar(load(p), p, o);

/**
 * Expected values are read by hand from the file text: line 1 (NIONS, flag), line 6 (EMAX EMIN NEDOS EFERMI),
 * the middle total-DOS row (line 7 + NEDOS/2) and the middle row of ion 1's block (line 8 + NEDOS + NEDOS/2).
 */
const CASES: {
  file: string;
  nions: number;
  nedos: number;
  efermi: number;
  nspin: 1 | 2;
  noncollinear: boolean;
  layout?: string;
  norb: number;
  mid: number[]; // the middle total row: E, DOS (up[, down]), IDOS…
  pdosMid?: number[]; // ion 1, middle row, the first four data columns
}[] = [
  { file: 'aiida-vasp__basic_run/DOSCAR', nions: 8, nedos: 301, efermi: 4.29634683, nspin: 1, noncollinear: false, layout: 'lm-nonspin', norb: 9, mid: [1.511, 9.461, 58.21], pdosMid: [0.07755, 0.1224, 0.1226, 0.113] },
  { file: 'aiida-vasp__born_effective_charge/DOSCAR', nions: 26, nedos: 301, efermi: 2.91856759, nspin: 1, noncollinear: false, norb: 0, mid: [-1.785, 26.11, 120.5] },
  { file: 'aiida-vasp__doscar-ncl/DOSCAR.ncl', nions: 2, nedos: 301, efermi: 5.36269724, nspin: 1, noncollinear: true, layout: 'lm-noncollinear', norb: 9, mid: [7.402, 0.7094, 8.345], pdosMid: [0.04222, 0.4674e-6, -0.2398e-4, 0.2253e-7] },
  { file: 'aiida-vasp__doscar-spin/DOSCAR.spin', nions: 2, nedos: 301, efermi: 5.34988354, nspin: 2, noncollinear: false, layout: 'lm-spin', norb: 9, mid: [5.146, 0.08651, 0.08652, 3.98, 3.98], pdosMid: [0.5204e-3, 0.5203e-3, 0.631e-2, 0.6272e-2] },
  { file: 'aiida-vasp__doscar/DOSCAR', nions: 4, nedos: 10, efermi: 7.29482275, nspin: 1, noncollinear: false, layout: 'lm-nonspin', norb: 9, mid: [6.066, -0.2412e-14, 8], pdosMid: [-0.587e-16, -0.2973e-16, -0.2973e-16, -0.2973e-16] },
  { file: 'aiida-vasp__ionic-relax-magmom-carry-on__calc-000/DOSCAR', nions: 1, nedos: 301, efermi: 0.6002684, nspin: 2, noncollinear: false, layout: 'l-spin', norb: 3, mid: [8.256, 0.02446, 0.1276, 1.58, 1.351], pdosMid: [0.259e-2, 0.2843e-3, 0.2361e-1, 0.2723] },
  { file: 'aiida-vasp__phonondb/DOSCAR', nions: 104, nedos: 301, efermi: 2.96801422, nspin: 1, noncollinear: false, norb: 0, mid: [-2.425, 101.7, 429] },
  { file: 'aiida-vasp__relax-wc-keep-magmom__calc-000/DOSCAR', nions: 1, nedos: 301, efermi: 0.35176312, nspin: 2, noncollinear: false, layout: 'l-spin', norb: 3, mid: [8.026, 0.01267, 0.02328, 0.317, 0.2711], pdosMid: [0.3327e-2, 0.8183e-3, 0.136, 0.2466] },
  { file: 'aiida-vasp__vasp_wc_nelm__calc-000/DOSCAR', nions: 1, nedos: 301, efermi: 9.96725845, nspin: 1, noncollinear: false, norb: 0, mid: [10.983, 0.4923, 4.428] },
  { file: 'custodian__lobster__v51/DOSCAR', nions: 8, nedos: 301, efermi: -0.89230356, nspin: 1, noncollinear: false, norb: 0, mid: [-7.016, 0, 32] },
  { file: 'custodian__lobster__vasp_lobster_output/DOSCAR', nions: 14, nedos: 301, efermi: 2.53291965, nspin: 2, noncollinear: false, layout: 'lm-spin', norb: 9, mid: [-8.573, 0, 0, 42, 42], pdosMid: [0, 0, 0, 0] },
];

describe('parseDoscar on every real DOSCAR', () => {
  for (const c of CASES) {
    it(c.file, async () => {
      const d = read(c.file);
      expect(d.source).toBe('doscar');
      expect(d.energyZero).toBe('absolute');
      expect(d.nSites).toBe(c.nions);
      expect(d.nedos).toBe(c.nedos);
      expect(d.efermi).toBe(c.efermi);
      expect(d.nspin).toBe(c.nspin);
      expect(d.noncollinear).toBe(c.noncollinear);
      expect(d.meta.layout).toBe(c.layout);
      expect(d.energies.length).toBe(c.nedos);
      expect(d.total.length).toBe(c.nspin * c.nedos);
      const m = c.nedos >> 1;
      expect(d.energies[m]).toBe(c.mid[0]);
      expect(d.total[m]).toBeCloseTo(c.mid[1], 12);
      if (c.nspin === 2) {
        expect(d.total[c.nedos + m]).toBeCloseTo(c.mid[2], 12);
        expect(d.integrated![m]).toBeCloseTo(c.mid[3], 9);
        expect(d.integrated![c.nedos + m]).toBeCloseTo(c.mid[4], 9);
      } else expect(d.integrated![m]).toBeCloseTo(c.mid[2], 9);
      if (c.norb === 0) {
        expect(d.pdos).toBeUndefined();
        expect(d.orbitals.every((o) => o.length === 0)).toBe(true);
      } else {
        expect(d.orbitals[0].length).toBe(c.norb);
        expect(d.orbitalOffset[c.nions]).toBe(c.nions * c.norb);
        expect(d.pdos!.length).toBe(c.nions * c.norb * c.nspin * c.nedos);
        // the first four data columns of ion 1's middle row, in file order
        const p = c.pdosMid!;
        if (c.noncollinear) {
          expect(pdosChannel(d, 0, 0, 0)[m]).toBeCloseTo(p[0], 15);
          for (let k = 0; k < 3; k++) expect(d.pdosMagnetization![k * c.nedos + m]).toBeCloseTo(p[1 + k], 15);
        } else if (c.nspin === 2) {
          expect(pdosChannel(d, 0, 0, 0)[m]).toBeCloseTo(p[0], 15);
          expect(pdosChannel(d, 0, 0, 1)[m]).toBeCloseTo(p[1], 15);
          expect(pdosChannel(d, 0, 1, 0)[m]).toBeCloseTo(p[2], 15);
          expect(pdosChannel(d, 0, 1, 1)[m]).toBeCloseTo(p[3], 15);
        } else for (let o = 0; o < 4; o++) expect(pdosChannel(d, 0, o, 0)[m]).toBeCloseTo(p[o], 15);
      }
      // streaming over tiny chunks gives the same arrays as one buffer
      const s = await readDoscar(fromBytes(c.file, load(c.file), 97));
      expect(s.energies).toEqual(d.energies);
      expect(s.total).toEqual(d.total);
      expect(s.integrated).toEqual(d.integrated);
      expect(s.pdos).toEqual(d.pdos);
      expect(s.pdosMagnetization).toEqual(d.pdosMagnetization);
    });
  }

  it('labels lm orbitals in VASP order and l orbitals as s p d', () => {
    expect(read('aiida-vasp__doscar/DOSCAR').orbitals[3]).toEqual(['s', 'py', 'pz', 'px', 'dxy', 'dyz', 'dz2', 'dxz', 'x2-y2']);
    expect(read('aiida-vasp__ionic-relax-magmom-carry-on__calc-000/DOSCAR').orbitals[0]).toEqual(['s', 'p', 'd']);
  });

  it('reads the O site of K4Sn4O6 (ion 14, LORBIT 11, spin): line 4439 by hand', () => {
    const d = read('custodian__lobster__vasp_lobster_output/DOSCAR');
    // line 4439 is row 204 of ion 14's block (header at line 4234): -1.282 s↑ s↓ py↑ py↓ pz↑ pz↓ px↑ px↓
    const e = 204;
    expect(d.energies[e]).toBe(-1.282);
    expect(pdosChannel(d, 13, 0, 0)[e]).toBeCloseTo(0.7826e-4, 15);
    expect(pdosChannel(d, 13, 0, 1)[e]).toBeCloseTo(0.7943e-4, 15);
    expect(pdosChannel(d, 13, 3, 0)[e]).toBeCloseTo(1.518, 12);
    expect(pdosChannel(d, 13, 2, 1)[e]).toBeCloseTo(0.1382, 12);
  });

  it('agrees with the vasprun.xml of the same run (DOSCAR prints fewer digits)', () => {
    for (const dir of ['aiida-vasp__doscar', 'custodian__lobster__vasp_lobster_output', 'aiida-vasp__basic_run']) {
      const d = read(`${dir}/DOSCAR`);
      const v = parseVasprun(load(`${dir}/vasprun.xml`), 'vasprun.xml').dos!;
      expect(d.efermi).toBe(v.efermi);
      expect(d.nedos).toBe(v.nedos);
      for (let i = 0; i < d.nedos; i++) expect(Math.abs(d.energies[i] - v.energies[i])).toBeLessThan(1e-3);
      for (let i = 0; i < d.total.length; i++) expect(Math.abs(d.total[i] - v.total[i])).toBeLessThanOrEqual(5e-4 * Math.max(1, Math.abs(v.total[i])));
      expect(d.pdos!.length).toBe(v.pdos!.length);
      for (let i = 0; i < d.pdos!.length; i++) expect(Math.abs(d.pdos![i] - v.pdos![i])).toBeLessThanOrEqual(5e-4 * Math.max(1, Math.abs(v.pdos![i])));
    }
  });

  it('takes species from a structure and refuses one with another atom count', () => {
    const d = read('aiida-vasp__doscar/DOSCAR', { species: ['Al', 'Al', 'Al', 'Al'] });
    expect(d.species).toEqual(['Al', 'Al', 'Al', 'Al']);
    expect(() => read('aiida-vasp__doscar/DOSCAR', { species: ['Al'], speciesFrom: 'POSCAR' })).toThrow(MismatchError);
  });

  it('reads DOSCAR.nopdos (flag 1, file ends after the total DOS, no final newline) without PDOS and with a warning', () => {
    const d = read('aiida-vasp__doscar-nopdos/DOSCAR.nopdos');
    expect(d.pdos).toBeUndefined();
    expect(d.nSites).toBe(4);
    expect(d.energies[9]).toBe(13.67);
    expect(d.integrated![9]).toBe(20);
    expect(String(d.meta.warning)).toMatch(/announces projected DOS/);
  });
});

describe('parseDoscar refuses broken files', () => {
  const parseErr = (text: string | Uint8Array, name = 'DOSCAR', o = {}) => {
    try {
      parseDoscar(text, name, o);
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      return e as ParseError;
    }
    throw new Error('no error');
  };

  it('empty file', () => {
    expect(parseErr('').message).toMatch(/empty/);
  });

  for (const c of CASES) {
    it(`truncated mid-block: ${c.file}`, async () => {
      const b = load(c.file);
      // cut in the middle of a row two thirds into the file
      let cut = Math.floor((b.length * 2) / 3);
      while (b[cut] === 32 || b[cut] === 10) cut++;
      const e = parseErr(b.subarray(0, cut + 3), c.file);
      expect(e.line).toBeGreaterThan(6);
      await expect(readDoscar(fromBytes(c.file, b.subarray(0, cut + 3), 97))).rejects.toThrow(ParseError);
    });
  }

  it('a **** field names its line and column', () => {
    const text = load('aiida-vasp__doscar/DOSCAR').toString('latin1').split('\n');
    text[19] = text[19].replace(/-?0\.\d+E[-+]\d+/, '**********');
    const e = parseErr(text.join('\n'));
    expect(e.line).toBe(20);
    expect(e.column).toBeGreaterThan(8);
    expect(e.found).toContain('****');
  });

  it('a row with a missing column names its line', () => {
    const text = load('aiida-vasp__doscar-spin/DOSCAR.spin').toString('latin1').split('\n');
    text[400] = text[400].replace(/\s+\S+\s*$/, '');
    const e = parseErr(text.join('\n'));
    expect(e.line).toBe(401);
  });

  it('accepts Fortran fused exponents (0.1234-100)', () => {
    const text = load('aiida-vasp__doscar/DOSCAR').toString('latin1').split('\n');
    text[6] = '     -3.440 -0.1104-100 -0.2099E-42';
    expect(parseDoscar(text.join('\n'), 'DOSCAR').total[0]).toBe(-0.1104e-100);
  });

  // a hand-made 17-column DOSCAR: 1 ion, 2 points, total 3 columns (made in this test; values arbitrary)
  const ambiguous = (ncdij: number) =>
    [`   1   1   1   ${ncdij}`, '  1 1 1 1 1', '  1.0E-004', '  CAR', ' hand-made', '  2.0 -1.0 2 0.5 1.0',
      ' -1.0 0.1 0.1', '  2.0 0.2 0.3', '  2.0 -1.0 2 0.5 1.0',
      ` -1.0 ${Array(16).fill('0.01').join(' ')}`, `  2.0 ${Array(16).fill('0.02').join(' ')}`, ''].join('\n');

  it('17 columns without a hint is a ParseError that says how to resolve it', () => {
    const e = parseErr(ambiguous(0));
    expect(e.line).toBe(10);
    expect(e.message).toMatch(/l-noncollinear and lm-nonspin/);
    expect(e.message).toMatch(/--layout/);
  });

  it('17 columns resolved by option or NCDIJ=4', () => {
    const lm = parseDoscar(ambiguous(0), 'DOSCAR', { layout: 'lm' });
    expect(lm.meta.layout).toBe('lm-nonspin');
    expect(lm.orbitals[0].slice(9)).toEqual(['fy3x2', 'fxyz', 'fyz2', 'fz3', 'fxz2', 'fzx2', 'fx3']);
    const ncl = parseDoscar(ambiguous(0), 'DOSCAR', { noncollinear: true });
    expect(ncl.meta.layout).toBe('l-noncollinear');
    expect(ncl.orbitals[0]).toEqual(['s', 'p', 'd', 'f']);
    expect(ncl.pdosMagnetization!.length).toBe(4 * 3 * 2);
    expect(parseDoscar(ambiguous(4), 'DOSCAR').meta.layout).toBe('l-noncollinear');
  });

  it('a column count that fits no layout', () => {
    const text = load('aiida-vasp__doscar/DOSCAR').toString('latin1').replace(/^(\s+-3\.440(\s+\S+){9})$/m, '$1 0.0');
    expect(parseErr(text).message).toMatch(/known projected layout/);
  });
});

describe('parseDoscar on damaged copies', () => {
  it('any prefix, any one-byte change and any cut-out gives a Dos or a ParseError, nothing else', () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const c of CASES) {
      const b = load(c.file);
      for (let k = 0; k < 24; k++) {
        const p = Math.floor(rnd() * b.length);
        let x: Uint8Array;
        if (k % 3 === 0) x = b.subarray(0, p);
        else if (k % 3 === 1) {
          x = Uint8Array.from(b);
          x[p] = [42, 10, 32, 65, 45, 46][k % 6];
        } else x = cutOut(b, p, Math.min(b.length, p + 1 + Math.floor(rnd() * 300)));
        try {
          const d = parseDoscar(x, c.file);
          expect(d.energies.length).toBe(d.nedos);
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError);
        }
      }
    }
  });
});
