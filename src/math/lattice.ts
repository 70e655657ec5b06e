/**
 * A lattice is a Float64Array(9): the rows a, b, c in Å, i.e. [ax, ay, az, bx, by, bz, cx, cy, cz].
 * Fractional f and Cartesian r are related by r = f · L (row vector times matrix).
 */
export type Lattice = Float64Array;

export function det3(m: ArrayLike<number>): number {
  return (
    m[0] * (m[4] * m[8] - m[5] * m[7]) -
    m[1] * (m[3] * m[8] - m[5] * m[6]) +
    m[2] * (m[3] * m[7] - m[4] * m[6])
  );
}

/** Cell volume in Å³ (always positive). */
export function cellVolume(lattice: Lattice): number {
  return Math.abs(det3(lattice));
}

/** Inverse of the 3×3 row-major matrix; throws RangeError on a singular cell (callers turn it into their error type). */
export function invert3(m: ArrayLike<number>): Float64Array {
  const d = det3(m);
  if (!Number.isFinite(d) || Math.abs(d) < 1e-12) throw new RangeError('singular lattice');
  const r = new Float64Array(9);
  r[0] = (m[4] * m[8] - m[5] * m[7]) / d;
  r[1] = (m[2] * m[7] - m[1] * m[8]) / d;
  r[2] = (m[1] * m[5] - m[2] * m[4]) / d;
  r[3] = (m[5] * m[6] - m[3] * m[8]) / d;
  r[4] = (m[0] * m[8] - m[2] * m[6]) / d;
  r[5] = (m[2] * m[3] - m[0] * m[5]) / d;
  r[6] = (m[3] * m[7] - m[4] * m[6]) / d;
  r[7] = (m[1] * m[6] - m[0] * m[7]) / d;
  r[8] = (m[0] * m[4] - m[1] * m[3]) / d;
  return r;
}

/** Lengths |a|, |b|, |c| in Å and angles α, β, γ in degrees. */
export function latticeParameters(lattice: Lattice): { a: number; b: number; c: number; alpha: number; beta: number; gamma: number } {
  const v = (i: number) => [lattice[3 * i], lattice[3 * i + 1], lattice[3 * i + 2]];
  const len = (x: number[]) => Math.hypot(x[0], x[1], x[2]);
  const ang = (x: number[], y: number[]) =>
    (Math.acos((x[0] * y[0] + x[1] * y[1] + x[2] * y[2]) / (len(x) * len(y))) * 180) / Math.PI;
  const [a, b, c] = [v(0), v(1), v(2)];
  return { a: len(a), b: len(b), c: len(c), alpha: ang(b, c), beta: ang(a, c), gamma: ang(a, b) };
}

/** Cartesian (Å) from fractional coordinates, both flat xyz arrays of length 3N. */
export function fracToCart(lattice: Lattice, frac: Float64Array): Float64Array {
  const n = frac.length / 3;
  const out = new Float64Array(frac.length);
  for (let i = 0; i < n; i++) {
    const f0 = frac[3 * i], f1 = frac[3 * i + 1], f2 = frac[3 * i + 2];
    for (let k = 0; k < 3; k++) out[3 * i + k] = f0 * lattice[k] + f1 * lattice[3 + k] + f2 * lattice[6 + k];
  }
  return out;
}

/** Fractional from Cartesian (Å) coordinates. */
export function cartToFrac(lattice: Lattice, cart: Float64Array): Float64Array {
  return fracToCart(invert3(lattice), cart);
}

/** Greatest common divisor of two integers (Miller indices). */
export function gcd(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : gcd(b, a % b);
}

/**
 * The smallest (h k l), |indices| ≤ 12, of the lattice planes normal to the Cartesian direction `v`; undefined when
 * no such plane family has small indices (hkl ∝ L·v: the components of the direction along a, b, c).
 */
export function planeNormalTo(lattice: Lattice, v: [number, number, number]): [number, number, number] | undefined {
  const m = [0, 1, 2].map((r) => lattice[3 * r] * v[0] + lattice[3 * r + 1] * v[1] + lattice[3 * r + 2] * v[2]);
  const big = Math.max(...m.map(Math.abs));
  if (!(big > 0)) return undefined;
  for (let scale = 1; scale <= 12; scale++) {
    const h = m.map((x) => (x / big) * scale);
    const r = h.map(Math.round) as [number, number, number];
    if (h.every((x, i) => Math.abs(x - r[i]) < 0.02) && r.some((x) => x !== 0)) {
      const g = gcd(gcd(r[0], r[1]), r[2]);
      return [r[0] / g, r[1] / g, r[2] / g];
    }
  }
  return undefined;
}
