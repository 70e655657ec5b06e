import { describe, expect, it } from 'vitest';
import { parseXdatcar, readXdatcar } from '../../../src/io/vasp/xdatcar.js';
import { fromBytes } from '../../../src/io/source.js';
import { fixture, parseErrorOf } from './helpers.js';

/**
 * XDATCAR variants written by other programs, constructed here from their layouts (no real file of them is in
 * the fixtures): pymatgen ≥ 2023 `Xdatcar.get_str` writes the site's species after every row; VASP's fixed-width
 * output glues numbers of more than 12 characters to their neighbour. Expected values are read off the text.
 */
const CELL = 'sys\n1.0\n5.0 0.0 0.0\n0.0 5.0 0.0\n0.0 0.0 5.0\n';

describe('XDATCAR with a species label after every row (pymatgen, ASE)', () => {
  it('monatomic', async () => {
    const text = `${CELL}Si\n2\nDirect configuration=     1\n0.00000000 0.00000000 0.00000000 Si\n0.25000000 0.25000000 0.25000000 Si\n` +
      `Direct configuration=     2\n0.01000000 0.00000000 0.00000000 Si\n0.26000000 0.25000000 0.24000000 Si\n`;
    const t = parseXdatcar(text, 'XDATCAR');
    expect(t.nFrames).toBe(2);
    expect(t.species).toEqual(['Si', 'Si']);
    expect(Array.from(t.frac)).toEqual([0, 0, 0, 0.25, 0.25, 0.25, 0.01, 0, 0, 0.26, 0.25, 0.24]);
    expect(t.warnings).toEqual([]);
    const s = await readXdatcar(fromBytes('XDATCAR', text, 17));
    expect(s.frac).toEqual(t.frac);
  });

  it('multi-species, labels checked against the species line', () => {
    const text = `${CELL}Li O\n2 1\nDirect configuration=     1\n0.1 0.2 0.3 Li\n0.4 0.5 0.6 Li\n0.7 0.8 0.9 O\n`;
    const t = parseXdatcar(text, 'XDATCAR');
    expect(t.species).toEqual(['Li', 'Li', 'O']);
    expect(Array.from(t.frac)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]);
    // a label that disagrees with the species line: which site, which line
    const e = parseErrorOf(() => parseXdatcar(text.replace('0.4 0.5 0.6 Li', '0.4 0.5 0.6 O'), 'XDATCAR'));
    expect(e.line).toBe(10);
    expect(e.expected).toMatch(/species of site 2 \(Li/);
    expect(e.found).toBe('"O"');
    // a number beyond a double in a labelled row is a ParseError at its line too (issue 19.1)
    expect(parseErrorOf(() => parseXdatcar(text.replace('0.4 0.5 0.6 Li', '0.4 1e999 0.6 Li'), 'XDATCAR')).line).toBe(10);
  });
});

describe('XDATCAR with Fortran-overflowed numbers glued together', () => {
  it('two and three glued numbers are split as VASP wrote them, with a warning counting the rows', async () => {
    const text = `${CELL}Li O\n1 2\nDirect configuration=     1\n  -0.63265286-0.11227753  0.50000000\n` +
      `  -1.10000000-0.20000000-0.30000000\n   0.10000000  0.20000000  0.30000000\n` +
      `Direct configuration=     2\n  10.6326528611.11227753  0.50000000\n   0.1 0.2 0.3\n   0.4 0.5 0.6\n`;
    const t = parseXdatcar(text, 'XDATCAR');
    expect(t.nFrames).toBe(2);
    expect(Array.from(t.frac.slice(0, 6))).toEqual([-0.63265286, -0.11227753, 0.5, -1.1, -0.2, -0.3]);
    expect(Array.from(t.frac.slice(9, 12))).toEqual([10.63265286, 11.11227753, 0.5]);
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings[0]).toMatch(/3 coordinate rows had numbers glued together .*line 9/);
    for (const size of [7, 13, 40, 97]) {
      const s = await readXdatcar(fromBytes('XDATCAR', text, size));
      expect(s.frac).toEqual(t.frac);
      expect(s.warnings).toEqual(t.warnings);
    }
  });

  it('a glued token that is not whole fields is still an error at its line', () => {
    const text = `${CELL}Li\n1\nDirect configuration=     1\n  -0.6326-0.11-0.5-0.1\n`;
    expect(parseErrorOf(() => parseXdatcar(text, 'XDATCAR')).line).toBe(9);
  });
});

describe('XDATCAR rows and headers that do not match frame 1', () => {
  it('rows of 2 and 4 numbers (3N in total) are a ParseError at the first bad row', () => {
    const text = `${CELL}Li O\n1 1\nDirect configuration=     1\n0.1 0.2\n0.3 0.4 0.5 0.6\n`;
    const e = parseErrorOf(() => parseXdatcar(text, 'XDATCAR'));
    expect(e.line).toBe(9);
    expect(e.expected).toMatch(/three coordinates per row \(frame 1, row 1 of 2\)/);
  });

  it('a repeated header with another species order names the frame and the line', () => {
    const frame = (n: number, species: string) => `sys\n1.0\n5.0 0.0 0.0\n0.0 5.0 0.0\n0.0 0.0 5.0\n${species}\n1 1\nDirect configuration=     ${n}\n0.1 0.2 0.3\n0.4 0.5 0.6\n`;
    expect(parseXdatcar(frame(1, 'Li O') + frame(2, 'Li O'), 'XDATCAR').variableCell).toBe(true);
    const e = parseErrorOf(() => parseXdatcar(frame(1, 'Li O') + frame(2, 'O Li'), 'XDATCAR'));
    expect(e.line).toBe(16);
    expect(e.expected).toBe('the species of frame 1 (Li O) in the header of frame 2');
    expect(e.found).toBe('"O Li"');
    const c = parseErrorOf(() => parseXdatcar(frame(1, 'Li O') + frame(2, 'Li O').replace('\n1 1\n', '\n2 0\n'), 'XDATCAR'));
    expect(c.line).toBe(17);
    expect(c.expected).toMatch(/header of frame 2/);
  });
});

describe('the real XDATCAR.MD rewritten with a label after every row, as pymatgen writes it', () => {
  const plain = new TextDecoder().decode(fixture('xdatcar/XDATCAR.MD'));
  // species line `O Fe`, counts `48 32`: rows 1–48 are O, 49–80 Fe in every frame
  let row = 0;
  const labelled = plain.split('\n').map((l, i) => {
    if (i < 7 || /configuration/.test(l) || l.trim() === '') return l;
    const label = row++ % 80 < 48 ? 'O' : 'Fe';
    return `${l} ${label}`;
  }).join('\n');
  it('gives the same trajectory as the file without labels', async () => {
    const a = parseXdatcar(plain, 'XDATCAR.MD');
    const b = parseXdatcar(labelled, 'XDATCAR.MD');
    expect(b.nFrames).toBe(5);
    expect(b.species).toEqual(a.species);
    expect(b.frac).toEqual(a.frac);
    expect(b.warnings).toEqual([]);
    const s = await readXdatcar(fromBytes('XDATCAR.MD', labelled, 4096));
    expect(s.frac).toEqual(a.frac);
  });
});

describe('the real old-style XDATCAR_4 (frames between blank lines) with labels', () => {
  it('reads as the plain file; a wrong label names its line', () => {
    const plain = new TextDecoder().decode(fixture('xdatcar/XDATCAR_4'));
    let row = 0;
    const labelled = plain.split('\n').map((l, i) => (i < 7 || l.trim() === '' ? l : `${l} ${row++ % 3 < 2 ? 'Li' : 'O'}`)).join('\n');
    const a = parseXdatcar(plain, 'XDATCAR_4');
    const b = parseXdatcar(labelled, 'XDATCAR_4');
    expect([b.nFrames, b.frac]).toEqual([a.nFrames, a.frac]);
    // file line 11 is the O row of frame 1
    const bad = labelled.split('\n');
    bad[10] = bad[10].replace(/ O$/, ' Li');
    const e = parseErrorOf(() => parseXdatcar(bad.join('\n'), 'XDATCAR_4'));
    expect([e.line, e.found]).toEqual([11, '"Li"']);
  });
});
