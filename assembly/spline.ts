// Force-aware NEB profile; the twin of src/kernels/js/spline.ts (see there for the construction).

import { alloc } from './arena';
import { F } from './cell';

let max_: f64 = 0;
let xMax_: f64 = 0;
let min_: f64 = 0;
let xMin_: f64 = 0;

function take(x: f64, y: f64): void {
  if (y > max_) {
    max_ = y;
    xMax_ = x;
  }
  if (y < min_) {
    min_ = y;
    xMin_ = x;
  }
}

/** xs, ys: samples f64 each; res: [max, xMax, min, xMin] f64. */
export function nebSpline(x: usize, e: usize, force: usize, n: i32, samples: i32, xs: usize, ys: usize, res: usize): void {
  const slope = alloc(<usize>n << 3);
  for (let i = 0; i < n; i++) {
    const f = F(force, i);
    let s: f64;
    if (!isNaN(f)) s = -f;
    else if (i == 0 || i == n - 1) s = 0;
    else s = (F(e, i + 1) - F(e, i - 1)) / (F(x, i + 1) - F(x, i - 1));
    store<f64>(slope + (<usize>i << 3), s);
  }
  max_ = F(e, 0);
  xMax_ = F(x, 0);
  min_ = F(e, 0);
  xMin_ = F(x, 0);
  for (let s = 0; s + 1 < n; s++) {
    const h = F(x, s + 1) - F(x, s);
    const y0 = F(e, s), y1 = F(e, s + 1), s0 = F(slope, s), s1 = F(slope, s + 1);
    const A = 2 * (y0 - y1) + h * (s0 + s1), B = 3 * (y1 - y0) - h * (2 * s0 + s1), C = h * s0, D = y0;
    const qa = 3 * A, qb = 2 * B, qc = C;
    if (qa == 0) {
      if (qb != 0) root(-qc / qb, F(x, s), h, A, B, C, D);
    } else {
      const disc = qb * qb - 4 * qa * qc;
      if (disc >= 0) {
        const q = -0.5 * (qb + (qb >= 0 ? Math.sqrt(disc) : -Math.sqrt(disc)));
        root(q / qa, F(x, s), h, A, B, C, D);
        if (q != 0) root(qc / q, F(x, s), h, A, B, C, D);
      }
    }
    take(F(x, s + 1), y1);
  }
  const x0 = F(x, 0), span = F(x, n - 1) - F(x, 0);
  let s = 0;
  for (let k = 0; k < samples; k++) {
    const xv = k == samples - 1 ? F(x, n - 1) : x0 + (span * <f64>k) / <f64>(samples - 1);
    while (s < n - 2 && xv > F(x, s + 1)) s++;
    const h = F(x, s + 1) - F(x, s);
    const y0 = F(e, s), y1 = F(e, s + 1), s0 = F(slope, s), s1 = F(slope, s + 1);
    const A = 2 * (y0 - y1) + h * (s0 + s1), B = 3 * (y1 - y0) - h * (2 * s0 + s1), C = h * s0, D = y0;
    const t = (xv - F(x, s)) / h;
    store<f64>(xs + (<usize>k << 3), xv);
    store<f64>(ys + (<usize>k << 3), ((A * t + B) * t + C) * t + D);
  }
  store<f64>(res, max_);
  store<f64>(res, xMax_, 8);
  store<f64>(res, min_, 16);
  store<f64>(res, xMin_, 24);
}

// @ts-ignore: decorator
@inline function root(t: f64, xs: f64, h: f64, A: f64, B: f64, C: f64, D: f64): void {
  if (t > 0 && t < 1) take(xs + t * h, ((A * t + B) * t + C) * t + D);
}
