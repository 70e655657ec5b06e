import { describe, expect, it } from 'vitest';
import { jsKernels } from '../src/kernels/js.js';

describe('scan (js)', () => {
  it('reads Fortran fused exponents', () => {
    const r = jsKernels.scan(new TextEncoder().encode(' 1.5 -2.0E+01 0.1234-100 3.0D2\n'));
    expect(Array.from(r.values)).toEqual([1.5, -20, 0.1234e-100, 300]);
  });
});
