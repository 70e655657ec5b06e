// Window integrals, moments and cumulative integrals; same rules and the same operation order as
// src/kernels/js/integrate.ts (see there for the definitions of the interp, mask and bins modes).

// @ts-ignore: decorator
@inline function E(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

function firstAtLeast(e: usize, n: i32, x: f64): i32 {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (E(e, mid) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function firstAbove(e: usize, n: i32, x: f64): i32 {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (E(e, mid) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lerpAt(e: usize, n: i32, y: usize, k: i32, x: f64): f64 {
  if (k >= n) return E(y, n - 1);
  if (E(e, k) == x || k == 0) return E(y, k);
  const t = (x - E(e, k - 1)) / (E(e, k) - E(e, k - 1));
  return E(y, k - 1) + t * (E(y, k) - E(y, k - 1));
}

/** mode: 0 interp, 1 mask, 2 bins. out: nCh values. */
export function integrate(e: usize, n: i32, ch: usize, nCh: i32, a: f64, b: f64, mode: i32, out: usize): void {
  for (let c = 0; c < nCh; c++) store<f64>(out + (<usize>c << 3), 0);
  if (n < 2 || !(b > a)) return;
  if (mode == 2) {
    const lo = firstAbove(e, n, a);
    const hi = firstAbove(e, n, b);
    for (let c = 0; c < nCh; c++) {
      const y = ch + ((<usize>c * <usize>n) << 3);
      let s: f64 = 0;
      for (let i = lo; i < hi; i++) s += E(y, i) * (i == 0 ? E(e, 1) - E(e, 0) : E(e, i) - E(e, i - 1));
      store<f64>(out + (<usize>c << 3), s);
    }
    return;
  }
  const lo = firstAtLeast(e, n, a);
  const hi = firstAbove(e, n, b);
  if (mode == 1) {
    for (let c = 0; c < nCh; c++) {
      const y = ch + ((<usize>c * <usize>n) << 3);
      let s: f64 = 0;
      for (let i = lo + 1; i < hi; i++) s += 0.5 * (E(e, i) - E(e, i - 1)) * (E(y, i) + E(y, i - 1));
      store<f64>(out + (<usize>c << 3), s);
    }
    return;
  }
  const ea = max(a, E(e, 0));
  const eb = min(b, E(e, n - 1));
  if (!(eb > ea)) return;
  for (let c = 0; c < nCh; c++) {
    const y = ch + ((<usize>c * <usize>n) << 3);
    const ya = lerpAt(e, n, y, lo, ea);
    const yb = lerpAt(e, n, y, hi, eb);
    let s: f64;
    if (lo >= hi) s = 0.5 * (eb - ea) * (ya + yb);
    else {
      s = 0.5 * (E(e, lo) - ea) * (ya + E(y, lo));
      for (let i = lo + 1; i < hi; i++) s += 0.5 * (E(e, i) - E(e, i - 1)) * (E(y, i) + E(y, i - 1));
      s += 0.5 * (eb - E(e, hi - 1)) * (E(y, hi - 1) + yb);
    }
    store<f64>(out + (<usize>c << 3), s);
  }
}

// @ts-ignore: decorator
@inline function f(x: f64, v: f64, shift: f64, power: i32): f64 {
  return power == 0 ? v : power == 1 ? (x - shift) * v : (x - shift) * (x - shift) * v;
}

function weighted(e: usize, y: usize, lo: i32, hi: i32, ea: f64, ya: f64, eb: f64, yb: f64, shift: f64, power: i32): f64 {
  if (lo >= hi) return 0.5 * (eb - ea) * (f(ea, ya, shift, power) + f(eb, yb, shift, power));
  let prev = f(E(e, lo), E(y, lo), shift, power);
  let s = 0.5 * (E(e, lo) - ea) * (f(ea, ya, shift, power) + prev);
  for (let i = lo + 1; i < hi; i++) {
    const cur = f(E(e, i), E(y, i), shift, power);
    s += 0.5 * (E(e, i) - E(e, i - 1)) * (cur + prev);
    prev = cur;
  }
  return s + 0.5 * (eb - E(e, hi - 1)) * (prev + f(eb, yb, shift, power));
}

/** out: integral[nCh], center[nCh], width[nCh]. */
export function moments(e: usize, n: i32, ch: usize, nCh: i32, a: f64, b: f64, out: usize): void {
  const o1 = out + (<usize>nCh << 3);
  const o2 = o1 + (<usize>nCh << 3);
  for (let c = 0; c < nCh; c++) {
    store<f64>(out + (<usize>c << 3), 0);
    store<f64>(o1 + (<usize>c << 3), NaN);
    store<f64>(o2 + (<usize>c << 3), NaN);
  }
  const ea = max(a, E(e, 0));
  const eb = min(b, E(e, n - 1));
  if (n < 2 || !(eb > ea)) return;
  const lo = firstAtLeast(e, n, a);
  const hi = firstAbove(e, n, b);
  for (let c = 0; c < nCh; c++) {
    const y = ch + ((<usize>c * <usize>n) << 3);
    const ya = lerpAt(e, n, y, lo, ea);
    const yb = lerpAt(e, n, y, hi, eb);
    const m0 = weighted(e, y, lo, hi, ea, ya, eb, yb, 0, 0);
    store<f64>(out + (<usize>c << 3), m0);
    if (m0 == 0) continue;
    const mu = weighted(e, y, lo, hi, ea, ya, eb, yb, 0, 1) / m0;
    store<f64>(o1 + (<usize>c << 3), mu);
    store<f64>(o2 + (<usize>c << 3), Math.sqrt(max(0, weighted(e, y, lo, hi, ea, ya, eb, yb, mu, 2) / m0)));
  }
}

/** out: nCh × n cumulative trapezoid integrals from the first energy. */
export function cumulative(e: usize, n: i32, ch: usize, nCh: i32, out: usize): void {
  for (let c = 0; c < nCh; c++) {
    const off = (<usize>c * <usize>n) << 3;
    const y = ch + off;
    const o = out + off;
    let s: f64 = 0;
    store<f64>(o, 0);
    for (let i = 1; i < n; i++) {
      s += 0.5 * (E(e, i) - E(e, i - 1)) * (E(y, i) + E(y, i - 1));
      store<f64>(o + (<usize>i << 3), s);
    }
  }
}
