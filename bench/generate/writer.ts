import { closeSync, openSync, renameSync, writeSync } from 'node:fs';

/**
 * Streaming byte writer for the generated bench inputs (files up to a few GB): numbers are formatted straight
 * into a reused buffer and flushed in 4 MiB blocks, so no file ever exists as one JS string. The output goes to
 * `<path>.tmp` and is renamed when closed, so an interrupted run never leaves a half file that looks complete.
 */
export class ByteWriter {
  private readonly buf = Buffer.allocUnsafe(1 << 22);
  private pos = 0;
  private readonly fd: number;
  bytes = 0;

  constructor(private readonly path: string) {
    this.fd = openSync(`${path}.tmp`, 'w');
  }

  private room(n: number): void {
    if (this.pos + n > this.buf.length) this.flush();
  }

  private flush(): void {
    let off = 0;
    while (off < this.pos) off += writeSync(this.fd, this.buf, off, this.pos - off);
    this.bytes += this.pos;
    this.pos = 0;
  }

  /** ASCII text (headers, tags, labels). */
  str(s: string): this {
    if (s.length > 65536) throw new Error('ByteWriter.str: write long text in pieces');
    this.room(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
    return this;
  }

  byte(c: number): this {
    this.room(1);
    this.buf[this.pos++] = c;
    return this;
  }

  spaces(n: number): this {
    this.room(n);
    this.buf.fill(32, this.pos, this.pos + n);
    this.pos += n;
    return this;
  }

  /** Fortran `Fw.d`, right-aligned in `width` (wider when the number does not fit, never `***`). */
  fixed(v: number, width: number, decimals: number): this {
    const p = POW10[decimals];
    const r = Math.round(Math.abs(v) * p);
    const neg = v < 0 && r !== 0;
    const int = Math.floor(r / p);
    let frac = r - int * p;
    const intDigits = int === 0 ? 1 : Math.floor(Math.log10(int)) + 1;
    const len = (neg ? 1 : 0) + intDigits + 1 + decimals;
    this.room(Math.max(width, len));
    if (len < width) {
      this.buf.fill(32, this.pos, this.pos + width - len);
      this.pos += width - len;
    }
    if (neg) this.buf[this.pos++] = 45;
    let end = this.pos + intDigits;
    let k = int;
    for (let i = end - 1; i >= this.pos; i--) {
      this.buf[i] = 48 + (k % 10);
      k = Math.floor(k / 10);
    }
    this.pos = end;
    this.buf[this.pos++] = 46;
    end = this.pos + decimals;
    for (let i = end - 1; i >= this.pos; i--) {
      this.buf[i] = 48 + (frac % 10);
      frac = Math.floor(frac / 10);
    }
    this.pos = end;
    return this;
  }

  /**
   * Fortran `Ew.d` as VASP prints it: `0.dddd` mantissa, `E±ee` (|value| < 1e-99 is written as zero, so the
   * three-digit `0.1234-100` form never appears here), right-aligned in `width`.
   */
  fortranE(v: number, width: number, digits: number): this {
    return this.expo(v, width, digits, true, 2, 69);
  }

  /** C `%.de` (LOBSTER headers, DOSCAR.lobster style `1.2345e-01`), right-aligned in `width`. */
  cE(v: number, width: number, digits: number): this {
    return this.expo(v, width, digits, false, 2, 101);
  }

  private expo(v: number, width: number, digits: number, fortran: boolean, expDigits: number, letter: number): this {
    const a = Math.abs(v);
    let mant = 0;
    let e = 0;
    const p = POW10[digits];
    if (a >= 1e-99) {
      e = Math.floor(Math.log10(a)) + (fortran ? 1 : 0);
      mant = Math.round((a / 10 ** e) * (fortran ? p : POW10[digits]));
      // 0.99995 → 1.0000: renormalise after rounding
      const top = fortran ? p : 10 * p;
      if (mant >= top) {
        mant = Math.round(mant / 10);
        e++;
      }
      if (!fortran && mant < p) {
        mant = Math.round((a / 10 ** (e - 1)) * p);
        e--;
      }
    }
    const neg = v < 0 && mant !== 0;
    const len = (neg ? 1 : 0) + (fortran ? 2 + digits : 2 + digits) + 2 + expDigits;
    this.room(Math.max(width, len));
    if (len < width) {
      this.buf.fill(32, this.pos, this.pos + width - len);
      this.pos += width - len;
    }
    if (neg) this.buf[this.pos++] = 45;
    const b = this.buf;
    if (fortran) {
      b[this.pos++] = 48;
      b[this.pos++] = 46;
      for (let i = this.pos + digits - 1; i >= this.pos; i--) {
        b[i] = 48 + (mant % 10);
        mant = Math.floor(mant / 10);
      }
      this.pos += digits;
    } else {
      // mant has digits + 1 digits: d.dddd
      const lead = Math.floor(mant / p);
      let rest = mant - lead * p;
      b[this.pos++] = 48 + lead;
      b[this.pos++] = 46;
      for (let i = this.pos + digits - 1; i >= this.pos; i--) {
        b[i] = 48 + (rest % 10);
        rest = Math.floor(rest / 10);
      }
      this.pos += digits;
    }
    b[this.pos++] = letter;
    b[this.pos++] = e < 0 ? 45 : 43;
    let ae = Math.abs(e);
    for (let i = this.pos + expDigits - 1; i >= this.pos; i--) {
      b[i] = 48 + (ae % 10);
      ae = Math.floor(ae / 10);
    }
    this.pos += expDigits;
    return this;
  }

  nl(): this {
    return this.byte(10);
  }

  close(): number {
    this.flush();
    closeSync(this.fd);
    renameSync(`${this.path}.tmp`, this.path);
    return this.bytes;
  }
}

const POW10 = Array.from({ length: 18 }, (_, i) => 10 ** i);
