// Sums and counts by integer key; the twin of src/kernels/js/segments.ts.

/** sum (nKeys f64) and count (nKeys i32) of values per key; negative keys skipped. */
export function segmentSums(values: usize, keys: usize, n: i32, nKeys: i32, sum: usize, count: usize): void {
  memory.fill(sum, 0, <usize>nKeys << 3);
  memory.fill(count, 0, <usize>nKeys << 2);
  for (let i = 0; i < n; i++) {
    const k = load<i32>(keys + (<usize>i << 2));
    if (k >= 0) {
      const sp = sum + (<usize>k << 3);
      store<f64>(sp, load<f64>(sp) + load<f64>(values + (<usize>i << 3)));
      const cp = count + (<usize>k << 2);
      store<i32>(cp, load<i32>(cp) + 1);
    }
  }
}
