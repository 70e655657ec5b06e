import type { SiteAssignment } from '../types.js';
import { buildGrid, gridShape, perpendicularWidths } from './cell.js';

/**
 * Minimum-image displacement from fracA to fracB per site, in Å. After the naive wrap of Δf into [−½, ½) the
 * wrapped vector's length d bounds the answer, and any shorter image differs by at most d / w_k along lattice
 * direction k (w_k = perpendicular width), so scanning those integer shifts is exact in any skewed cell,
 * not only in near-orthogonal ones where the naive wrap suffices.
 */
export function minImage(lattice: Float64Array, fracA: Float64Array, fracB: Float64Array): Float64Array {
  const L = lattice;
  const w = perpendicularWidths(L);
  const n = fracA.length / 3;
  const out = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    const r0 = wrapHalf(fracB[3 * i] - fracA[3 * i]);
    const r1 = wrapHalf(fracB[3 * i + 1] - fracA[3 * i + 1]);
    const r2 = wrapHalf(fracB[3 * i + 2] - fracA[3 * i + 2]);
    let bx = r0 * L[0] + r1 * L[3] + r2 * L[6];
    let by = r0 * L[1] + r1 * L[4] + r2 * L[7];
    let bz = r0 * L[2] + r1 * L[5] + r2 * L[8];
    let best = bx * bx + by * by + bz * bz;
    const d = Math.sqrt(best) * (1 + 1e-9) + 1e-12;
    const lo0 = Math.ceil(-r0 - d / w[0]), hi0 = Math.floor(-r0 + d / w[0]);
    const lo1 = Math.ceil(-r1 - d / w[1]), hi1 = Math.floor(-r1 + d / w[1]);
    const lo2 = Math.ceil(-r2 - d / w[2]), hi2 = Math.floor(-r2 + d / w[2]);
    for (let n0 = lo0; n0 <= hi0; n0++) {
      for (let n1 = lo1; n1 <= hi1; n1++) {
        for (let n2 = lo2; n2 <= hi2; n2++) {
          const f0 = r0 + n0, f1 = r1 + n1, f2 = r2 + n2;
          const x = f0 * L[0] + f1 * L[3] + f2 * L[6];
          const y = f0 * L[1] + f1 * L[4] + f2 * L[7];
          const z = f0 * L[2] + f1 * L[5] + f2 * L[8];
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
    out[3 * i] = bx;
    out[3 * i + 1] = by;
    out[3 * i + 2] = bz;
  }
  return out;
}

/** x − nearest integer, in [−½, ½) */
function wrapHalf(x: number): number {
  return x - Math.floor(x + 0.5);
}

/**
 * Nearest reference site (minimum image) of each site, when within `tol` Å; index −1 and dist NaN otherwise.
 * Reference sites are binned on a linked-cell grid of cell size ≥ tol, so the cost is O(N + M).
 * Ties go to the lower reference index.
 */
export function assignSites(lattice: Float64Array, frac: Float64Array, refFrac: Float64Array, tol: number): SiteAssignment {
  const L = lattice;
  const n = frac.length / 3;
  const m = refFrac.length / 3;
  const { nc, reach } = gridShape(L, tol, m);
  const g = buildGrid(L, refFrac, nc, reach);
  const W = g.wrapped;
  const index = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n).fill(NaN);
  const tol2 = tol * tol;
  const n12 = nc[1] * nc[2];
  for (let i = 0; i < n; i++) {
    const u0 = frac[3 * i] - Math.floor(frac[3 * i]);
    const u1 = frac[3 * i + 1] - Math.floor(frac[3 * i + 1]);
    const u2 = frac[3 * i + 2] - Math.floor(frac[3 * i + 2]);
    const b0 = Math.min(nc[0] - 1, Math.floor(u0 * nc[0]));
    const b1 = Math.min(nc[1] - 1, Math.floor(u1 * nc[1]));
    const b2 = Math.min(nc[2] - 1, Math.floor(u2 * nc[2]));
    const xi = u0 * L[0] + u1 * L[3] + u2 * L[6];
    const yi = u0 * L[1] + u1 * L[4] + u2 * L[7];
    const zi = u0 * L[2] + u1 * L[5] + u2 * L[8];
    let best = Infinity;
    let bestK = -1;
    for (let d0 = -reach[0]; d0 <= reach[0]; d0++) {
      const v0 = b0 + d0, m0 = Math.floor(v0 / nc[0]), c0 = v0 - m0 * nc[0];
      for (let d1 = -reach[1]; d1 <= reach[1]; d1++) {
        const v1 = b1 + d1, m1 = Math.floor(v1 / nc[1]), c1 = v1 - m1 * nc[1];
        for (let d2 = -reach[2]; d2 <= reach[2]; d2++) {
          const v2 = b2 + d2, m2 = Math.floor(v2 / nc[2]), c2 = v2 - m2 * nc[2];
          const tx = m0 * L[0] + m1 * L[3] + m2 * L[6];
          const ty = m0 * L[1] + m1 * L[4] + m2 * L[7];
          const tz = m0 * L[2] + m1 * L[5] + m2 * L[8];
          const cell = c0 * n12 + c1 * nc[2] + c2;
          for (let p = g.start[cell], e = g.start[cell + 1]; p < e; p++) {
            const k = g.order[p];
            const dx = W[3 * k] + tx - xi, dy = W[3 * k + 1] + ty - yi, dz = W[3 * k + 2] + tz - zi;
            const dd = dx * dx + dy * dy + dz * dz;
            if (dd <= tol2 && (dd < best || (dd === best && k < bestK))) {
              best = dd;
              bestK = k;
            }
          }
        }
      }
    }
    if (bestK >= 0) {
      index[i] = bestK;
      dist[i] = Math.sqrt(best);
    }
  }
  return { index, dist };
}

/** Height (Å) of each Cartesian position along the unit vector `axis`. */
export function project(cart: Float64Array, axis: Float64Array): Float64Array {
  const n = cart.length / 3;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = cart[3 * i] * axis[0] + cart[3 * i + 1] * axis[1] + cart[3 * i + 2] * axis[2];
  return out;
}
