import type { Magnetization } from '../../model/populations.js';
import { ParseError } from '../../errors.js';
import type { ByteSource } from '../source.js';
import { rowNumbers } from '../text/lines.js';

/**
 * The `magnetization (x)` tables of an OUTCAR (ISPIN = 2 or non-collinear runs; `(y)` and `(z)` follow in
 * non-collinear ones). VASP writes them after each ionic step: the last complete table of each component is kept,
 * so the moments are those of the final structure. A focused scanner, meant to be called by the OUTCAR summary.
 *
 *  magnetization (x)
 *
 * # of ion       s       p       d       tot
 * ------------------------------------------
 *     1       -0.001  -0.004   3.812   3.807
 * …
 * --------------------------------------------------
 * tot          0.01   0.03    15.2    15.3
 */

type Component = 'x' | 'y' | 'z';

class MagnetizationScanner {
  private state: 'idle' | 'header' | 'rows' = 'idle';
  private component: Component = 'x';
  private columns: string[] = [];
  private rows: Float64Array[] = [];
  private headingLine = 0;
  readonly result: Magnetization = { columns: [], components: {}, tables: 0, line: 0 };

  constructor(private readonly name: string) {}

  private close(): void {
    if (this.rows.length > 0) {
      this.result.components[this.component] = this.rows;
      this.result.columns = this.columns;
      if (this.component === 'x') {
        this.result.tables++;
        this.result.line = this.headingLine;
        // a newer x table starts a new step: y and z of an older step must not mix with it
        delete this.result.components.y;
        delete this.result.components.z;
      }
    }
    this.state = 'idle';
    this.rows = [];
  }

  line(text: string, lineNo: number): void {
    if (this.state === 'idle') {
      const m = /^\s*magnetization \(([xyz])\)\s*$/.exec(text);
      if (m) {
        this.component = m[1] as Component;
        this.state = 'header';
        this.headingLine = lineNo;
        this.rows = [];
      }
      return;
    }
    const t = text.trim();
    if (this.state === 'header') {
      if (t === '' || /^-+$/.test(t)) return;
      if (/^# of ion/.test(t)) {
        this.columns = t.replace(/^# of ion/, '').trim().split(/\s+/);
        if (this.columns.length === 0 || this.columns[this.columns.length - 1] !== 'tot') {
          throw new ParseError({ file: this.name, line: lineNo, expected: 'the column header `# of ion s p d tot`', found: text });
        }
        this.state = 'rows';
        return;
      }
      throw new ParseError({ file: this.name, line: lineNo, expected: 'the column header `# of ion s p d tot` under `magnetization`', found: text });
    }
    // rows: `k v…`, ended by the dashed rule (or a blank line when there is a single ion)
    if (/^-+$/.test(t) && this.rows.length === 0) return;
    if (t === '' || /^-+$/.test(t) || /^tot\b/.test(t)) {
      this.close();
      return;
    }
    const nums = rowNumbers(t);
    const k = nums[0];
    if (nums.length !== this.columns.length + 1 || k !== this.rows.length + 1 || nums.some(Number.isNaN)) {
      throw new ParseError({ file: this.name, line: lineNo, expected: `ion row ${this.rows.length + 1} with ${this.columns.length} values (${this.columns.join(' ')})`, found: text });
    }
    this.rows.push(Float64Array.from(nums.slice(1)));
  }

  end(): Magnetization {
    // a table cut by the end of the file (a killed run) is incomplete: the previous complete one stands
    this.state = 'idle';
    return this.result;
  }
}

/** Streams the OUTCAR; `tables` = 0 when the run wrote none (ISPIN = 1). */
export async function readMagnetization(source: ByteSource): Promise<Magnetization> {
  const scanner = new MagnetizationScanner(source.name);
  const decoder = new TextDecoder();
  let carry = '';
  let lineNo = 1;
  const feed = (text: string, final: boolean) => {
    const parts = (carry + text).split('\n');
    carry = final ? '' : parts.pop()!;
    for (const p of parts) scanner.line(p.endsWith('\r') ? p.slice(0, -1) : p, lineNo++);
  };
  for await (const chunk of source.chunks()) feed(decoder.decode(chunk, { stream: true }), false);
  feed(decoder.decode(), true);
  return scanner.end();
}

/** The same from text in memory. */
export function parseMagnetization(text: string, name: string): Magnetization {
  const scanner = new MagnetizationScanner(name);
  text.split('\n').forEach((p, i) => scanner.line(p.endsWith('\r') ? p.slice(0, -1) : p, i + 1));
  return scanner.end();
}
