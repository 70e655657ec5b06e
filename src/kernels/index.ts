export type * from './types.js';
export { jsKernels } from './js.js';
