import { describe, expect, it } from 'vitest';
import { freshWasm, enc } from './engines.js';

describe('WASM memory', () => {
  it('does not grow across 10,000 calls of the same size', async () => {
    const { kernels: k, memory } = await freshWasm();
    const sizeOf = () => memory.buffer.byteLength;
    const e = Float64Array.from({ length: 2001 }, (_, i) => -10 + i * 0.01);
    const ch = new Float64Array(9 * 2001).fill(0.5);
    const L = new Float64Array([8, 0, 0, 0, 8, 0, 0, 0, 8]);
    const cart = Float64Array.from({ length: 3 * 200 }, (_, i) => ((i * 0.6180339887) % 1) * 8);
    const text = enc('0.1234E-01 -0.5678E+02 0.1234E-40 '.repeat(300));
    const round = () => {
      k.integrate(e, ch, 9, -2, 0, 'interp');
      k.neighbours(L, cart, 3);
      k.scan(text);
    };
    round();
    const before = sizeOf();
    for (let i = 0; i < 10_000; i++) round();
    expect(before).toBeGreaterThan(0);
    expect(sizeOf()).toBe(before);
  });
});
