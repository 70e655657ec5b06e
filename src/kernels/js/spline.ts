import type { NebFit } from '../types.js';

/**
 * NEB energy profile as piecewise cubic Hermite segments through (x_i, E_i) with slopes dE/dx = −F∥_i, the
 * VTST (nebbarrier.pl) / ASE (`NEBTools` fit) construction. A NaN force falls back to a zero slope at an end
 * image and to the central finite difference inside. The maximum and minimum are found analytically per
 * segment (roots of the quadratic derivative), so they lie within [x_0, x_last].
 */
export function nebSpline(x: Float64Array, energies: Float64Array, tangentForces: Float64Array, samples: number): NebFit {
  const n = x.length;
  const slope = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const f = tangentForces[i];
    if (!Number.isNaN(f)) slope[i] = -f;
    else if (i === 0 || i === n - 1) slope[i] = 0;
    else slope[i] = (energies[i + 1] - energies[i - 1]) / (x[i + 1] - x[i - 1]);
  }
  let max = energies[0], xMax = x[0], min = energies[0], xMin = x[0];
  const take = (xv: number, y: number) => {
    if (y > max) {
      max = y;
      xMax = xv;
    }
    if (y < min) {
      min = y;
      xMin = xv;
    }
  };
  for (let s = 0; s + 1 < n; s++) {
    const h = x[s + 1] - x[s];
    const [A, B, C, D] = coefficients(energies[s], energies[s + 1], slope[s], slope[s + 1], h);
    // dy/dt = 3A t² + 2B t + C
    const qa = 3 * A, qb = 2 * B, qc = C;
    const roots: number[] = [];
    if (qa === 0) {
      if (qb !== 0) roots.push(-qc / qb);
    } else {
      const disc = qb * qb - 4 * qa * qc;
      if (disc >= 0) {
        const q = -0.5 * (qb + (qb >= 0 ? Math.sqrt(disc) : -Math.sqrt(disc)));
        roots.push(q / qa);
        if (q !== 0) roots.push(qc / q);
      }
    }
    for (const t of roots) if (t > 0 && t < 1) take(x[s] + t * h, ((A * t + B) * t + C) * t + D);
    take(x[s + 1], energies[s + 1]);
  }
  const xs = new Float64Array(samples);
  const ys = new Float64Array(samples);
  const x0 = x[0], span = x[n - 1] - x[0];
  let s = 0;
  for (let k = 0; k < samples; k++) {
    const xv = k === samples - 1 ? x[n - 1] : x0 + (span * k) / (samples - 1);
    while (s < n - 2 && xv > x[s + 1]) s++;
    const h = x[s + 1] - x[s];
    const [A, B, C, D] = coefficients(energies[s], energies[s + 1], slope[s], slope[s + 1], h);
    const t = (xv - x[s]) / h;
    xs[k] = xv;
    ys[k] = ((A * t + B) * t + C) * t + D;
  }
  return { x: Float64Array.from(x), xs, ys, max, xMax, min, xMin };
}

/** Cubic in t ∈ [0, 1] of the Hermite segment: y = A t³ + B t² + C t + D. */
function coefficients(y0: number, y1: number, s0: number, s1: number, h: number): [number, number, number, number] {
  return [2 * (y0 - y1) + h * (s0 + s1), 3 * (y1 - y0) - h * (2 * s0 + s1), h * s0, y0];
}
