import { describe, expect, it } from 'vitest';
import { gluedNumbers, rowOfOtherWidth } from '../../../src/io/vasp/coordinate-rows.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('rowOfOtherWidth', () => {
  it('finds the first row that does not hold three tokens', () => {
    for (const [text, row] of [
      ['1 2 3\n4 5 6\n', -1],
      ['1 2\n3 4 5 6\n', 0],
      ['1 2 3\n4 5 6 7\n8 9\n', 1],
      ['1 2 3\n4 5 6', -1],
      ['\t1 2 3 \r\n 4 5 6 ', -1],
      ['1 2 3\n\n4 5 6\n', 1],
    ] as const) expect(rowOfOtherWidth(bytes(text), 0, text.length)).toBe(row);
  });
});

describe('gluedNumbers', () => {
  it('splits Fortran fields at signs and at the field width', () => {
    expect(gluedNumbers('-0.63265286-0.11227753')).toEqual([-0.63265286, -0.11227753]);
    expect(gluedNumbers('-1.10000000-0.20000000-0.30000000')).toEqual([-1.1, -0.2, -0.3]);
    expect(gluedNumbers('10.6326528611.11227753')).toEqual([10.63265286, 11.11227753]);
    expect(gluedNumbers('0.5-12.2500000011.50000000')).toEqual([0.5, -12.25, 11.5]);
  });
  it('leaves single numbers, words, exponents and broken fields alone', () => {
    for (const t of ['0.5', '-0.5', 'Li', '1.0E-05', '0.1234-100', '1.2.3', '-0.6326-0.11-0.5-0.1x']) expect(gluedNumbers(t)).toBeUndefined();
  });
});
