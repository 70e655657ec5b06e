import type { Engine, Kernels } from '../kernels/types.js';
import { jsKernels } from '../kernels/js.js';

/** The kernels of the chosen engine, for Node (the viewer loads the WASM bytes by URL instead). */
export async function loadKernels(engine: Engine): Promise<Kernels> {
  if (engine === 'js') return jsKernels;
  // WASM engine lands with the kernels issue; until then the JS twin serves both.
  return jsKernels;
}
