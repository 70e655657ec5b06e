/**
 * A seeded mutator over real fixture files: every case is reproducible from (seed, case number), and its
 * description names the operations applied, so a failure can be replayed and minimised by hand.
 */

/** mulberry32: small, fast, good enough to pick offsets and operations. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Counts a hostile header might claim: huge, negative, zero, past 2^31 and 2^32, not an integer at all. */
export const HOSTILE_COUNTS = [
  '0', '-1', '-7', '1', '2', '999999999', '1000000000', '2147483647', '2147483648', '4294967297',
  '100000000000', '99999999999999999999', '1e9', '3.5', '+5', '0x10', '',
] as const;

/** Values a corrupted numeric field might hold. */
export const HOSTILE_NUMBERS = ['NaN', 'nan', 'Infinity', '-Inf', 'inf', '****', '*******', '1e999', '-1e999', '1.#QNAN', '1.0E+', '--1', '.', 'e5', '1..2'] as const;

function lines(b: Uint8Array): string[] {
  return dec.decode(b).split('\n');
}

function join(ls: string[]): Uint8Array {
  return enc.encode(ls.join('\n'));
}

/** Replaces one whitespace-separated token of line `i` (chosen by `which`) with `by`. */
function replaceToken(ls: string[], i: number, which: (tokens: string[]) => number, by: string): boolean {
  const line = ls[i];
  if (line === undefined) return false;
  const spans = [...line.matchAll(/\S+/g)];
  if (spans.length === 0) return false;
  const k = which(spans.map((m) => m[0]));
  if (k < 0) return false;
  const m = spans[k];
  ls[i] = line.slice(0, m.index) + by + line.slice(m.index! + m[0].length);
  return true;
}

const isIntTok = (t: string) => /^[+-]?\d+$/.test(t);
const isNumTok = (t: string) => /^[+-]?(\d+(\.\d*)?|\.\d+)([eEdD][+-]?\d+)?$/.test(t);

export interface MutatorOptions {
  /** 1-based numbers of lines that hold counts (NIONS, NEDOS, atom counts …): hostile counts go there more often */
  headerLines?: number[];
}

export interface Mutation {
  bytes: Uint8Array;
  /** what was done, e.g. `truncate@1234 + crlf` */
  what: string;
}

type Op = (b: Uint8Array, r: Rand, o: MutatorOptions) => [Uint8Array, string];

const OPS: Record<string, Op> = {
  truncate: (b, r) => {
    const at = int(r, b.length + 1);
    return [b.subarray(0, at), `truncate@${at}`];
  },
  flip: (b, r) => {
    const out = b.slice();
    const n = 1 + int(r, 8);
    const at: number[] = [];
    for (let i = 0; i < n && out.length > 0; i++) {
      const p = int(r, out.length);
      out[p] = pick(r, [int(r, 256), out[p] ^ (1 << int(r, 8)), 0, 10, 32, 45, 46, 42, 0xff]);
      at.push(p);
    }
    return [out, `flip@${at.join(',')}`];
  },
  deleteLines: (b, r) => {
    const ls = lines(b);
    const i = int(r, ls.length);
    const n = 1 + int(r, 3);
    ls.splice(i, n);
    return [join(ls), `delete-lines@${i + 1}x${n}`];
  },
  duplicateLines: (b, r) => {
    const ls = lines(b);
    const i = int(r, ls.length);
    const n = 1 + int(r, 3);
    ls.splice(i, 0, ...ls.slice(i, i + n));
    return [join(ls), `dup-lines@${i + 1}x${n}`];
  },
  swapLines: (b, r) => {
    const ls = lines(b);
    const i = int(r, ls.length);
    const j = int(r, ls.length);
    [ls[i], ls[j]] = [ls[j], ls[i]];
    return [join(ls), `swap-lines@${i + 1},${j + 1}`];
  },
  hostileCount: (b, r, o) => {
    const ls = lines(b);
    const by = pick(r, HOSTILE_COUNTS);
    const candidates = o.headerLines && r() < 0.8 ? o.headerLines.map((l) => l - 1) : [int(r, Math.min(ls.length, 40))];
    const i = pick(r, candidates);
    let ok = replaceToken(ls, i, (t) => {
      const ints = t.map((x, k) => (isIntTok(x) ? k : -1)).filter((k) => k >= 0);
      return ints.length ? pick(r, ints) : -1;
    }, by);
    if (!ok && ls[i] !== undefined) {
      // XML keeps its counts inside tags (`<i name="NEDOS">  301</i>`): a whole digit run there
      const runs = [...ls[i].matchAll(/(?<![\d.])\d+(?![\d.])/g)];
      if (runs.length) {
        const m = pick(r, runs);
        ls[i] = ls[i].slice(0, m.index) + by + ls[i].slice(m.index! + m[0].length);
        ok = true;
      }
    }
    return [join(ls), ok ? `count@${i + 1}=${by}` : 'count:none'];
  },
  hostileNumber: (b, r) => {
    const ls = lines(b);
    const by = pick(r, HOSTILE_NUMBERS);
    const i = int(r, ls.length);
    const ok = replaceToken(ls, i, (t) => {
      const nums = t.map((x, k) => (isNumTok(x) ? k : -1)).filter((k) => k >= 0);
      return nums.length ? pick(r, nums) : -1;
    }, by);
    return [join(ls), ok ? `number@${i + 1}=${by}` : 'number:none'];
  },
  crlf: (b) => [enc.encode(dec.decode(b).replace(/\r?\n/g, '\r\n')), 'crlf'],
  bom: (b) => {
    const out = new Uint8Array(b.length + 3);
    out.set([0xef, 0xbb, 0xbf]);
    out.set(b, 3);
    return [out, 'bom'];
  },
  garbage: (b, r) => {
    const n = 1 + int(r, 2048);
    const g = new Uint8Array(n);
    for (let i = 0; i < n; i++) g[i] = int(r, 256);
    const at = int(r, b.length + 1);
    const out = new Uint8Array(b.length + n);
    out.set(b.subarray(0, at));
    out.set(g, at);
    out.set(b.subarray(at), at + n);
    return [out, `garbage@${at}x${n}`];
  },
  allGarbage: (_b, r) => {
    const n = int(r, 4096);
    const g = new Uint8Array(n);
    for (let i = 0; i < n; i++) g[i] = int(r, 256);
    return [g, `all-garbage x${n}`];
  },
  empty: (_b, r) => [enc.encode(pick(r, ['', '\n', '   \n\n', '\r\n', '\t'])), 'empty'],
  longLine: (b, r) => {
    // one line of 256 KiB without a newline: readers must not buffer line by line forever or go quadratic
    const fill = pick(r, ['x', '1', ' ', '-']);
    const at = int(r, b.length + 1);
    const g = enc.encode(fill.repeat(1 << 18));
    const out = new Uint8Array(b.length + g.length);
    out.set(b.subarray(0, at));
    out.set(g, at);
    out.set(b.subarray(at), at + g.length);
    return [out, `long-line@${at}(${JSON.stringify(fill)})`];
  },
};

/** How often each operation is drawn (header counts and truncation are where readers break most). */
const WEIGHTS: [string, number][] = [
  ['truncate', 14], ['flip', 14], ['deleteLines', 10], ['duplicateLines', 10], ['swapLines', 5],
  ['hostileCount', 18], ['hostileNumber', 12], ['crlf', 4], ['bom', 3], ['garbage', 5], ['allGarbage', 1], ['empty', 1],
  ['longLine', 0.3],
];
const TOTAL = WEIGHTS.reduce((a, [, w]) => a + w, 0);

function drawOp(r: Rand): string {
  let x = r() * TOTAL;
  for (const [name, w] of WEIGHTS) {
    x -= w;
    if (x < 0) return name;
  }
  return WEIGHTS[0][0];
}

/** One to three operations applied in a row to `input`. */
export function mutate(input: Uint8Array, r: Rand, options: MutatorOptions = {}): Mutation {
  let b = input;
  const what: string[] = [];
  const n = 1 + (r() < 0.3 ? 1 + int(r, 2) : 0);
  for (let i = 0; i < n; i++) {
    const [out, w] = OPS[drawOp(r)](b, r, options);
    b = out;
    what.push(w);
  }
  return { bytes: b, what: what.join(' + ') };
}
