import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { FuzzFixture } from './harness.js';

/** Cases per reader in the default suite; FUZZ_CASES raises it for a longer local run. */
export const CASES = Number(process.env.FUZZ_CASES ?? 10_000);
/** FUZZ_SEED replays another sequence; failures print (seed, case) for replay. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20261125);

const REAL = 'test/fixtures/real/';

/** A real fixture's bytes (gzip undone). */
export function real(path: string, headerLines?: number[]): FuzzFixture {
  let bytes: Uint8Array = readFileSync(REAL + path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return { name: path, bytes: new Uint8Array(bytes), headerLines };
}

/**
 * A smaller copy of a long real file for speed: the first `head` lines, then every line matching `keep` with the
 * `after` lines that follow it. Built at test time, so the fixture set itself stays byte-for-byte as published.
 */
export function excerpt(f: FuzzFixture, head: number, keep: RegExp, after: number): FuzzFixture {
  const ls = new TextDecoder().decode(f.bytes).split('\n');
  const out: string[] = ls.slice(0, head);
  for (let i = head; i < ls.length; i++) {
    if (keep.test(ls[i])) {
      out.push(...ls.slice(i, i + after + 1));
      i += after;
    }
  }
  return { ...f, name: `${f.name} (excerpt)`, bytes: new TextEncoder().encode(out.join('\n')) };
}

/** 1-based numbers of the lines matching `re` (where a format keeps its counts). */
export function linesMatching(f: FuzzFixture, re: RegExp): number[] {
  const out: number[] = [];
  new TextDecoder().decode(f.bytes).split('\n').forEach((l, i) => {
    if (re.test(l)) out.push(i + 1);
  });
  return out;
}
