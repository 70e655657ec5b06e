/**
 * Shape checks and repairs for blocks of coordinate rows (POSCAR, CONTCAR, XDATCAR). The scan kernel counts
 * numbers, not rows: a block of 3N numbers can still hold a row of 2 and a row of 4, which would shift every
 * coordinate after it, so each row is checked here.
 */

/**
 * Index (0-based, from `start`) of the first of the lines in bytes[start, end) that does not hold exactly
 * `perRow` whitespace-separated tokens, or -1 when every line does. A last line without a newline counts.
 * Every byte ≤ space but the newline separates (tab, CR, VT, FF). The inner loops run over blanks and over
 * tokens without a per-byte state (about the cost of the scan it checks).
 */
export function rowOfOtherWidth(bytes: Uint8Array, start: number, end: number, perRow = 3): number {
  let row = 0;
  let i = start;
  while (i < end) {
    let tokens = 0;
    for (;;) {
      let c = bytes[i];
      while (i < end && c !== 10 && c <= 32) c = bytes[++i];
      if (i >= end || c === 10) break;
      tokens++;
      while (i < end && c > 32) c = bytes[++i];
    }
    if (tokens !== perRow && !(i >= end && tokens === 0)) return row;
    row++;
    i++;
  }
  return -1;
}

const FIXED = /^[+-]?\d*\.\d+$/;

/**
 * The numbers of a token in which Fortran's fixed-width output glued several together: VASP writes XDATCAR rows
 * as F-format fields without a guaranteed space, so a wide value runs into its neighbour (`-0.63265286-0.11227753`,
 * `10.6326528611.11227753`). A sign after a digit starts a new field; a piece with two decimal points is cut after
 * as many decimals as its last field has (every field of a row has the same format; at least 4). Undefined when
 * the token is not made of such fields (a single number, a word, an exponent).
 */
export function gluedNumbers(token: string): number[] | undefined {
  if (!/^[+-]?[\d.]+([+-][\d.]+)*$/.test(token)) return undefined;
  const out: number[] = [];
  for (const piece of token.split(/(?<=\d)(?=[+-])/)) {
    const dots = piece.split('.').length - 1;
    if (dots === 1) {
      if (!FIXED.test(piece)) return undefined;
      out.push(Number(piece));
      continue;
    }
    if (dots === 0) return undefined;
    // coordinates carry 8 decimals (F12.8); a short field (`1.2.3`) is more likely garbage than glued output
    const decimals = piece.length - piece.lastIndexOf('.') - 1;
    if (decimals < 4) return undefined;
    const field = new RegExp(`[+-]?\\d*\\.\\d{${decimals}}`, 'y');
    let at = 0;
    while (at < piece.length) {
      field.lastIndex = at;
      const m = field.exec(piece);
      if (!m) return undefined;
      out.push(Number(m[0]));
      at += m[0].length;
    }
  }
  return out.length >= 2 ? out : undefined;
}
