// Minimum-image displacements and projections; the twin of src/kernels/js/geometry.ts.

import { F } from './cell';

// @ts-ignore: decorator
@inline function wrapHalf(x: f64): f64 {
  return x - Math.floor(x + 0.5);
}

/** out (3n f64): minimum-image Cartesian displacement from fracA to fracB; widths = perpendicular widths (3 f64). */
export function minImage(L: usize, widths: usize, fracA: usize, fracB: usize, n: i32, out: usize): void {
  const L0 = F(L, 0), L1 = F(L, 1), L2 = F(L, 2), L3 = F(L, 3), L4 = F(L, 4), L5 = F(L, 5), L6 = F(L, 6), L7 = F(L, 7), L8 = F(L, 8);
  const w0 = F(widths, 0), w1 = F(widths, 1), w2 = F(widths, 2);
  for (let i = 0; i < n; i++) {
    const r0 = wrapHalf(F(fracB, 3 * i) - F(fracA, 3 * i));
    const r1 = wrapHalf(F(fracB, 3 * i + 1) - F(fracA, 3 * i + 1));
    const r2 = wrapHalf(F(fracB, 3 * i + 2) - F(fracA, 3 * i + 2));
    let bx = r0 * L0 + r1 * L3 + r2 * L6;
    let by = r0 * L1 + r1 * L4 + r2 * L7;
    let bz = r0 * L2 + r1 * L5 + r2 * L8;
    let best = bx * bx + by * by + bz * bz;
    const d = Math.sqrt(best) * (1 + 1e-9) + 1e-12;
    const lo0 = Math.ceil(-r0 - d / w0), hi0 = Math.floor(-r0 + d / w0);
    const lo1 = Math.ceil(-r1 - d / w1), hi1 = Math.floor(-r1 + d / w1);
    const lo2 = Math.ceil(-r2 - d / w2), hi2 = Math.floor(-r2 + d / w2);
    for (let n0 = lo0; n0 <= hi0; n0++) {
      for (let n1 = lo1; n1 <= hi1; n1++) {
        for (let n2 = lo2; n2 <= hi2; n2++) {
          const f0 = r0 + n0, f1 = r1 + n1, f2 = r2 + n2;
          const x = f0 * L0 + f1 * L3 + f2 * L6;
          const y = f0 * L1 + f1 * L4 + f2 * L7;
          const z = f0 * L2 + f1 * L5 + f2 * L8;
          const d2 = x * x + y * y + z * z;
          if (d2 < best) {
            best = d2;
            bx = x;
            by = y;
            bz = z;
          }
        }
      }
    }
    store<f64>(out + (<usize>(3 * i) << 3), bx);
    store<f64>(out + (<usize>(3 * i) << 3), by, 8);
    store<f64>(out + (<usize>(3 * i) << 3), bz, 16);
  }
}

/** out (n f64): height of each Cartesian position along the unit axis (ax, ay, az). */
export function project(cart: usize, n: i32, ax: f64, ay: f64, az: f64, out: usize): void {
  for (let i = 0; i < n; i++) {
    store<f64>(out + (<usize>i << 3), F(cart, 3 * i) * ax + F(cart, 3 * i + 1) * ay + F(cart, 3 * i + 2) * az);
  }
}
