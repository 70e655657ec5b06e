import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { expect } from 'vitest';
import { OxyError, ParseError } from '../../../src/errors.js';

export const REAL = join(import.meta.dirname, '../../fixtures/real/vasp');

/** Bytes of a real fixture, gunzipped when its name ends in .gz. */
export function fixture(rel: string): Uint8Array {
  const b = readFileSync(join(REAL, rel));
  return new Uint8Array(rel.endsWith('.gz') ? gunzipSync(b) : b);
}

/**
 * The fixture cut in the middle of its data: near `fraction` of its length, between two fields of a line,
 * so that the last line loses its last field(s) (a cut inside the last number of a row could still read as a number).
 */
export function truncated(bytes: Uint8Array, fraction = 0.6): Uint8Array {
  const isBlank = (c: number) => c === 32 || c === 9;
  const fieldFollows = (i: number) => {
    while (i < bytes.length && isBlank(bytes[i])) i++;
    return i < bytes.length && bytes[i] !== 10 && bytes[i] !== 13;
  };
  let at = Math.floor(bytes.length * fraction);
  while (at > 1 && !(isBlank(bytes[at]) && !isBlank(bytes[at - 1]) && bytes[at - 1] !== 10 && fieldFollows(at))) at--;
  return bytes.slice(0, at);
}

/** Runs f and returns the ParseError it throws (fails the test for any other outcome). */
export function parseErrorOf(f: () => unknown): ParseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError, nothing was thrown');
}

export async function asyncErrorOf(f: () => Promise<unknown>): Promise<OxyError> {
  try {
    await f();
  } catch (e) {
    expect(e).toBeInstanceOf(OxyError);
    return e as OxyError;
  }
  throw new Error('expected an error, nothing was thrown');
}
