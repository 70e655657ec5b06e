import type { IntegrationMode, Moments } from '../types.js';

/**
 * Window integrals over [a, b] of channels sampled on a strictly increasing energy grid. Channel c of
 * `channels` is channels[c*n .. c*n+n). Outside the grid the data is taken as zero, so a window outside the
 * energy range integrates to 0.
 *
 * - `interp` (default): trapezoid rule with ρ linearly interpolated at a and b; exact for piecewise-linear ρ.
 * - `mask`: trapezoid over the grid points with a ≤ E ≤ b only, as pymatgen's `Dos.get_n_moment` masks its grid.
 * - `bins`: VASP's histogram reading, Σ ρ_i·ΔE_i over points with a < E_i ≤ b, ΔE_i = E_i − E_{i−1}
 *   (the first point uses E_1 − E_0); this is how VASP's integrated-DOS column accumulates.
 */
export function integrate(
  energies: Float64Array,
  channels: Float64Array,
  nChannels: number,
  a: number,
  b: number,
  mode: IntegrationMode,
): Float64Array {
  const n = energies.length;
  const out = new Float64Array(nChannels);
  if (n < 2 || !(b > a)) return out;
  if (mode === 'bins') {
    const lo = firstAbove(energies, a);
    const hi = firstAbove(energies, b);
    for (let c = 0; c < nChannels; c++) {
      const y = c * n;
      let s = 0;
      for (let i = lo; i < hi; i++) s += channels[y + i] * (i === 0 ? energies[1] - energies[0] : energies[i] - energies[i - 1]);
      out[c] = s;
    }
    return out;
  }
  // grid points with a ≤ E ≤ b are [lo, hi)
  const lo = firstAtLeast(energies, a);
  const hi = firstAbove(energies, b);
  if (mode === 'mask') {
    for (let c = 0; c < nChannels; c++) {
      const y = c * n;
      let s = 0;
      for (let i = lo + 1; i < hi; i++) s += 0.5 * (energies[i] - energies[i - 1]) * (channels[y + i] + channels[y + i - 1]);
      out[c] = s;
    }
    return out;
  }
  const ea = Math.max(a, energies[0]);
  const eb = Math.min(b, energies[n - 1]);
  if (!(eb > ea)) return out;
  for (let c = 0; c < nChannels; c++) {
    const y = c * n;
    const ya = lerpAt(energies, channels, y, lo, ea);
    const yb = lerpAt(energies, channels, y, hi, eb);
    let s: number;
    if (lo >= hi) s = 0.5 * (eb - ea) * (ya + yb);
    else {
      s = 0.5 * (energies[lo] - ea) * (ya + channels[y + lo]);
      for (let i = lo + 1; i < hi; i++) s += 0.5 * (energies[i] - energies[i - 1]) * (channels[y + i] + channels[y + i - 1]);
      s += 0.5 * (eb - energies[hi - 1]) * (channels[y + hi - 1] + yb);
    }
    out[c] = s;
  }
  return out;
}

/**
 * Integral, centre and width over [a, b] by the `interp` rule applied to ρ, E·ρ and (E − centre)²·ρ
 * (trapezoids on the grid, ρ interpolated at the edges). With a and b on grid points this equals pymatgen's
 * `get_band_center` / `get_n_moment(2)` on the same window.
 */
export function moments(energies: Float64Array, channels: Float64Array, nChannels: number, a: number, b: number): Moments {
  const n = energies.length;
  const integral = new Float64Array(nChannels);
  const center = new Float64Array(nChannels).fill(NaN);
  const width = new Float64Array(nChannels).fill(NaN);
  const ea = Math.max(a, energies[0]);
  const eb = Math.min(b, energies[n - 1]);
  if (n < 2 || !(eb > ea)) return { integral, center, width };
  const lo = firstAtLeast(energies, a);
  const hi = firstAbove(energies, b);
  for (let c = 0; c < nChannels; c++) {
    const y = c * n;
    const ya = lerpAt(energies, channels, y, lo, ea);
    const yb = lerpAt(energies, channels, y, hi, eb);
    const m0 = weighted(energies, channels, y, lo, hi, ea, ya, eb, yb, 0, 0);
    integral[c] = m0;
    if (m0 === 0) continue;
    const mu = weighted(energies, channels, y, lo, hi, ea, ya, eb, yb, 0, 1) / m0;
    center[c] = mu;
    width[c] = Math.sqrt(Math.max(0, weighted(energies, channels, y, lo, hi, ea, ya, eb, yb, mu, 2) / m0));
  }
  return { integral, center, width };
}

/** Trapezoid of (E − shift)^power · ρ over [ea, eb] with the interior grid points [lo, hi). */
function weighted(
  e: Float64Array, ch: Float64Array, y: number, lo: number, hi: number,
  ea: number, ya: number, eb: number, yb: number, shift: number, power: number,
): number {
  const f = (x: number, v: number) => (power === 0 ? v : power === 1 ? (x - shift) * v : (x - shift) * (x - shift) * v);
  if (lo >= hi) return 0.5 * (eb - ea) * (f(ea, ya) + f(eb, yb));
  let prev = f(e[lo], ch[y + lo]);
  let s = 0.5 * (e[lo] - ea) * (f(ea, ya) + prev);
  for (let i = lo + 1; i < hi; i++) {
    const cur = f(e[i], ch[y + i]);
    s += 0.5 * (e[i] - e[i - 1]) * (cur + prev);
    prev = cur;
  }
  return s + 0.5 * (eb - e[hi - 1]) * (prev + f(eb, yb));
}

/** Cumulative trapezoid integral from the first energy, per channel (out[c*n] = 0). */
export function cumulative(energies: Float64Array, channels: Float64Array, nChannels: number): Float64Array {
  const n = energies.length;
  const out = new Float64Array(nChannels * n);
  for (let c = 0; c < nChannels; c++) {
    const y = c * n;
    let s = 0;
    for (let i = 1; i < n; i++) {
      s += 0.5 * (energies[i] - energies[i - 1]) * (channels[y + i] + channels[y + i - 1]);
      out[y + i] = s;
    }
  }
  return out;
}

/** ρ at x ∈ [E_0, E_{n−1}] by linear interpolation; k = index of the first grid point ≥ x (or > x). */
function lerpAt(e: Float64Array, ch: Float64Array, y: number, k: number, x: number): number {
  const n = e.length;
  if (k >= n) return ch[y + n - 1];
  if (e[k] === x || k === 0) return ch[y + k];
  const t = (x - e[k - 1]) / (e[k] - e[k - 1]);
  return ch[y + k - 1] + t * (ch[y + k] - ch[y + k - 1]);
}

/** First index with e[i] ≥ x (n when none). */
export function firstAtLeast(e: Float64Array, x: number): number {
  let lo = 0;
  let hi = e.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (e[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with e[i] > x (n when none). */
export function firstAbove(e: Float64Array, x: number): number {
  let lo = 0;
  let hi = e.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (e[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
