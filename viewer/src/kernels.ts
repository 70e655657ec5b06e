import type { Kernels } from '../../src/kernels/types.js';
import { jsKernels } from '../../src/kernels/js.js';
import { createWasmKernels } from '../../src/kernels/wasm.js';

/** The release WASM build; Vite copies it next to the page as a hashed asset (relative URL, works from any path). */
const WASM_URL = new URL('../../build/kernels.wasm', import.meta.url);

/**
 * The page's kernels: the WASM engine when the module compiles here, else the JS twin (same results, slower),
 * with a note saying why. Pages opened from file:// cannot fetch the module, which is the usual reason.
 */
export async function pageKernels(): Promise<{ kernels: Kernels; note?: string }> {
  // `oxyscope view --engine js` opens the page with ?engine=js: the same choice as on the command line
  if (new URLSearchParams(location.search).get('engine') === 'js') return { kernels: jsKernels, note: 'JS engine chosen' };
  try {
    const res = await fetch(WASM_URL);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    // compileStreaming needs the application/wasm type; static hosts that send another one get the buffered path
    const module =
      res.headers.get('content-type')?.startsWith('application/wasm') && WebAssembly.compileStreaming
        ? await WebAssembly.compileStreaming(res)
        : await WebAssembly.compile(await res.arrayBuffer());
    return { kernels: await createWasmKernels(module) };
  } catch (e) {
    return { kernels: jsKernels, note: `WASM unavailable (${e instanceof Error ? e.message : String(e)}), using the JS engine` };
  }
}
