/**
 * Seeded PRNG for the bench inputs (mulberry32, as the LRLO builder uses; that one is private to the builder) with
 * a Box–Muller normal. Only integer arithmetic and IEEE operations: the same seed gives the same bytes on every
 * machine.
 */
export class Rng {
  private t: number;
  private spare: number | undefined;

  constructor(seed: number) {
    this.t = seed >>> 0;
  }

  next(): number {
    this.t = (this.t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(this.t ^ (this.t >>> 15), 1 | this.t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  }

  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}
