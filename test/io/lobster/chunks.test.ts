import { describe, expect, it } from 'vitest';
import { parseCohpcar, readCohpcar } from '../../../src/io/lobster/cohpcar.js';
import { parseDoscarLobster, readDoscarLobster } from '../../../src/io/lobster/doscar-lobster.js';
import { fromBytes } from '../../../src/io/source.js';
import { ParseError } from '../../../src/errors.js';
import { jsKernels } from '../../../src/kernels/js.js';
import { loadKernels } from '../../../src/node/kernels.js';
import type { Kernels } from '../../../src/kernels/types.js';
import { fixture } from './helpers.js';

// The stream layer joins the bytes a chunk boundary cuts: every cut (inside a token,
// between CR and LF, inside a header line, one byte per chunk) must give the arrays of a whole-buffer parse.
const SIZES = Array.from({ length: 97 }, (_, k) => k + 1);
const cohpBytes = fixture('real/lobster/cohpcar/COHPCAR.lobster.KF');
const dosBytes = fixture('real/lobster/doscar/pymatgen-test-files__KF-spin/DOSCAR.lobster.spin');
const v51Bytes = fixture('real/lobster/doscar/custodian__lobster__v51/DOSCAR.lobster');

const crlf = (b: Uint8Array) => new TextEncoder().encode(new TextDecoder().decode(b).replace(/\n/g, '\r\n'));
const arrays = (x: object) => Object.fromEntries(Object.entries(x).filter(([, v]) => ArrayBuffer.isView(v)).map(([k, v]) => [k, Array.from(v as Float64Array)]));

async function message(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe.each([
  ['js', () => Promise.resolve(jsKernels)],
  ['wasm', () => loadKernels('wasm')],
])('LOBSTER block readers, %s engine, chunks of 1..97 bytes', (_, kernelsOf: () => Promise<Kernels>) => {
  it('COHPCAR: the same bonds and arrays as one buffer, LF and CRLF', async () => {
    const kernels = await kernelsOf();
    const whole = parseCohpcar(cohpBytes, 'c', { kernels });
    expect(whole.nPoints * (1 + 2 * (whole.bonds.length + 1) * whole.nspin)).toBeGreaterThan(1000);
    const want = arrays(whole);
    for (const bytes of [cohpBytes, crlf(cohpBytes)]) {
      for (const size of SIZES) {
        const c = await readCohpcar(fromBytes('c', bytes, size), { kernels });
        expect(c.bonds).toEqual(whole.bonds);
        expect(arrays(c)).toEqual(want);
        expect(arrays(c.average!)).toEqual(arrays(whole.average!));
      }
    }
  });

  it('DOSCAR.lobster: the same totals and pdos as one buffer, LF and CRLF', async () => {
    const kernels = await kernelsOf();
    for (const file of [dosBytes, v51Bytes]) {
      const whole = parseDoscarLobster(file, 'd', { kernels });
      const want = arrays(whole);
      for (const bytes of [file, crlf(file)]) {
        for (const size of SIZES) {
          const d = await readDoscarLobster(fromBytes('d', bytes, size), { kernels });
          expect(d.orbitals).toEqual(whole.orbitals);
          expect(arrays(d)).toEqual(want);
        }
      }
    }
  });

  it('a bad token in a row is reported at the same line and column for every chunk size', async () => {
    const kernels = await kernelsOf();
    const text = new TextDecoder().decode(dosBytes);
    const lines = text.split('\n');
    // line 17 is the 4th row of atom 1 (F): "0.00000 0.00011 0.00011 0.25801 0.25819 …"; its 3rd number becomes ****
    expect(lines[16].trim().split(/\s+/).slice(0, 4)).toEqual(['0.00000', '0.00011', '0.00011', '0.25801']);
    lines[16] = lines[16].replace('0.00011   0.25801', '*******   0.25801');
    const bad = lines.join('\n');
    const col = lines[16].indexOf('*') + 1;
    const want = await message(Promise.resolve().then(() => parseDoscarLobster(bad, 'bad', { kernels })));
    expect(want).toContain(`bad:17:${col}:`);
    for (const size of SIZES) expect(await message(readDoscarLobster(fromBytes('bad', bad, size), { kernels }))).toBe(want);
  });
});

describe('a long line cut by many chunk boundaries', () => {
  it('is joined once per chunk, not once per token (a 3 MB title in 4 KiB chunks)', async () => {
    const text = new TextDecoder().decode(cohpBytes);
    const nl = text.indexOf('\n');
    const long = text.slice(0, nl) + ' x'.repeat(1_500_000) + text.slice(nl);
    const c = await readCohpcar(fromBytes('long', long, 4096));
    expect(arrays(c)).toEqual(arrays(parseCohpcar(cohpBytes, 'c')));
  });
});

describe('COHPCAR past the first scratch array (it grows with the values read)', () => {
  // made here: 60 bonds, 2 spins, 600 rows of 245 numbers (147 000 values); value of (row, column) is known
  const nBonds = 60, nPoints = 600, rowLen = 1 + 2 * (nBonds + 1) * 2;
  const cell = (row: number, col: number) => (((row * 7919 + col * 104729) % 20001) - 10000) / 1000;
  const lines = ['ESCALE ; pCOHP file made by chunks.test.ts', `${nBonds + 1} 2 ${nPoints} -10 0 5.5`, 'Average'];
  for (let b = 1; b <= nBonds; b++) lines.push(`No.${b}:Mn1->O${b + 1}(1.95)`);
  for (let row = 0; row < nPoints; row++) {
    const f = [(-10 + row * 0.01).toFixed(5)];
    for (let col = 1; col < rowLen; col++) f.push(cell(row, col).toFixed(5));
    lines.push(f.join('   '));
  }
  const text = new TextEncoder().encode(lines.join('\n') + '\n');

  it.each([
    ['js', () => Promise.resolve(jsKernels)],
    ['wasm', () => loadKernels('wasm')],
  ])('%s engine: every value where the layout puts it, whole and in chunks', async (_, kernelsOf: () => Promise<Kernels>) => {
    const kernels = await kernelsOf();
    const whole = parseCohpcar(text, 'big', { kernels });
    for (let e = 0; e < nPoints; e++) {
      expect(whole.energies[e]).toBe(Number((-10 + e * 0.01).toFixed(5)));
      for (let s = 0; s < 2; s++) {
        const base = 1 + s * 2 * (nBonds + 1);
        expect(whole.average!.cohp[s * nPoints + e]).toBe(cell(e, base));
        expect(whole.average!.icohp[s * nPoints + e]).toBe(cell(e, base + 1));
        for (let b = 0; b < nBonds; b++) {
          expect(whole.cohp[(b * 2 + s) * nPoints + e]).toBe(cell(e, base + 2 + 2 * b));
          expect(whole.icohp[(b * 2 + s) * nPoints + e]).toBe(cell(e, base + 3 + 2 * b));
        }
      }
    }
    for (const size of [97, 4093, 65536, 1 << 22]) {
      expect(arrays(await readCohpcar(fromBytes('big', text, size), { kernels }))).toEqual(arrays(whole));
    }
  });
});
