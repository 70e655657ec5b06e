import { readFile } from 'node:fs/promises';
import { OxyError } from '../errors.js';
import type { Engine, Kernels } from '../kernels/types.js';
import { jsKernels } from '../kernels/js.js';
import { createWasmKernels } from '../kernels/wasm.js';
import { wasmPath } from './paths.js';


let wasm: Promise<Kernels> | undefined;

/** The kernels of the chosen engine, for Node (the viewer instantiates the WASM bytes it fetches itself). */
export function loadKernels(engine: Engine): Promise<Kernels> {
  if (engine === 'js') return Promise.resolve(jsKernels);
  wasm ??= readFile(wasmPath()).then(
    (bytes) => createWasmKernels(bytes),
    (err: NodeJS.ErrnoException) => {
      wasm = undefined;
      throw new OxyError('wasm-missing', `cannot load the WASM kernels from ${wasmPath()} (run \`npm run asbuild\`): ${err.code ?? err.message}`);
    },
  );
  return wasm;
}
