import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { parseCohpcar, readCohpcar } from '../../../src/io/lobster/cohpcar.js';
import { parseDoscar, readDoscar } from '../../../src/io/vasp/doscar.js';
import { parseVasprun, readVasprun } from '../../../src/io/vasp/vasprun.js';
import { fromBytes, type ByteSource } from '../../../src/io/source.js';
import { ParseError } from '../../../src/errors.js';
import { jsKernels } from '../../../src/kernels/js.js';
import { createWasmKernels } from '../../../src/kernels/wasm.js';

// The fast paths of the block readers (whole rows through scratch arrays, rows cut by chunks, arrays allocated at
// once when the file can hold them, vasprun rows read with their tags) must give what the files say. The inputs
// are made here from closed formulas, so every expected value is known exactly (all are multiples of 1/8 or 1/1000
// written with enough digits to be exact decimals of the numbers compared).

const wasm = await createWasmKernels(await readFile(new URL('../../../build/kernels.wasm', import.meta.url)));
const engines = [jsKernels, wasm];

/** A source without a size (as gzip and stdin are): readers must grow their arrays instead. */
const unsized = (name: string, text: string, chunk: number): ByteSource => {
  const s = fromBytes(name, text, chunk);
  return { name, chunks: () => s.chunks() };
};

describe('COHPCAR rows longer than the scratch array and cut by chunks', () => {
  // 33 000 bonds, 2 spins: 132 005 numbers a row, more than one scan call holds
  const nb = 33_000;
  const np = 3;
  const cohpOf = (b: number, s: number, e: number) => ((b % 97) - 48 + s * 0.5 + e * 0.25) / 8;
  const lines = ['COHPCAR.lobster ; pCOHP file', `${nb + 1} 2 ${np} -1.00000 1.00000 5.00000`, 'Average'];
  for (let b = 0; b < nb; b++) lines.push(`No.${b + 1}:Mn1->O2(1.95)`);
  for (let e = 0; e < np; e++) {
    const row = [(e - 1).toFixed(5)];
    for (let s = 0; s < 2; s++) {
      row.push('0.00000', '0.00000');
      for (let b = 0; b < nb; b++) row.push(cohpOf(b, s, e).toFixed(5), (-cohpOf(b, s, e)).toFixed(5));
    }
    lines.push(row.join(' '));
  }
  const text = lines.join('\n');

  it.each(engines.map((k) => [k.engine, k] as const))('gives every value (%s)', async (_, k) => {
    for (const c of [parseCohpcar(text, 'big', { kernels: k }), await readCohpcar(fromBytes('big', text, 100_003), { kernels: k })]) {
      expect(Array.from(c.energies)).toEqual([-1, 0, 1]);
      for (const b of [0, 1, 4095, 16_384, nb - 1]) {
        for (let s = 0; s < 2; s++) {
          for (let e = 0; e < np; e++) {
            expect(c.cohp[(b * 2 + s) * np + e]).toBe(cohpOf(b, s, e));
            expect(c.icohp[(b * 2 + s) * np + e]).toBe(-cohpOf(b, s, e));
          }
        }
      }
    }
  });
});

describe('DOSCAR projected blocks: allocated at once or grown, any chunking', () => {
  const nions = 3;
  const nedos = 301;
  const head = [`${nions} ${nions} 1 0`, '  0.1E+02 0.1E-09 0.1E-09 0.1E-08 0.5E-15', '  1.0E-004', '  CAR ', ' test'];
  const hdr = `  10.00000000 -20.00000000 ${nedos}   5.00000000   1.00000000`;
  const energy = (e: number) => (-20 + e * 0.1).toFixed(3);
  const val = (a: number, c: number, e: number) => (a * 1000 + c * 10 + (e % 10)) / 8;
  const out = [...head, hdr];
  for (let e = 0; e < nedos; e++) out.push(`   ${energy(e)}  0.1000E+01  0.2000E+01  0.3000E+01  0.4000E+01`);
  for (let a = 0; a < nions; a++) {
    out.push(hdr);
    for (let e = 0; e < nedos; e++) {
      const row = [`   ${energy(e)}`];
      for (let c = 1; c <= 18; c++) row.push(val(a, c, e).toFixed(4));
      out.push(row.join(' '));
    }
  }
  const text = `${out.join('\n')}\n`;

  it.each(engines.map((k) => [k.engine, k] as const))('(%s)', async (_, k) => {
    const runs = [
      parseDoscar(text, 'DOSCAR', { kernels: k }),
      await readDoscar(fromBytes('DOSCAR', text, 997), { kernels: k }),
      await readDoscar(unsized('DOSCAR', text, 4093), { kernels: k }),
    ];
    for (const d of runs) {
      expect(d.meta.layout).toBe('lm-spin');
      expect(d.pdos!.length).toBe(nions * 18 * nedos);
      // channel (site a, orbital o, spin s) is column 1 + 2o + s
      for (const [a, c, e] of [[0, 1, 0], [1, 7, 150], [2, 18, 300], [2, 2, 299]]) {
        const o = (c - 1) >> 1;
        const s = (c - 1) & 1;
        expect(d.pdos![((a * 9 + o) * 2 + s) * nedos + e]).toBe(val(a, c, e));
      }
    }
    expect(Array.from(runs[1].pdos!)).toEqual(Array.from(runs[0].pdos!));
    expect(Array.from(runs[2].pdos!)).toEqual(Array.from(runs[0].pdos!));
  });
});

describe('vasprun.xml DOS rows read with their tags', () => {
  const nedos = 700;
  const e = (i: number) => -10 + i * 0.03125;
  const p = (ion: number, spin: number, o: number, i: number) => ion + spin / 2 + o / 8 + (i % 7) / 1000;
  const rows = (f: (i: number) => string) => Array.from({ length: nedos }, (_, i) => f(i)).join('\n');
  const doc = (tweak: (s: string) => string = (s) => s) => `<?xml version="1.0"?>
<modeling>
 <atominfo><atoms> 2 </atoms><array name="atoms"><set><rc><c>Li</c><c> 1</c></rc><rc><c>O</c><c> 2</c></rc></set></array></atominfo>
 <structure name="initialpos"><crystal><varray name="basis"><v> 3 0 0 </v><v> 0 3 0 </v><v> 0 0 3 </v></varray></crystal>
  <varray name="positions"><v> 0 0 0 </v><v> 0.5 0.5 0.5 </v></varray></structure>
 <calculation>
  <dos>
   <i name="efermi">   1.0 </i>
   <total><array><field>energy</field><field>total</field><field>integrated</field>
    <set>${[0, 1].map((s) => `<set comment="spin ${s + 1}">\n${rows((i) => `<r>${e(i).toFixed(5)} ${(i / 8).toFixed(3)} ${(s + i / 4).toFixed(2)}</r>`)}\n</set>`).join('')}</set>
   </array></total>
   <partial><array><field>energy</field><field>s</field><field>p</field><field>d</field>
    <set>${[0, 1].map((ion) => `<set comment="ion ${ion + 1}">${[0, 1].map((s) => `<set comment="spin ${s + 1}">
${tweak(rows((i) => `       <r>  ${e(i).toFixed(5)}  ${[0, 1, 2].map((o) => p(ion, s, o, i).toFixed(4)).join('  ')} </r>`))}
</set>`).join('')}</set>`).join('')}</set>
   </array></partial>
  </dos>
 </calculation>
</modeling>
`;

  it.each(engines.map((k) => [k.engine, k] as const))('reads every value through any chunking (%s)', async (_, k) => {
    const text = doc();
    for (const v of [parseVasprun(text, 'v.xml', { kernels: k }), await readVasprun(fromBytes('v.xml', text, 331), { kernels: k })]) {
      const d = v.dos!;
      expect(d.nedos).toBe(nedos);
      expect(d.energies[nedos - 1]).toBe(e(nedos - 1));
      expect(d.total[nedos + 16]).toBe(2);
      expect(d.integrated[nedos + 4]).toBe(2);
      for (const [ion, s, o, i] of [[0, 0, 0, 0], [1, 1, 2, nedos - 1], [1, 0, 1, 350], [0, 1, 2, 3]]) {
        expect(d.pdos![((ion * 3 + o) * 2 + s) * nedos + i]).toBe(p(ion, s, o, i));
      }
    }
  });

  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
  const errorOf = (text: string): ParseError => {
    try {
      parseVasprun(text, 'v.xml', { kernels: wasm });
    } catch (err) {
      expect(err).toBeInstanceOf(ParseError);
      return err as ParseError;
    }
    throw new Error('no error');
  };

  it.each([
    ['a row with one number too many', (s: string) => s.replace('0.2500 </r>', '0.2500 7.5 </r>'), 'a DOS row <r> of 4 numbers </r>'],
    ['a row with one number missing', (s: string) => s.replace(' 0.2500 </r>', ' </r>'), 'a DOS row <r> of 4 numbers </r>'],
    ['a Fortran overflow', (s: string) => s.replace('0.2500 </r>', '****** </r>'), 'a number (DOS row of 4 numbers)'],
    ['another tag among the rows', (s: string) => s.replace('<r>  -9.96875', '<x/><r>  -9.96875'), 'a DOS row <r> … </r> or </set>'],
  ])('%s is a ParseError naming its line', (_, tweak, expected) => {
    const text = doc(tweak);
    const good = doc().split('\n');
    const bad = text.split('\n').findIndex((l, i) => l !== good[i]) + 1;
    const err = errorOf(text);
    expect(err.expected).toBe(expected);
    expect(err.line).toBe(bad);
    expect(lineOf(text, '<partial>')).toBeLessThan(bad);
  });
});

describe('XDATCAR frames scanned straight into the trajectory', () => {
  // a 2-atom orthorhombic cell 2 × 4 × 5 Å; frame 2 is written in Cartesian Å (converters do that)
  const text = `test
   1.0
     2.0 0.0 0.0
     0.0 4.0 0.0
     0.0 0.0 5.0
   Li O
   1 1
Direct configuration=     1
  0.10000000  0.20000000  0.30000000
  0.50000000  0.50000000  0.50000000
Cartesian configuration=     2
  1.00000000  1.00000000  1.00000000
  0.50000000  2.00000000  4.00000000
Direct configuration=     3
  0.12500000  0.25000000  0.37500000
  0.75000000  0.87500000  0.00000000
`;
  it.each(engines.map((k) => [k.engine, k] as const))('(%s)', async (_, k) => {
    const { readXdatcar } = await import('../../../src/io/vasp/xdatcar.js');
    for (const chunk of [7, 1 << 20]) {
      const t = await readXdatcar(fromBytes('XDATCAR', text, chunk), { kernels: k });
      expect(t.nFrames).toBe(3);
      expect(Array.from(t.frac)).toEqual([0.1, 0.2, 0.3, 0.5, 0.5, 0.5, 0.5, 0.25, 0.2, 0.25, 0.5, 0.8, 0.125, 0.25, 0.375, 0.75, 0.875, 0]);
    }
  });
});
