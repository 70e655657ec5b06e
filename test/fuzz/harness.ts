import { mkdirSync, writeFileSync } from 'node:fs';
import { OxyError } from '../../src/errors.js';
import { mutate, rng, type MutatorOptions } from './mutate.js';

/**
 * Runs a reader over mutated real files and sorts every case into: a result, an OxyError (ParseError,
 * MismatchError …), or a failure (any other exception, a case slower than the time bound, an allocation sized
 * from a header count instead of the bytes that are there).
 */

/** Per-case time bound (ms). Cases are synchronous, so a hang shows as the vitest timeout instead. */
export const CASE_MS = 2000;

/**
 * An allocation bigger than this many elements per input byte was sized from a claim, not from data. The floor
 * (2 MB of doubles) leaves room for fixed working buffers such as a reader's scan scratch array.
 */
const ELEMENTS_PER_BYTE = 2;
export const ELEMENT_FLOOR = 1 << 18;

export class AllocationGuardError extends Error {}

let limit = Infinity;
let largest = 0;
let tripped: string | undefined;

/**
 * Typed-array constructors that refuse lengths above the current case's limit. Readers look up `Float64Array`
 * and friends on the global object at call time, so replacing them there guards every allocation the readers make.
 */
function installGuard(): void {
  const g = globalThis as unknown as Record<string, unknown> & { __oxyGuard?: boolean };
  if (g.__oxyGuard) return;
  g.__oxyGuard = true;
  for (const name of ['Float64Array', 'Float32Array', 'Int32Array', 'Uint32Array', 'Int16Array', 'Uint16Array', 'Uint8Array'] as const) {
    const Orig = g[name] as unknown as { new (...a: unknown[]): object; prototype: object };
    const Guarded = class extends (Orig as unknown as new (...a: unknown[]) => object) {
      constructor(...args: unknown[]) {
        const n = args[0];
        if (typeof n === 'number') {
          if (n > largest) largest = n;
          if (n > limit) {
            // remembered even when the reader catches it: asking was already the bug
            tripped ??= `new ${name}(${n}) with a limit of ${limit} elements for this input`;
            throw new AllocationGuardError(tripped);
          }
        }
        super(...args);
      }
      static [Symbol.hasInstance](x: unknown): boolean {
        return x instanceof (Orig as unknown as new () => object);
      }
    };
    Object.defineProperty(Guarded, 'name', { value: name });
    g[name] = Guarded;
  }
}

export interface FuzzFixture {
  name: string;
  bytes: Uint8Array;
  /** 1-based lines that hold counts, for the hostile-count mutation */
  headerLines?: number[];
}

export interface FuzzTarget {
  reader: string;
  fixtures: FuzzFixture[];
  /** sync readers make the fastest cases; a promise is awaited (the NEB assembly reads sources) */
  parse: (bytes: Uint8Array, name: string) => unknown;
  cases: number;
  seed: number;
}

export interface FuzzFailure {
  case: number;
  fixture: string;
  what: string;
  problem: string;
}

export interface FuzzReport {
  reader: string;
  seed: number;
  cases: number;
  results: number;
  oxyErrors: number;
  failures: FuzzFailure[];
  /** slowest case, ms */
  maxMs: number;
  totalMs: number;
  /** largest typed array any case asked for (elements) and the largest input (bytes) */
  largestAllocation: number;
  largestInput: number;
  /** peak RSS growth over the run, MB */
  rssGrowthMB: number;
  errorCodes: Record<string, number>;
}

/**
 * Where a reader's result holds a number no file can mean: ±Infinity anywhere (an overflowing `1e999` must be a
 * ParseError), or NaN inside a numeric array (models use NaN only for absent scalars, such as a multi-centre bond's
 * length) unless the unchanged fixture already has one there (`nanArrays`). Undefined when the result is clean.
 */
export function nonFinite(value: unknown, nanArrays = false): string | undefined {
  const seen = new Set<object>();
  const walk = (v: unknown, path: string): string | undefined => {
    if (typeof v === 'number') return v === Infinity || v === -Infinity ? `${path} = ${v}` : undefined;
    if (typeof v !== 'object' || v === null || seen.has(v)) return undefined;
    seen.add(v);
    if (v instanceof Float64Array || v instanceof Float32Array) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x === Infinity || x === -Infinity || (!nanArrays && Number.isNaN(x))) return `${path}[${i}] = ${x}`;
      }
      return undefined;
    }
    if (ArrayBuffer.isView(v)) return undefined;
    for (const [k, x] of Object.entries(v)) {
      const found = walk(x, `${path}.${k}`);
      if (found) return found;
    }
    return undefined;
  };
  return walk(value, 'result');
}

/** Plain data of the case's result, or the problem when it is not an OxyError. */
function classify(e: unknown): string | undefined {
  if (e instanceof OxyError) return undefined;
  if (e instanceof AllocationGuardError) return `allocation from an unchecked count: ${e.message}`;
  const err = e as Error;
  return `${err?.name ?? typeof e}: ${err?.message ?? String(e)}\n${(err?.stack ?? '').split('\n').slice(1, 6).join('\n')}`;
}

export async function runFuzz(t: FuzzTarget): Promise<FuzzReport> {
  installGuard();
  const r = rng(t.seed);
  const report: FuzzReport = {
    reader: t.reader, seed: t.seed, cases: 0, results: 0, oxyErrors: 0, failures: [], maxMs: 0, totalMs: 0,
    largestAllocation: 0, largestInput: 0, rssGrowthMB: 0, errorCodes: {},
  };
  // fixtures whose unchanged result already holds NaN in a numeric array (then NaN there is the file's own)
  const nanArrays = new Map<string, boolean>();
  const rss0 = process.memoryUsage.rss();
  let rssPeak = rss0;
  const t0 = performance.now();
  for (let c = 0; c < t.cases; c++) {
    const fx = t.fixtures[c % t.fixtures.length];
    // case 0 of each fixture is the file itself: the reader must accept it within the same bounds
    const m = c < t.fixtures.length ? { bytes: fx.bytes, what: 'unchanged' } : mutate(fx.bytes, r, { headerLines: fx.headerLines } as MutatorOptions);
    report.largestInput = Math.max(report.largestInput, m.bytes.length);
    limit = Math.max(ELEMENT_FLOOR, ELEMENTS_PER_BYTE * m.bytes.length);
    largest = 0;
    tripped = undefined;
    const s = performance.now();
    let problem: string | undefined;
    try {
      let out = t.parse(m.bytes, fx.name);
      if (out instanceof Promise) out = await out;
      report.results++;
      if (c < t.fixtures.length) nanArrays.set(fx.name, nonFinite(out) !== undefined);
      const bad = nonFinite(out, nanArrays.get(fx.name));
      if (bad) problem = `a non-finite number came out instead of a ParseError: ${bad}`;
    } catch (e) {
      problem = classify(e);
      if (!problem && c < t.fixtures.length) problem = `the unchanged fixture was refused: ${(e as Error).message}`;
      if (!problem) {
        report.oxyErrors++;
        const code = (e as OxyError).name;
        report.errorCodes[code] = (report.errorCodes[code] ?? 0) + 1;
      }
    } finally {
      limit = Infinity;
    }
    const ms = performance.now() - s;
    if (tripped && (!problem || !problem.startsWith('allocation'))) problem = `allocation from an unchecked count (caught by the reader): ${tripped}`;
    if (!problem && ms > CASE_MS) problem = `took ${ms.toFixed(0)} ms (bound ${CASE_MS} ms)`;
    report.maxMs = Math.max(report.maxMs, ms);
    report.largestAllocation = Math.max(report.largestAllocation, largest);
    if (problem) report.failures.push({ case: c, fixture: fx.name, what: m.what, problem });
    report.cases++;
    if ((c & 127) === 0) rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
  }
  report.totalMs = performance.now() - t0;
  report.rssGrowthMB = Math.round((Math.max(rssPeak, process.memoryUsage.rss()) - rss0) / 1e6);
  mkdirSync('test-output/fuzz', { recursive: true });
  writeFileSync(`test-output/fuzz/${t.reader}.json`, JSON.stringify({ ...report, failureCount: report.failures.length, failures: report.failures.slice(0, 50) }, null, 1));
  return report;
}

/** Failures as one readable block for the assertion message. */
export function describeFailures(rep: FuzzReport, max = 8): string {
  return rep.failures.slice(0, max).map((f) => `case ${f.case} (${f.fixture}; ${f.what}):\n  ${f.problem}`).join('\n') +
    (rep.failures.length > max ? `\n… and ${rep.failures.length - max} more` : '');
}

/**
 * Runs `fn` with typed-array allocations limited to `max` elements; returns what it returned or threw, and the
 * largest allocation it asked for (also one it caught itself).
 */
export function withAllocationLimit<T>(max: number, fn: () => T): { value?: T; error?: unknown; largest: number; tripped?: string } {
  installGuard();
  limit = max;
  largest = 0;
  tripped = undefined;
  try {
    return { value: fn(), largest, tripped };
  } catch (error) {
    return { error, largest, tripped };
  } finally {
    limit = Infinity;
  }
}
