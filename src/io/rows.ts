/**
 * Channel-major arrays (channel c at data[c * stride + row]) for a row count a header only claims (NEDOS, NPTS):
 * they start small and grow as rows arrive, so a header claiming 10^9 rows allocates nothing big before the rows
 * are there. Growth doubles, and jumps to the claimed count once an eighth of it is there (the data has then
 * shown the claim is plausible): a complete read ends with stride === rows, and the last copy holds less than an
 * eighth of the final size, so memory peaks below 1.125× the arrays returned.
 */
export class ChannelRows {
  data: Float64Array;
  /** rows of room per channel; the index of (channel, row) is channel * stride + row */
  stride: number;

  /** `first`: elements of the first allocation over all channels (at least one row) */
  constructor(readonly channels: number, readonly rows: number, first = 1 << 14) {
    this.stride = Math.min(rows, Math.max(1, Math.floor(first / channels)));
    this.data = new Float64Array(channels * this.stride);
  }

  /** Room for rows [0, n). */
  ensure(n: number): void {
    if (n <= this.stride) return;
    const doubled = Math.max(n, 2 * this.stride);
    const stride = 8 * doubled >= this.rows ? this.rows : doubled;
    const next = new Float64Array(this.channels * stride);
    for (let c = 0; c < this.channels; c++) next.set(this.data.subarray(c * this.stride, (c + 1) * this.stride), c * stride);
    this.data = next;
    this.stride = stride;
  }

  /** The arrays once all `rows` rows are read. */
  done(): Float64Array {
    this.ensure(this.rows);
    return this.data;
  }
}

/** A doubling Float64Array / Int32Array for values whose count is known only at the end: memory stays within twice the result. */
export class Grow<T extends Float64Array | Int32Array> {
  data: T;
  length = 0;
  constructor(
    private readonly make: (n: number) => T,
    capacity = 16,
  ) {
    this.data = make(Math.max(capacity, 16));
  }
  /** Room for `n` more values. */
  reserve(n: number): void {
    if (this.length + n <= this.data.length) return;
    const next = this.make(Math.max(this.data.length * 2, this.length + n));
    next.set(this.data.subarray(0, this.length) as never);
    this.data = next;
  }
  push(value: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = value;
  }
  pushAll(values: ArrayLike<number>): void {
    this.reserve(values.length);
    this.data.set(values as never, this.length);
    this.length += values.length;
  }
  /** The values, exact size; without a copy when little room is wasted. */
  done(): T {
    return (this.length * 1.25 >= this.data.length ? this.data.subarray(0, this.length) : this.data.slice(0, this.length)) as T;
  }
}
