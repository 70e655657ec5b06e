import { InvalidArgumentError } from 'commander';
import type { FrameChoice, FrameOf } from '../pipeline/inputs.js';

/**
 * The frame options of census and migration: `--frame N|last` (one frame of a trajectory), `--every K` and
 * `--frames a:b` (the frames of a path). The command line counts frames from 1; the analyses take 0-based indices.
 */

/** `--frame N|last` → a 0-based frame or 'last'. */
export function parseFrameChoice(value: string): FrameChoice {
  if (value.trim().toLowerCase() === 'last') return 'last';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a frame number from 1, or last (got "${value}")`);
  return n - 1;
}

/** `--every K`: a positive integer. */
export function parseEvery(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer (got "${value}")`);
  return n;
}

/** `--frames a:b`: 1-based inclusive, either end may be left out (`:100`, `500:`) → 0-based first and last. */
export function parseFrameRange(value: string): { first?: number; last?: number } {
  const m = /^\s*(\d*)\s*:\s*(\d*)\s*$/.exec(value);
  const first = m?.[1] ? Number(m[1]) : undefined;
  const last = m?.[2] ? Number(m[2]) : undefined;
  if (!m || first === 0 || last === 0 || (first !== undefined && last !== undefined && last < first)) {
    throw new InvalidArgumentError(`expected a:b with 1 ≤ a ≤ b (frames counted from 1; either end may be left out), got "${value}"`);
  }
  return { first: first === undefined ? undefined : first - 1, last: last === undefined ? undefined : last - 1 };
}

/** `frame 5 of 5 (1-based; ionic step 5), the last`: which frame of a trajectory a single-structure analysis took. */
export function frameNote(f: FrameOf): string {
  return `frame ${f.index + 1} of ${f.nFrames} (1-based; ionic step ${f.step})${f.index === f.nFrames - 1 ? ', the last' : ''}`;
}
