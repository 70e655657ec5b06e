import type { ScanOptions, ScanResult } from '../types.js';

/**
 * Byte-level decimal scanner. A token is `[+-]? (digits [. digits*] | . digits) ([eEdD] [+-]? digits | [+-] digits)?`;
 * the second exponent form is Fortran's, which drops the E when a 3-digit exponent fills the field (`0.1234-100`).
 *
 * Exact fast path (Clinger): when the significant digits fit in an integer m < 2^53 and the decimal exponent e10
 * has |e10| ≤ 22, m and 10^|e10| are both exact doubles, so one IEEE multiply or divide gives the correctly
 * rounded value, which is what Number() returns. Everything else (many digits, extreme exponents) goes through
 * Number() of the same decimal: the exact slow path. The WASM scanner adds an exact Eisel–Lemire tier in between
 * (assembly/scan.ts), so its fast/slow counts differ from these while its values are the same.
 */

/** 10^0 … 10^22, every one exact in binary64 */
export const POW10 = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** Above this, m·10 + 9 might reach 2^53 and stop being exact. */
export const MANTISSA_LIMIT = 900719925474098;

export function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 11 || c === 12;
}

const MALFORMED = -1;

/**
 * Value of the well-formed token bytes[s..e) by the slow path: Number() of the token with its exponent
 * spelled the JS way (D → e, fused `1.0-100` → `1.0e-100`). Shared with the WASM engine, which hands its
 * slow tokens back to JS.
 */
export function slowValue(bytes: Uint8Array, s: number, e: number): number {
  let text = '';
  let seenDigit = false;
  for (let k = s; k < e; k++) {
    const c = bytes[k];
    if (c === 68 || c === 100) text += 'e';
    else if ((c === 43 || c === 45) && seenDigit && !(text.endsWith('e') || text.endsWith('E'))) text += c === 45 ? 'e-' : 'e+';
    else text += String.fromCharCode(c);
    if (c >= 48 && c <= 57) seenDigit = true;
  }
  return Number(text);
}

/** The scan options as both engines use them: defaults filled, the value limit bounded by a caller's `out`. */
export function scanSettings(bytes: Uint8Array, options: ScanOptions) {
  const given = options.out;
  const base = options.outOffset ?? 0;
  const max = Math.min(options.maxValues ?? Infinity, given ? given.length - base : Infinity);
  // without a caller's array: a first guess of one value per 8 bytes, grown as needed
  const out = given ?? new Float64Array(Math.min(Math.max(16, bytes.length >> 3), max === Infinity ? Infinity : Math.max(1, max)));
  return { final: options.final ?? true, given, base, max, xmlRow: options.xmlRowLength ?? 0, textRow: options.rowLength ?? 0, fill0: options.rowFill ?? 0, out };
}

export function scan(bytes: Uint8Array, options: ScanOptions = {}): ScanResult {
  const { final, given, base, max, xmlRow, textRow, fill0, out: first } = scanSettings(bytes, options);
  const xml = xmlRow > 0;
  // text rows: values on the current line
  let fill = fill0;
  const n = bytes.length;
  let out = first;
  let count = 0;
  let i = 0;
  let consumed = 0;
  let errorOffset = -1;
  let fast = 0;
  let slow = 0;
  let nl = 0;
  // xml rows: where the open row started and the counters there (restored when the scan stops inside it)
  let inRow = false;
  let rowStart = 0, rowCount = 0, rowNl = 0, rowFast = 0, rowSlow = 0;
  const at = (k: number) => (k < n ? bytes[k] : 256);
  // The fast path is inlined here: a function returning (value, kind) would allocate per token.
  for (;;) {
    if (!xml && count >= max) break;
    let shortRow = false;
    while (i < n && isSpace(bytes[i])) {
      if (bytes[i] === 10) {
        nl++;
        if (textRow > 0) {
          if (fill !== textRow) {
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
      break;
    }
    if (i >= n) {
      if (inRow && final) errorOffset = rowStart;
      if (textRow > 0 && final && fill !== 0 && fill !== textRow) errorOffset = n;
      break;
    }
    if (xml && bytes[i] === 60) {
      const c1 = at(i + 1), c2 = at(i + 2), c3 = at(i + 3);
      let cut = false;
      if (c1 === 114) {
        if (c2 === 62) {
          if (inRow) {
            errorOffset = i;
            break;
          }
          if (count + xmlRow > max) break;
          inRow = true;
          rowStart = i;
          rowCount = count;
          rowNl = nl;
          rowFast = fast;
          rowSlow = slow;
          i += 3;
          continue;
        }
        cut = c2 === 256;
      } else if (c1 === 47 && c2 === 114) {
        if (c3 === 62) {
          if (!inRow || count - rowCount !== xmlRow) {
            errorOffset = i;
            break;
          }
          inRow = false;
          i += 4;
          continue;
        }
        cut = c3 === 256;
      } else cut = c1 === 256 || (c1 === 47 && c2 === 256);
      if (cut && !final) break;
      if (inRow) errorOffset = i;
      break;
    }
    const start = i;
    if ((xml && (!inRow || count - rowCount === xmlRow)) || (textRow > 0 && fill === textRow)) {
      errorOffset = start;
      break;
    }
    while (i < n && !isSpace(bytes[i]) && !(xml && bytes[i] === 60)) i++;
    if (i === n && !final) break;
    const end = i;
    let p = start;
    let neg = false;
    let c = bytes[p];
    if (c === 43 || c === 45) {
      neg = c === 45;
      p++;
    }
    let m = 0;
    let digits = 0;
    let scale = 0;
    let big = false;
    while (p < end && (c = bytes[p] - 48) >= 0 && c <= 9) {
      digits++;
      if (m <= MANTISSA_LIMIT) m = m * 10 + c;
      else big = true;
      p++;
    }
    if (p < end && bytes[p] === 46) {
      p++;
      while (p < end && (c = bytes[p] - 48) >= 0 && c <= 9) {
        digits++;
        if (m <= MANTISSA_LIMIT) {
          m = m * 10 + c;
          scale++;
        } else big = true;
        p++;
      }
    }
    let kind = digits === 0 ? MALFORMED : 0;
    let exp = 0;
    if (kind === 0 && p < end) {
      c = bytes[p];
      if (c === 69 || c === 101 || c === 68 || c === 100) {
        p++;
        c = bytes[p];
      } else if (c !== 43 && c !== 45) kind = MALFORMED;
      let eneg = false;
      if (p < end && (c === 43 || c === 45)) {
        eneg = c === 45;
        p++;
      }
      const e0 = p;
      while (p < end && (c = bytes[p] - 48) >= 0 && c <= 9) {
        if (exp < 100000) exp = exp * 10 + c;
        p++;
      }
      if (p === e0 || p !== end) kind = MALFORMED;
      if (eneg) exp = -exp;
    }
    if (kind === MALFORMED) {
      errorOffset = start;
      break;
    }
    const e10 = exp - scale;
    let v: number;
    if (!big && (m === 0 || (e10 >= -22 && e10 <= 22))) {
      v = m === 0 ? 0 : e10 < 0 ? m / POW10[-e10] : m * POW10[e10];
      if (neg) v = -v;
      fast++;
    } else {
      // the digits are exact in m unless `big`, and a short string of them converts faster than the token
      v = big ? slowValue(bytes, start, end) : Number(`${neg ? '-' : ''}${m}e${e10}`);
      slow++;
    }
    if (v === Infinity || v === -Infinity) {
      // beyond a double (1e999): an error like a malformed token, never ±Infinity in the output
      errorOffset = start;
      break;
    }
    if (!given && count === out.length) {
      const g = new Float64Array(out.length * 2);
      g.set(out);
      out = g;
    }
    out[base + count++] = v;
    fill++;
    consumed = end;
  }
  if (inRow) {
    // stopped inside a row: back to its start, so the next scan begins with a whole row
    consumed = rowStart;
    count = rowCount;
    nl = rowNl;
    fast = rowFast;
    slow = rowSlow;
  }
  return { values: out.subarray(base, base + count), count, consumed, errorOffset, newlines: nl, stats: { fast, slow }, ...(textRow > 0 ? { rowFill: fill } : {}) };
}
