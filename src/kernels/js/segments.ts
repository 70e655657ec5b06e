import type { SegmentSums } from '../types.js';

/** Sum and count of `values` per key in [0, nKeys); negative keys are skipped. Mean = sum / count. */
export function segmentSums(values: Float64Array, keys: Int32Array, nKeys: number): SegmentSums {
  const sum = new Float64Array(nKeys);
  const count = new Int32Array(nKeys);
  for (let i = 0; i < values.length; i++) {
    const k = keys[i];
    if (k >= 0) {
      sum[k] += values[i];
      count[k]++;
    }
  }
  return { sum, count };
}
