// Byte-level decimal scanner; the grammar is that of src/kernels/js/scan.ts. Conversion is exact in three tiers:
// 1. Clinger's fast path (mantissa < 2^53, |e10| ≤ 22: one correctly rounded multiply or divide);
// 2. Eisel–Lemire (mantissa of up to 19 digits held exactly in a u64, any exponent): a 64×128-bit product with
//    a truncated power of five, correctly rounded for every such input (Lemire, "Number Parsing at a Gigabyte
//    per Second", 2021; fast_float's compute_float). Subnormal results are left to tier 3;
// 3. everything else (more than 19 significant digits, subnormals) is not converted here: its (value index,
//    start, end) goes to a slow list and the JS side fills it with Number() of the normalised token.
// Tiers 1 and 2 count as `fast`, tier 3 as `slow`.

import { POW5, POW5_MAX_Q, POW5_MIN_Q } from './pow5';

// 10^0 … 10^22, each exact in binary64 (Clinger's fast path: one correctly rounded multiply or divide)
const POW10 = memory.data<f64>([
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]);

/** Above this, m·10 + 9 overflows a u64: the mantissa is no longer held exactly. */
const U64_LIMIT: u64 = 1844674407370955160;
const CLINGER_MAX: u64 = 9007199254740992; // 2^53

/** High 64 bits of the 128-bit product a·b. */
// @ts-ignore: decorator
@inline function mulHigh(a: u64, b: u64): u64 {
  const a0 = a & 0xffffffff, a1 = a >> 32, b0 = b & 0xffffffff, b1 = b >> 32;
  const p01 = a0 * b1, p10 = a1 * b0;
  const mid = ((a0 * b0) >> 32) + (p01 & 0xffffffff) + (p10 & 0xffffffff);
  return a1 * b1 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/**
 * w·10^q correctly rounded, for 0 < w < 2^64 held exactly; NaN when the result is subnormal (left to the slow
 * path). Follows fast_float's compute_float<binary64> with power_of_five_128 (pow5.ts).
 */
function eiselLemire(w: u64, q: i32, neg: bool): f64 {
  if (q < POW5_MIN_Q) return neg ? -0.0 : 0.0;
  if (q > POW5_MAX_Q) return neg ? -Infinity : Infinity;
  const lz = <i32>clz(w);
  w <<= <u64>lz;
  const t = POW5 + (<usize>(q - POW5_MIN_Q) << 4);
  const hi5 = load<u64>(t), lo5 = load<u64>(t, 8);
  let high = mulHigh(w, hi5);
  let low = w * hi5;
  if ((high & 0x1ff) == 0x1ff) {
    const second = mulHigh(w, lo5);
    low += second;
    if (second > low) high++;
  }
  const upper = <i32>(high >> 63);
  const shift = <u64>(upper + 9);
  let mant = high >> shift;
  let power2 = ((((152170 + 65536) * q) >> 16) + 63) + upper - lz + 1023;
  if (power2 <= 0) return NaN;
  // round half to even where the product is exact (q in [−4, 23] per fast_float)
  if (low <= 1 && q >= -4 && q <= 23 && (mant & 3) == 1 && (mant << shift) == high) mant &= ~(<u64>1);
  mant += mant & 1;
  mant >>= 1;
  if (mant >= (<u64>2 << 52)) {
    mant = <u64>1 << 52;
    power2++;
  }
  mant &= ~(<u64>1 << 52);
  if (power2 >= 0x7ff) return neg ? -Infinity : Infinity;
  return reinterpret<f64>(mant | (<u64>power2 << 52) | (neg ? <u64>1 << 63 : 0));
}

// @ts-ignore: decorator
@inline function isSpace(c: u32): bool {
  return c == 32 || (c >= 9 && c <= 13);
}

// @ts-ignore: decorator
@inline function isDigit(c: u32): bool {
  return c - 48 < 10;
}

// @ts-ignore: decorator
@inline function byteAt(inPtr: usize, k: i32, n: i32): u32 {
  return k < n ? <u32>load<u8>(inPtr + k) : 256;
}

/** How a scan ended (res[6]): the WASM wrapper goes on to its next window only after END. */
const END = 0; // end of the bytes, or a token or row cut by the end of a non-final chunk
const FULL = 1; // maxValues (or the slow list) reached
const TAG = 2; // xml rows: another tag outside a row
const BAD = 3; // a malformed token or row (errorOffset)

/**
 * Scans bytes[inPtr .. inPtr+n); byte inPtr+n must be a space (a sentinel the caller writes, so digit loops need
 * no bounds checks). Stops at the end, before a token touching the end when `final` is 0, after `maxValues`
 * values, when the slow list is full, or at a malformed token. `xmlRow` > 0 reads vasprun.xml `<r>` rows of that
 * many values (the contract is ScanOptions.xmlRowLength); `textRow` > 0 reads text lines of that many values, the
 * first holding `fill` values already (ScanOptions.rowLength, rowFill). Writes to res (i32):
 * [count, consumed, errorOffset, fast, slow, newlines, reason, values on the line at consumed].
 */
export function scan(
  inPtr: usize, n: i32, final: i32, maxValues: i32, outPtr: usize, slowPtr: usize, slowCap: i32, res: usize, xmlRow: i32,
  textRow: i32, fill: i32,
): void {
  const xml = xmlRow > 0;
  let i = 0;
  let count = 0;
  let consumed = 0;
  let errorOffset = -1;
  let fast = 0;
  let slow = 0;
  let nl = 0;
  let reason = END;
  // xml rows: where the open row started, and the counters there (restored when the scan stops inside it)
  let inRow = false;
  let rowStart = 0, rowCount = 0, rowNl = 0, rowFast = 0, rowSlow = 0;
  for (;;) {
    if (!xml && (count >= maxValues || slow >= slowCap)) {
      reason = FULL;
      break;
    }
    let c: u32 = 0;
    let shortRow = false;
    while (i < n) {
      c = <u32>load<u8>(inPtr + i);
      if (!isSpace(c)) break;
      if (c == 10) {
        nl++;
        if (textRow > 0) {
          if (fill != textRow) {
            shortRow = true;
            break;
          }
          fill = 0;
        }
      }
      i++;
    }
    consumed = i;
    if (shortRow) {
      errorOffset = i;
      reason = BAD;
      break;
    }
    if (i >= n) {
      if (inRow && final != 0) {
        errorOffset = rowStart;
        reason = BAD;
      }
      if (textRow > 0 && final != 0 && fill != 0 && fill != textRow) {
        errorOffset = n;
        reason = BAD;
      }
      break;
    }
    if (xml && c == 60) {
      const c1 = byteAt(inPtr, i + 1, n), c2 = byteAt(inPtr, i + 2, n);
      const c3 = byteAt(inPtr, i + 3, n);
      let cut = false;
      if (c1 == 114) {
        if (c2 == 62) {
          if (inRow) {
            errorOffset = i;
            reason = BAD;
            break;
          }
          if (count + xmlRow > maxValues) {
            reason = FULL;
            break;
          }
          inRow = true;
          rowStart = i;
          rowCount = count;
          rowNl = nl;
          rowFast = fast;
          rowSlow = slow;
          i += 3;
          continue;
        }
        cut = c2 == 256;
      } else if (c1 == 47 && c2 == 114) {
        if (c3 == 62) {
          if (!inRow || count - rowCount != xmlRow) {
            errorOffset = i;
            reason = BAD;
            break;
          }
          inRow = false;
          i += 4;
          continue;
        }
        cut = c3 == 256;
      } else cut = c1 == 256 || (c1 == 47 && c2 == 256);
      if (cut && final == 0) break;
      if (inRow) {
        errorOffset = i;
        reason = BAD;
      } else reason = TAG;
      break;
    }
    const start = i;
    if ((xml && (!inRow || count - rowCount == xmlRow)) || (textRow > 0 && fill == textRow)) {
      errorOffset = start;
      reason = BAD;
      break;
    }
    let p = start;
    let neg = false;
    if (c == 43 || c == 45) {
      neg = c == 45;
      c = <u32>load<u8>(inPtr + ++p);
    }
    let m: u64 = 0;
    let digits = 0;
    let scale = 0;
    let big = false;
    while (isDigit(c)) {
      digits++;
      if (m <= U64_LIMIT) m = m * 10 + <u64>(c - 48);
      else big = true;
      c = <u32>load<u8>(inPtr + ++p);
    }
    if (c == 46) {
      c = <u32>load<u8>(inPtr + ++p);
      while (isDigit(c)) {
        digits++;
        if (m <= U64_LIMIT) {
          m = m * 10 + <u64>(c - 48);
          scale++;
        } else big = true;
        c = <u32>load<u8>(inPtr + ++p);
      }
    }
    let bad = digits == 0;
    let exp = 0;
    if (!bad && !isSpace(c) && !(xml && c == 60)) {
      if ((c | 32) == 101 || (c | 32) == 100) c = <u32>load<u8>(inPtr + ++p);
      else if (c != 43 && c != 45) bad = true;
      let eneg = false;
      if (c == 43 || c == 45) {
        eneg = c == 45;
        c = <u32>load<u8>(inPtr + ++p);
      }
      const e0 = p;
      while (isDigit(c)) {
        if (exp < 100000) exp = exp * 10 + <i32>(c - 48);
        c = <u32>load<u8>(inPtr + ++p);
      }
      if (p == e0) bad = true;
      if (eneg) exp = -exp;
    }
    if (bad || !(isSpace(c) || (xml && c == 60))) {
      // a malformed token, unless its rest may still come in the next chunk
      let e = p;
      while (e < n && !isSpace(<u32>load<u8>(inPtr + e)) && !(xml && load<u8>(inPtr + e) == 60)) e++;
      if (e < n || final != 0) {
        errorOffset = start;
        reason = BAD;
      }
      break;
    }
    if (p >= n && final == 0) break;
    i = p;
    const e10 = exp - scale;
    let v: f64 = NaN;
    if (!big) {
      if (m == 0) v = neg ? -0.0 : 0.0;
      else if (m <= CLINGER_MAX && e10 >= -22 && e10 <= 22) {
        const fm = <f64>m;
        v = e10 < 0 ? fm / load<f64>(POW10 + (<usize>-e10 << 3)) : fm * load<f64>(POW10 + (<usize>e10 << 3));
        if (neg) v = -v;
      } else v = eiselLemire(m, e10, neg);
    }
    if (v == Infinity || v == -Infinity) {
      // beyond a double (1e999): an error like a malformed token, never ±Infinity in the output
      errorOffset = start;
      reason = BAD;
      break;
    }
    if (!isNaN(v)) fast++;
    else {
      const r = slowPtr + (<usize>slow) * 12;
      store<i32>(r, count);
      store<i32>(r, start, 4);
      store<i32>(r, p, 8);
      slow++;
    }
    store<f64>(outPtr + (<usize>count << 3), v);
    count++;
    fill++;
    consumed = p;
  }
  if (inRow) {
    // stopped inside a row: back to its start, so the next scan begins with a whole row
    consumed = rowStart;
    count = rowCount;
    nl = rowNl;
    fast = rowFast;
    slow = rowSlow;
  }
  store<i32>(res, count);
  store<i32>(res, consumed, 4);
  store<i32>(res, errorOffset, 8);
  store<i32>(res, fast, 12);
  store<i32>(res, slow, 16);
  store<i32>(res, nl, 20);
  store<i32>(res, reason, 24);
  store<i32>(res, fill, 28);
}
