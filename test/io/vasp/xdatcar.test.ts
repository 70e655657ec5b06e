import { describe, expect, it } from 'vitest';
import { parseXdatcar, readXdatcar } from '../../../src/io/vasp/xdatcar.js';
import { fromBytes } from '../../../src/io/source.js';
import { cellVolume } from '../../../src/model/lattice.js';
import { frameFrac, frameLattice } from '../../../src/model/trajectory.js';
import { formula } from '../../../src/model/structure.js';
import { ParseError } from '../../../src/errors.js';
import { fixture, parseErrorOf, truncated } from './helpers.js';

/**
 * Expected values from pymatgen 2022.11 `Xdatcar(f)`: number of structures, volume of each frame,
 * frac_coords[-1] of the last frame.
 */
const CASES: [string, number, number, string, boolean, number[], number[]][] = [
  ['xdatcar/XDATCAR.MD', 5, 80, 'O48Fe32', false, [827.936019], [0.98867847, 0.95387658, 0.45786413]],
  ['xdatcar/XDATCAR_4', 4, 3, 'Li2O', false, [24.493045], [0, -0, -0]],
  ['xdatcar/XDATCAR_5', 4, 3, 'Li2O', false, [24.493045], [0, -0, -0]],
  ['xdatcar/XDATCAR_6', 4, 7, 'Fe2O4Ti', true, [73.560059, 150.02771, 99.775038, 97.869371], [0.60458205, 0.20916409, 0.81078057]],
  ['xdatcar/aiida-vasp__phonondb/XDATCAR', 1, 104, 'P16S64Zn24', false, [2152.686362], [0.5, 0.5, 0]],
  ['xdatcar/custodian__lobster__vasp_lobster_output/XDATCAR', 1, 14, 'K4Sn4O6', false, [308.605737], [0.520727, 0.270727, 0.25]],
];

describe('XDATCAR on every real fixture', () => {
  for (const [file, nFrames, nSites, f, variable, volumes, last] of CASES) {
    it(file, async () => {
      const t = parseXdatcar(fixture(file), file);
      expect(t.nFrames).toBe(nFrames);
      expect(t.nSites).toBe(nSites);
      expect(formula(t.species)).toBe(f);
      expect(t.variableCell).toBe(variable);
      expect(t.truncated).toBe(false);
      expect(t.warnings).toEqual([]);
      expect(t.frac.length).toBe(nFrames * nSites * 3);
      expect(t.lattices.length).toBe(variable ? 9 * nFrames : 9);
      for (let k = 0; k < volumes.length; k++) expect(cellVolume(frameLattice(t, k))).toBeCloseTo(volumes[k], 5);
      expect(Array.from(frameFrac(t, nFrames - 1).slice(-3))).toEqual(last);
      expect(Array.from(t.steps)).toEqual(Array.from({ length: nFrames }, (_, i) => i + 1));
      // streaming in small chunks gives the same arrays
      const s = await readXdatcar(fromBytes(file, fixture(file), 61));
      expect(s.frac).toEqual(t.frac);
      expect(s.lattices).toEqual(t.lattices);
    });
  }

  it('the first row of XDATCAR.MD (file line 9)', () => {
    const t = parseXdatcar(fixture('xdatcar/XDATCAR.MD'), 'XDATCAR.MD');
    expect(Array.from(t.frac.slice(0, 3))).toEqual([0.85729725, 0.44607741, 0.39190768]);
  });

  it('the variable cell of XDATCAR_6: second header lattice (file lines 18-20)', () => {
    const t = parseXdatcar(fixture('xdatcar/XDATCAR_6'), 'XDATCAR_6');
    expect(Array.from(frameLattice(t, 1))).toEqual([-0, 2.724582, 2.724582, 2.65198, 2.585749, -5.310331, -5.223645, 2.605255, -2.605255]);
  });

  it('a copy cut inside its last frame keeps the complete frames and says so', async () => {
    for (const [file, nFrames] of CASES) {
      if (nFrames < 2) continue;
      const bytes = fixture(file);
      const cut = truncated(bytes, 0.97);
      const t = parseXdatcar(cut, file);
      expect(t.truncated).toBe(true);
      expect(t.nFrames).toBe(nFrames - 1);
      expect(t.frac.length).toBe((nFrames - 1) * t.nSites * 3);
      expect(t.warnings.length).toBe(1);
      expect(t.warnings[0]).toMatch(/ends inside/);
      const s = await readXdatcar(fromBytes(file, cut, 100));
      expect(s.nFrames).toBe(nFrames - 1);
      expect(s.truncated).toBe(true);
    }
  });

  it('a copy cut inside the first frame or the header is a ParseError', () => {
    for (const [file] of CASES) {
      const bytes = fixture(file);
      const firstFrameEnd = file.includes('XDATCAR_4') ? 120 : new TextDecoder().decode(bytes).indexOf('configuration') + 40;
      expect(() => parseXdatcar(bytes.slice(0, firstFrameEnd), file)).toThrow(ParseError);
      expect(() => parseXdatcar(bytes.slice(0, 60), file)).toThrow(ParseError);
    }
    expect(parseErrorOf(() => parseXdatcar('', 'XDATCAR')).message).toBe('XDATCAR: expected an XDATCAR, found "an empty file"');
  });

  it('bad numbers and short frames in the middle name the line', () => {
    const head = 'sys\n1\n5 0 0\n0 5 0\n0 0 5\nLi O\n1 1\n';
    const ok = `${head}Direct configuration= 1\n 0.1 0.2 0.3\n 0.4 0.5 0.6\nDirect configuration= 2\n 0.1 0.2 0.3\n 0.4 0.5 0.6\n`;
    expect(parseXdatcar(ok, 'X').nFrames).toBe(2);
    const bad = ok.replace(' 0.4 0.5 0.6\nDirect configuration= 2', ' 0.4 ***** 0.6\nDirect configuration= 2');
    expect(parseErrorOf(() => parseXdatcar(bad, 'X')).line).toBe(10);
    const short = `${head}Direct configuration= 1\n 0.1 0.2 0.3\nDirect configuration= 2\n 0.1 0.2 0.3\n 0.4 0.5 0.6\n`;
    const e = parseErrorOf(() => parseXdatcar(short, 'X'));
    expect(e.line).toBe(10);
    expect(e.expected).toMatch(/2 coordinate rows in frame 1/);
  });

  it('VASP 4 layout without a species line takes species from the option', () => {
    const text = 'sys\n1\n5 0 0\n0 5 0\n0 0 5\n1 1\nDirect configuration= 7\n 0.1 0.2 0.3\n 0.4 0.5 0.6\n';
    expect(parseXdatcar(text, 'X', { species: ['Li', 'O'] }).species).toEqual(['Li', 'O']);
    expect(parseXdatcar(text, 'X', { species: ['Li', 'O'] }).steps[0]).toBe(7);
    expect(parseErrorOf(() => parseXdatcar(text, 'X')).line).toBe(6);
  });

  it('reads a generated 324-atom, 200-frame XDATCAR streamed in 4 MiB chunks', async () => {
    const n = 324;
    const frames = 200;
    const parts = ['big\n1\n10 0 0\n0 10 0\n0 0 14\nLi Mn O\n84 72 168\n'];
    for (let f = 0; f < frames; f++) {
      parts.push(`Direct configuration= ${f + 1}\n`);
      for (let i = 0; i < n; i++) parts.push(`  ${((i * 0.618 + f * 0.001) % 1).toFixed(8)}  ${((i * 0.414) % 1).toFixed(8)}  ${((i * 0.732) % 1).toFixed(8)}\n`);
    }
    const t = await readXdatcar(fromBytes('big', parts.join('')));
    expect(t.nFrames).toBe(frames);
    expect(t.frac[(199 * n + 323) * 3]).toBe(Number(((323 * 0.618 + 199 * 0.001) % 1).toFixed(8)));
  });
});
