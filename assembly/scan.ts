// Byte-level decimal scanner; the grammar and the fast/slow split are those of src/kernels/js/scan.ts.
// Tokens outside the exact fast path are not converted here: their (value index, start, end) go to a slow list
// and the JS side fills them with Number() of the normalised token, so every value equals Number().

// 10^0 … 10^22, each exact in binary64 (Clinger's fast path: one correctly rounded multiply or divide)
const POW10 = memory.data<f64>([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]);

const MANTISSA_LIMIT: u64 = 900719925474098;

// @ts-ignore: decorator
@inline function isSpace(c: u32): bool {
  return c == 32 || (c >= 9 && c <= 13);
}

// @ts-ignore: decorator
@inline function isDigit(c: u32): bool {
  return c - 48 < 10;
}

/**
 * Scans bytes[inPtr .. inPtr+n). Stops at the end, before a token touching the end when `final` is 0, after
 * `maxValues` values, when the slow list is full, or at a malformed token. Writes to res (i32):
 * [count, consumed, errorOffset, fast, slow].
 */
export function scan(inPtr: usize, n: i32, final: i32, maxValues: i32, outPtr: usize, slowPtr: usize, slowCap: i32, res: usize): void {
  let i = 0;
  let count = 0;
  let consumed = 0;
  let errorOffset = -1;
  let fast = 0;
  let slow = 0;
  while (count < maxValues && slow < slowCap) {
    while (i < n && isSpace(<u32>load<u8>(inPtr + i))) i++;
    consumed = i;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(<u32>load<u8>(inPtr + i))) i++;
    if (i == n && final == 0) break;
    const end = i;
    let p = start;
    let neg = false;
    let c = <u32>load<u8>(inPtr + p);
    if (c == 43 || c == 45) {
      neg = c == 45;
      p++;
    }
    let m: u64 = 0;
    let digits = 0;
    let scale = 0;
    let big = false;
    while (p < end && isDigit((c = <u32>load<u8>(inPtr + p)))) {
      digits++;
      if (m <= MANTISSA_LIMIT) m = m * 10 + <u64>(c - 48);
      else big = true;
      p++;
    }
    if (p < end && c == 46) {
      p++;
      while (p < end && isDigit((c = <u32>load<u8>(inPtr + p)))) {
        digits++;
        if (m <= MANTISSA_LIMIT) {
          m = m * 10 + <u64>(c - 48);
          scale++;
        } else big = true;
        p++;
      }
    }
    let bad = digits == 0;
    let exp = 0;
    if (!bad && p < end) {
      c = <u32>load<u8>(inPtr + p);
      if (c == 69 || c == 101 || c == 68 || c == 100) {
        p++;
        c = p < end ? <u32>load<u8>(inPtr + p) : 0;
      } else if (c != 43 && c != 45) bad = true;
      let eneg = false;
      if (p < end && (c == 43 || c == 45)) {
        eneg = c == 45;
        p++;
      }
      const e0 = p;
      while (p < end && isDigit((c = <u32>load<u8>(inPtr + p)))) {
        if (exp < 100000) exp = exp * 10 + <i32>(c - 48);
        p++;
      }
      if (p == e0 || p != end) bad = true;
      if (eneg) exp = -exp;
    }
    if (bad) {
      errorOffset = start;
      consumed = start;
      break;
    }
    const e10 = exp - scale;
    let v: f64 = 0;
    if (!big && (m == 0 || (e10 >= -22 && e10 <= 22))) {
      const fm = <f64>m;
      v = m == 0 ? 0 : e10 < 0 ? fm / load<f64>(POW10 + (<usize>-e10 << 3)) : fm * load<f64>(POW10 + (<usize>e10 << 3));
      if (neg) v = -v;
      fast++;
    } else {
      const r = slowPtr + (<usize>slow) * 12;
      store<i32>(r, count);
      store<i32>(r, start, 4);
      store<i32>(r, end, 8);
      slow++;
    }
    store<f64>(outPtr + (<usize>count << 3), v);
    count++;
    consumed = end;
  }
  store<i32>(res, count);
  store<i32>(res, consumed, 4);
  store<i32>(res, errorOffset, 8);
  store<i32>(res, fast, 12);
  store<i32>(res, slow, 16);
}
