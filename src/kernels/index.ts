export type * from './types.js';
export { jsKernels } from './js.js';
export { makeKernels } from './validate.js';
export { createWasmKernels, instantiateKernels } from './wasm.js';
