import type { Kernels } from './types.js';
import { scan } from './js/scan.js';
import { cumulative, integrate, moments } from './js/integrate.js';
import { countByGroup, neighbours } from './js/neighbours.js';
import { countNeighbours } from './js/counts.js';
import { assignSites, minImage, project } from './js/geometry.js';
import { nebSpline } from './js/spline.js';
import { segmentSums } from './js/segments.js';
import { sqsAnneal } from './js/sqs.js';
import { makeKernels } from './validate.js';

/**
 * The JS twin of the WASM kernels: the same contract, the reference for parity tests, and the engine where
 * WebAssembly is not available. `jsEngine` trusts its inputs; `jsKernels` is the validated facade over it.
 */
export const jsEngine: Kernels = {
  engine: 'js',
  scan,
  integrate,
  moments,
  cumulative,
  neighbours,
  countNeighbours,
  countByGroup,
  minImage,
  assignSites,
  project,
  nebSpline,
  segmentSums,
  sqsAnneal,
};

/** The JS engine behind the shared input validation. */
export const jsKernels: Kernels = makeKernels(jsEngine);
