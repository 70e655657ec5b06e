import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bothEngines, enc } from './engines.js';
import type { Kernels } from '../../src/kernels/types.js';

const engines = await bothEngines();

/** Number() of a token with its exponent spelled the JS way: the value every engine must reproduce. */
function reference(tok: string): number {
  const t = tok.replace(/[dD]/, 'e');
  const fused = /^([+-]?(?:\d+\.?\d*|\.\d+))([+-]\d+)$/.exec(t);
  return Number(fused ? `${fused[1]}e${fused[2]}` : t);
}

/** Feed `bytes` in pieces cut at `cuts`, re-feeding the unconsumed tail as a reader does. */
function scanChunked(k: Kernels, bytes: Uint8Array, cuts: number[]): number[] {
  const values: number[] = [];
  let carry = new Uint8Array(0);
  const ends = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b).concat(bytes.length);
  let from = 0;
  for (const [idx, to] of ends.entries()) {
    const chunk = new Uint8Array(carry.length + (to - from));
    chunk.set(carry);
    chunk.set(bytes.subarray(from, to), carry.length);
    const r = k.scan(chunk, { final: idx === ends.length - 1 });
    expect(r.errorOffset).toBe(-1);
    values.push(...r.values);
    carry = chunk.slice(r.consumed);
    from = to;
  }
  expect(carry.length).toBe(0);
  return values;
}

const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const sign = fc.constantFrom('', '-', '+');
const pad2 = (e: number) => `${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;

/** Tokens in the styles VASP, LOBSTER and friends print, plus hard cases for the slow path. */
const token = fc.oneof(
  // %.8E / %12.4E / Python-style
  fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 16 }), fc.boolean()).map(([v, k, d]) => {
    const [m, e] = v.toExponential(k).toUpperCase().split('E');
    return `${m}${d ? 'D' : 'E'}${pad2(Number(e))}`;
  }),
  // Fortran 0.dddddE±ee and fused 3-digit exponents 0.dddd-ddd
  fc.tuple(sign, digits(1, 8), fc.integer({ min: -330, max: 310 }), fc.constantFrom('E', 'e', 'D', 'd', '')).map(([s, d, e, x]) =>
    x === '' || Math.abs(e) >= 100 ? `${s}0.${d}${e < 0 ? '-' : '+'}${Math.abs(e)}` : `${s}0.${d}${x}${pad2(e)}`,
  ),
  // %.5f and %F fixed
  fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 12 })).map(([v, k]) => v.toFixed(k)),
  // many digits, leading dots, trailing dots, extreme exponents
  fc.tuple(sign, digits(0, 30), digits(0, 30), fc.integer({ min: -400, max: 400 }), fc.boolean()).map(([s, a, b, e, withExp]) => {
    const mant = a === '' && b === '' ? '0' : b === '' ? `${a}.` : `${a}.${b}`;
    return `${s}${mant}${withExp ? `e${e}` : ''}`;
  }),
  // zeros, limits, subnormals and halfway cases that stress correct rounding
  fc.constantFrom(
    '0', '-0', '0.0000E+00', '-0.0000E+00', '0e999', '.5', '5.', '-.5E-3',
    '1e308', '1.7976931348623157e308', '1.7976931348623158e308', '1.8e308', '1e-400', '123456789012345678901e-420',
    '4.9e-324', '2.4703282292062327e-324', '2.4703282292062328e-324', '2.2250738585072011e-308', '2.2250738585072014e-308',
    '9007199254740993', '9007199254740995', '4503599627370497.5', '18446744073709551615', '18446744073709551617',
    '7.2057594037927933e16', '1.00000000000000011102230246251565404236316680908203125', '0.1', '0.3', '2.675',
    '1448997445238699', '9.109e-31', '6.02214076e23', '0.1234-100', '0.5000D+01', '-0.9999E-99',
  ),
);

const finite = token.filter((t) => Number.isFinite(reference(t)));

const ws = fc.constantFrom(' ', '  ', '\n', '\r\n', '\t', ' \n ');

describe.each(engines.map((k) => [k.engine, k] as const))('scan (%s)', (_, k) => {
  it('reads signs, E/e/D/d exponents and Fortran fused exponents', () => {
    const text = ' 1.5 -2.0E+01\n0.1234-100 3.0D2 -.5 7. +4e0 1.0+100\r\n';
    const r = k.scan(enc(text));
    expect(Array.from(r.values)).toEqual([1.5, -20, 0.1234e-100, 300, -0.5, 7, 4, 1e100]);
    expect(r.count).toBe(8);
    expect(r.errorOffset).toBe(-1);
    expect(r.consumed).toBe(text.length);
    expect(r.stats.fast + r.stats.slow).toBe(8);
    // 0.1234-100 and 1.0+100 are outside Clinger's 10^±22; the WASM engine converts them by Eisel–Lemire
    expect(r.stats.slow).toBe(k.engine === 'js' ? 2 : 0);
  });

  it('hands tokens beyond 19 digits and subnormals to the exact slow path', () => {
    const r = k.scan(enc('0.12345678901234567890123 4.9e-324 1.5'));
    expect(Array.from(r.values)).toEqual([0.12345678901234567890123, 4.9e-324, 1.5]);
    expect(r.stats).toEqual({ fast: 1, slow: 2 });
  });

  it('keeps the sign of zero', () => {
    const r = k.scan(enc('-0.0000E+00 0.0 -0'));
    expect(Object.is(r.values[0], -0)).toBe(true);
    expect(Object.is(r.values[1], 0)).toBe(true);
    expect(Object.is(r.values[2], -0)).toBe(true);
  });

  it.each([
    ['1.0 **** 2.0', 4],
    ['1.0 2.0 1.2.3', 8],
    ['NaN', 0],
    ['1.0 abc', 4],
    ['1.0e', 0],
    ['1.0E+', 0],
    ['- 1', 0],
    ['1.0 -', 4],
    ['. 1', 0],
    ['3.0x', 0],
    ['1,0', 0],
    ['1.0 1e999', 4],
    ['1.0 -1e400 2', 4],
    ['1 1.8e308', 2],
    ['1 0.1234+999', 2],
    ['2 1234567890123456789012345e300', 2],
    ['2 -0.5D+400', 2],
  ])('reports the offset of the bad token in %j', (text, offset) => {
    const r = k.scan(enc(text));
    expect(r.errorOffset).toBe(offset);
    expect(r.consumed).toBe(offset);
  });

  it('leaves a token touching the end of a non-final chunk', () => {
    const r = k.scan(enc('1.0 2.0 3.0'), { final: false });
    expect(Array.from(r.values)).toEqual([1, 2]);
    expect(r.consumed).toBe(8);
    const r2 = k.scan(enc('1.0 2.0 3.0 '), { final: false });
    expect(Array.from(r2.values)).toEqual([1, 2, 3]);
    expect(r2.consumed).toBe(12);
  });

  it('stops after maxValues with consumed just past the last value', () => {
    const r = k.scan(enc('  1 2 3 4 5'), { maxValues: 3 });
    expect(Array.from(r.values)).toEqual([1, 2, 3]);
    expect(r.consumed).toBe(7);
    expect(k.scan(enc('1 2'), { maxValues: 0 }).count).toBe(0);
  });

  it('handles empty and blank input', () => {
    expect(k.scan(new Uint8Array(0))).toMatchObject({ count: 0, consumed: 0, errorOffset: -1 });
    expect(k.scan(enc(' \n\t '))).toMatchObject({ count: 0, consumed: 4, errorOffset: -1 });
  });

  it('equals Number() of every token (property, seeded)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(token, ws), { minLength: 1, maxLength: 60 }), (list) => {
        const text = list.map(([t, w]) => t + w).join('');
        const r = k.scan(enc(text));
        // a token beyond a double (1.8e308) is an error at its offset, like `****`: the values before it are read
        const over = list.findIndex(([t]) => !Number.isFinite(reference(t)));
        const n = over < 0 ? list.length : over;
        expect(r.errorOffset).toBe(over < 0 ? -1 : list.slice(0, over).map(([t, w]) => t + w).join('').length);
        expect(r.count).toBe(n);
        for (let i = 0; i < n; i++) {
          const want = reference(list[i][0]);
          if (!Object.is(r.values[i], want)) throw new Error(`${list[i][0]}: got ${r.values[i]}, want ${want}`);
        }
      }),
      { seed: 20261125, numRuns: 400 },
    );
  });

  it('gives the same values when fed in chunks (property, seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(finite, ws), { minLength: 1, maxLength: 40 }),
        fc.array(fc.nat({ max: 2000 }), { maxLength: 8 }),
        (list, cuts) => {
          const bytes = enc(list.map(([t, w]) => t + w).join(''));
          const whole = Array.from(k.scan(bytes).values);
          expect(scanChunked(k, bytes, cuts)).toEqual(whole);
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });

  it('scans inputs larger than the WASM window, with many slow tokens', () => {
    const parts: string[] = [];
    for (let i = 0; i < 300_000; i++) parts.push(i % 3 === 0 ? `0.${(i % 9000) + 1000}E-${30 + (i % 60)}` : ` ${(i * 0.37).toFixed(4)}`);
    const text = parts.join(' ');
    const r = k.scan(enc(text));
    expect(r.count).toBe(300_000);
    expect(r.stats.slow).toBe(k.engine === 'js' ? 100_000 : 0);
    expect(r.values[3]).toBe(Number('0.1003E-33'));
    expect(r.values[299_999]).toBe(Number((299_999 * 0.37).toFixed(4)));
    const bad = k.scan(enc(`${text} ****`));
    expect(bad.errorOffset).toBe(text.length + 1);
    expect(bad.count).toBe(300_000);
  });
});

describe.each(engines.map((k) => [k.engine, k] as const))('scan options (%s)', (_, k) => {
  it('writes into a given array from an offset and stops when it is full', () => {
    const out = new Float64Array(5).fill(-1);
    const r = k.scan(enc('1 2 3 4 5'), { out, outOffset: 2 });
    expect(Array.from(out)).toEqual([-1, -1, 1, 2, 3]);
    expect(r.count).toBe(3);
    expect(r.values.buffer).toBe(out.buffer);
    expect(Array.from(r.values)).toEqual([1, 2, 3]);
    expect(r.consumed).toBe(5);
    // slow tokens land at their place in the given array too
    const o2 = new Float64Array(4);
    k.scan(enc('0.12345678901234567890123 4.9e-324 7'), { out: o2, outOffset: 1 });
    expect(Array.from(o2)).toEqual([0, 0.12345678901234567890123, 4.9e-324, 7]);
  });

  it('counts the newlines it consumed', () => {
    expect(k.scan(enc('1 2\n3\r\n\n4\n')).newlines).toBe(4);
    // a token touching the end of a non-final chunk is not consumed, nor are the lines after maxValues
    expect(k.scan(enc('1\n2\n3'), { final: false })).toMatchObject({ count: 2, consumed: 4, newlines: 2 });
    expect(k.scan(enc('1\n2\n3\n'), { maxValues: 2 })).toMatchObject({ consumed: 3, newlines: 1 });
  });

  it('reads vasprun.xml rows with their tags as separators', () => {
    const text = '  <r>  -1.0 2.0E+00</r>\n  <r>3 4</r>\n </set>';
    const r = k.scan(enc(text), { xmlRowLength: 2 });
    expect(Array.from(r.values)).toEqual([-1, 2, 3, 4]);
    expect(r.errorOffset).toBe(-1);
    expect(r.consumed).toBe(text.indexOf('</set>'));
    expect(r.newlines).toBe(2);
  });

  it.each([
    ['<r>1 2 3</r>', 7], // a row too long: the extra number
    ['<r>1</r>', 4], // a row too short: its end tag
    ['<r>1 2 <r>', 7], // nested row
    ['1 2', 0], // numbers outside a row
    ['<r>1 2</r></r>', 10], // a stray end tag
    ['<r>1 <v>2</r>', 5], // another tag inside a row
    ['<r>1 2</r><r>1 **</r>', 15], // a bad token
    ['<r>1 2</r><r>1 2', 10], // a row left open at the end of the input
  ])('reports malformed rows in %j', (text, offset) => {
    const r = k.scan(enc(text), { xmlRowLength: 2 });
    expect(r.errorOffset).toBe(offset);
    // count and consumed stop at the last complete row
    const complete = text.startsWith('<r>1 2</r>') ? 1 : 0;
    expect(r.count).toBe(2 * complete);
  });

  it('stops between rows at the end of a non-final chunk, at maxValues and when out is full', () => {
    const text = '<r>1 2</r>\n<r>3 4</r>\n<r>5 6</r>';
    for (const cut of [11, 15, 16, 20, 21]) {
      const r = k.scan(enc(text.slice(0, cut)), { xmlRowLength: 2, final: false });
      expect(r.errorOffset).toBe(-1);
      expect(r.count).toBe(cut >= 21 ? 4 : 2);
      expect(r.consumed).toBe(cut >= 21 ? 21 : 11);
    }
    expect(k.scan(enc(text), { xmlRowLength: 2, maxValues: 5 })).toMatchObject({ count: 4, consumed: 22, newlines: 2, errorOffset: -1 });
    const out = new Float64Array(3);
    expect(k.scan(enc(text), { xmlRowLength: 2, out })).toMatchObject({ count: 2, consumed: 11, newlines: 1 });
    expect(Array.from(out)).toEqual([1, 2, 0]);
    // a cut tag waits for the next chunk; at the end of the input it is another tag
    expect(k.scan(enc('<r>1 2</r> </'), { xmlRowLength: 2, final: false })).toMatchObject({ count: 2, consumed: 11, errorOffset: -1 });
    expect(k.scan(enc('<r>1 2</r> </'), { xmlRowLength: 2 })).toMatchObject({ count: 2, consumed: 11, errorOffset: -1 });
    expect(k.scan(enc('<r>1 2</r '), { xmlRowLength: 2 })).toMatchObject({ count: 0, consumed: 0, errorOffset: 6 });
  });
});

describe('scan options: both engines agree (property, seeded)', () => {
  const [js, wasm] = engines;
  const piece = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(token, ws).map(([t, w]) => t + w) },
    { weight: 2, arbitrary: fc.constantFrom('<r>', '</r>', ' <r> ', ' </r>\n', '</set>', '<', '</', '</r', '<rc>', '****', 'x') },
  );
  it('xml rows, out and chunking give the same result in both engines', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.nat({ max: 30 }), (parts, row, final, room) => {
        const bytes = enc(parts.join(''));
        for (const opts of [{ xmlRowLength: row, final }, { final, maxValues: room }, { out: new Float64Array(room + 2), outOffset: 2, final }]) {
          const a = js.scan(bytes, { ...opts, out: opts.out?.slice() });
          const b = wasm.scan(bytes, { ...opts, out: opts.out?.slice() });
          expect({ ...b, values: Array.from(b.values), stats: undefined }).toEqual({ ...a, values: Array.from(a.values), stats: undefined });
        }
      }),
      { seed: 20261125, numRuns: 1500 },
    );
  });

  it('rows longer than the WASM window share run on across windows', () => {
    const row = `<r>${' 7'.repeat(3000)} </r>\n`;
    const text = enc(row.repeat(400));
    for (const k of engines) {
      const r = k.scan(text, { xmlRowLength: 3000 });
      expect(r).toMatchObject({ count: 1_200_000, consumed: text.length, errorOffset: -1, newlines: 400 });
    }
  });

  it('rows of VASP output parse the same through tags as through blanked tags', () => {
    const rows = Array.from({ length: 200 }, (_, e) => `       <r>  ${(-20 + e * 0.1).toFixed(4)}  ${(e * 0.37).toFixed(4)}  ${(e * 1e-3).toFixed(4)} </r>\n`).join('');
    for (const k of engines) {
      const tagged = k.scan(enc(rows), { xmlRowLength: 3 });
      const blanked = k.scan(enc(rows.replace(/<\/?r>/g, (t) => ' '.repeat(t.length))));
      expect(Array.from(tagged.values)).toEqual(Array.from(blanked.values));
      expect(tagged.count).toBe(600);
      expect(tagged.newlines).toBe(200);
    }
  });
});

describe('scan: text rows (rowLength)', () => {
  it.each([
    ['1 2 3\n4 5 6\n', -1, 6],
    ['1 2 3\r\n 4\t5 6', -1, 6], // CR and tabs separate; a last line without newline counts
    ['1 2 3\n4 5\n6 7 8\n', 9, 5], // a row too short: its newline
    ['1 2 3 4\n5 6\n', 6, 3], // a row too long: the extra value
    ['1 2 3\n\n4 5 6\n', 6, 3], // a blank line inside the block
    ['1 2 3\n4 5', 9, 5], // a last line too short at the end of the input
  ])('checks every line of %j holds three values', (text, offset, count) => {
    for (const k of engines) {
      const r = k.scan(enc(text), { rowLength: 3 });
      expect(r.errorOffset).toBe(offset);
      expect(r.count).toBe(count);
    }
  });

  it('stops after maxValues, mid-file, and reports the values on the open line', () => {
    // 3N numbers can be a row of 2 and a row of 4: only the row check tells
    const text = '1 2\n3 4 5 6\n';
    for (const k of engines) {
      expect(k.scan(enc(text), { maxValues: 6 }).errorOffset).toBe(-1);
      expect(k.scan(enc(text), { maxValues: 6, rowLength: 3 }).errorOffset).toBe(3);
      const r = k.scan(enc('1 2 3\n4 5 6\n7 8 9\nvelocities'), { maxValues: 6, rowLength: 3 });
      expect(r).toMatchObject({ count: 6, consumed: 11, errorOffset: -1, rowFill: 3 });
      // a chunk cut inside a line: scan on from `consumed` with the line's values so far
      const a = k.scan(enc('1 2 3\n4 5'), { rowLength: 3, final: false });
      expect(a).toMatchObject({ count: 4, consumed: 8, rowFill: 1 });
      const b = k.scan(enc('5 6\n7 8 9\n'), { rowLength: 3, rowFill: a.rowFill });
      expect(b).toMatchObject({ count: 5, errorOffset: -1, rowFill: 0 });
    }
  });

  it('rows across WASM windows agree with the JS twin (seeded)', () => {
    const [js, wasm] = engines;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 4 }), (widths, row) => {
        // long lines of wide tokens so that a few rows already span several 64 KiB windows
        const tok = '0.1234567890123456'.repeat(50);
        const text = widths.map((w) => Array.from({ length: w }, () => tok).join('  ')).join('\n');
        const bytes = enc(text);
        const a = js.scan(bytes, { rowLength: row });
        const b = wasm.scan(bytes, { rowLength: row });
        expect({ ...b, values: b.values.length, stats: undefined }).toEqual({ ...a, values: a.values.length, stats: undefined });
      }),
      { seed: 20261203, numRuns: 200 },
    );
  });

  it('refuses rowLength with xmlRowLength and a rowFill beyond the row', () => {
    for (const k of engines) {
      expect(() => k.scan(enc('1'), { rowLength: 3, xmlRowLength: 3 })).toThrow(/exclude/);
      expect(() => k.scan(enc('1'), { rowLength: 3, rowFill: 4 })).toThrow(/rowFill/);
      expect(() => k.scan(enc('1'), { rowLength: 0 })).toThrow(/rowLength/);
    }
  });
});
