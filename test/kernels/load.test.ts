import { describe, expect, it } from 'vitest';
import { loadKernels } from '../../src/node/kernels.js';
import { jsKernels } from '../../src/kernels/index.js';

describe('loadKernels', () => {
  it('returns the JS twin for js and one cached WASM instance for wasm', async () => {
    expect(await loadKernels('js')).toBe(jsKernels);
    const w = await loadKernels('wasm');
    expect(w.engine).toBe('wasm');
    expect(await loadKernels('wasm')).toBe(w);
    expect(Array.from(w.scan(new TextEncoder().encode('1 2.5')).values)).toEqual([1, 2.5]);
  });
});
