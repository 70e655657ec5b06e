import { readFile } from 'node:fs/promises';
import { jsKernels } from '../../src/kernels/js.js';
import { createWasmKernels, instantiateKernels } from '../../src/kernels/wasm.js';
import type { Kernels } from '../../src/kernels/types.js';

/** Both engines, the WASM one from the release build (`npm run asbuild`). */
export async function bothEngines(): Promise<Kernels[]> {
  const bytes = await readFile(new URL('../../build/kernels.wasm', import.meta.url));
  return [jsKernels, await createWasmKernels(bytes)];
}

/** A fresh WASM instance with its memory, for tests that watch memory. */
export async function freshWasm(): Promise<{ kernels: Kernels; memory: WebAssembly.Memory }> {
  const module = await WebAssembly.compile(await readFile(new URL('../../build/kernels.wasm', import.meta.url)));
  return instantiateKernels(module);
}

export const enc = (s: string) => new TextEncoder().encode(s);

/** Brute-force neighbour pairs over images −R..R (R from the perpendicular widths), as sorted "i j a b c" keys with distances. */
export function brutePairs(L: Float64Array, cart: Float64Array, cutoff: number, R: number): Map<string, number> {
  const n = cart.length / 3;
  const out = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      for (let a = -R; a <= R; a++) {
        for (let b = -R; b <= R; b++) {
          for (let c = -R; c <= R; c++) {
            if (i === j && a === 0 && b === 0 && c === 0) continue;
            const dx = cart[3 * j] + a * L[0] + b * L[3] + c * L[6] - cart[3 * i];
            const dy = cart[3 * j + 1] + a * L[1] + b * L[4] + c * L[7] - cart[3 * i + 1];
            const dz = cart[3 * j + 2] + a * L[2] + b * L[5] + c * L[8] - cart[3 * i + 2];
            const d = Math.hypot(dx, dy, dz);
            if (d <= cutoff) out.set(`${i} ${j} ${a} ${b} ${c}`, d);
          }
        }
      }
    }
  }
  return out;
}

/** The kernel's pairs in the same keyed form. */
export function keyedPairs(list: { offsets: Int32Array; j: Int32Array; image: Int32Array; dist: Float64Array }): Map<string, number> {
  const out = new Map<string, number>();
  const n = list.offsets.length - 1;
  for (let i = 0; i < n; i++) {
    for (let p = list.offsets[i]; p < list.offsets[i + 1]; p++) {
      out.set(`${i} ${list.j[p]} ${list.image[3 * p]} ${list.image[3 * p + 1]} ${list.image[3 * p + 2]}`, list.dist[p]);
    }
  }
  return out;
}
