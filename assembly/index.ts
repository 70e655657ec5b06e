// The WASM kernels' ABI: pointers into linear memory and lengths, f64/i32 scalars, no managed objects.
// The JS side (src/kernels/wasm.ts) allocates inputs and outputs in the arena, calls, copies the outputs out
// and resets the arena. Units and definitions are documented on the Kernels interface (src/kernels/types.ts).

export { alloc, reset } from './arena';
export { scan } from './scan';
export { integrate, moments, cumulative } from './integrate';
export { neighbours, countByGroup, assignSites } from './neighbours';
export { countNeighbours } from './counts';
export { minImage, project } from './geometry';
export { nebSpline } from './spline';
export { segmentSums } from './segments';
export { sqsAnneal } from './sqs';
