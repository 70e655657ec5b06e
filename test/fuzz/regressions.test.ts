import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { parsePoscar } from '../../src/io/vasp/poscar.js';
import { parseXdatcar } from '../../src/io/vasp/xdatcar.js';
import { parseOszicar } from '../../src/io/vasp/oszicar.js';
import { parseDoscar } from '../../src/io/vasp/doscar.js';
import { parseCohpcar, readCohpcar } from '../../src/io/lobster/cohpcar.js';
import { fromBytes } from '../../src/io/source.js';
import { parseDoscarLobster } from '../../src/io/lobster/doscar-lobster.js';
import { toNumber } from '../../src/io/text/lines.js';
import { ELEMENT_FLOOR, withAllocationLimit } from './harness.js';

/** Minimal reproducers of what the fuzzer found (docs/robustness.md lists them); each failed before its fix. */

const CELL = 'FeO\n1.0\n3 0 0\n0 3 0\n0 0 3\n';
const LIMIT = ELEMENT_FLOOR;

/** Line `i` (0-based) of a real file with its third field (NPTS, NEDOS) replaced. */
function withThirdField(path: string, i: number, by: string): string {
  const ls = readFileSync(`test/fixtures/real/${path}`, 'utf8').split('\n');
  ls[i] = ls[i].replace(/^(\s*\S+\s+\S+\s+)\S+/, `$1${by}`);
  return ls.join('\n');
}

function parseError(r: { error?: unknown }): ParseError {
  expect(r.error).toBeInstanceOf(ParseError);
  return r.error as ParseError;
}

describe('fuzz regressions', () => {
  it('POSCAR claiming 10^9 atoms fails at the end of its 2 rows, without sizing arrays by the claim', () => {
    const r = withAllocationLimit(LIMIT, () => parsePoscar(`${CELL}Fe O\n999999999 1\nDirect\n0 0 0\n0.5 0.5 0.5\n`, 'POSCAR'));
    expect(r.tripped).toBeUndefined();
    const e = parseError(r);
    expect(e.line).toBe(11);
    expect(e.message).toBe('POSCAR:11: expected 1000000000 coordinate rows (row 3), found "end of file"');
  });

  it('VASP 4 POSCAR with an empty species group takes species from the site labels (was a TypeError)', () => {
    const s = parsePoscar(`${CELL}0 2\nDirect\n0 0 0 Fe\n0.5 0.5 0.5 Fe\n`, 'POSCAR');
    expect(s.species).toEqual(['Fe', 'Fe']);
    expect(Array.from(s.frac)).toEqual([0, 0, 0, 0.5, 0.5, 0.5]);
  });

  it('a lattice component of 1e999 (Infinity) is a ParseError at the lattice, not a RangeError from inverting it', () => {
    const text = 'BN\n1.0\n1e999 0 0\n0 3 0\n0 0 3\nB N\n1 1\nCartesian\n0 0 0\n1 1 1\n';
    expect(() => parsePoscar(text, 'POSCAR')).toThrow('POSCAR:3:1: expected a number (lattice vector a), found "1e999"');
    // finite numbers whose product with the scale overflows are still caught after scaling
    expect(() => parsePoscar(text.replace('1e999', '1e300').replace('\n1.0\n', '\n1e10\n'), 'POSCAR')).toThrow('POSCAR:3: expected a finite lattice, found "an infinite component"');
  });

  it('XDATCAR with a 256 KiB line inside a repeated cell header is a ParseError, not a run truncated after 3 frames', () => {
    const b = readFileSync('test/fixtures/real/vasp/xdatcar/XDATCAR_6');
    const text = `${b.subarray(0, 1450).toString()}${'1'.repeat(1 << 18)}${b.subarray(1450).toString()}`;
    expect(() => parseXdatcar(text, 'XDATCAR')).toThrow('XDATCAR:48: expected header lines shorter than 4438 bytes, found "a longer line"');
  });

  it('XDATCAR claiming 10^9 atoms fails in its first frame without a per-site array (was an out-of-memory crash)', () => {
    const r = withAllocationLimit(LIMIT, () => parseXdatcar(`${CELL}Fe O\n999999999 1\nDirect configuration=     1\n0 0 0\n0.5 0.5 0.5\n`, 'XDATCAR'));
    expect(r.tripped).toBeUndefined();
    expect(parseError(r).message).toBe('XDATCAR:11: expected 1000000000 coordinate rows in the first frame, found "end of file"');
  });

  it('a 256 KiB digit run is rejected in linear time (the number pattern backtracked: 224 s for one OSZICAR line)', () => {
    const t0 = performance.now();
    expect(toNumber(`-.2368${'1'.repeat(1 << 18)}x`)).toBeNaN();
    expect(toNumber('1.')).toBe(1);
    expect(toNumber('-.5D+02')).toBe(-50);
    expect(() => parseOszicar(`   1 F= -.2368${'1'.repeat(1 << 18)}x E0= -.23687969E+03  d E =-.236881E+03\n`, 'OSZICAR')).toThrow(ParseError);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('COHPCAR claiming NPTS = 10^9 fails at the end of its 6 rows, arrays grown only with the rows read', () => {
    const text = withThirdField('lobster/cohpcar/COHPCAR.lobster.KF', 1, '1000000000');
    const r = withAllocationLimit(LIMIT, () => parseCohpcar(text, 'COHPCAR.lobster'));
    expect(r.tripped).toBeUndefined();
    const e = parseError(r);
    expect(e.expected).toBe('255000000000 numbers (1000000000 energy rows of 1 + 2·N·ISPIN = 255 numbers)');
    expect(e.found).toBe('"end of file after 1530"');
  });

  it('COHPCAR streamed in small chunks names the same column of a bad number as read whole (was counted from the chunk)', async () => {
    const ls = readFileSync('test/fixtures/real/lobster/cohpcar/COHPCAR.lobster.KF', 'utf8').split('\n');
    // the 200th number of the first data row (line 132) becomes `e5`
    const row = ls[131].split(/(\s+)/);
    const k = row.findIndex((t, i) => i > 0 && /\d/.test(t) && row.slice(0, i).filter((x) => /\d/.test(x)).length === 199);
    row[k] = 'e5';
    ls[131] = row.join('');
    const text = ls.join('\n');
    const whole = (() => {
      try {
        parseCohpcar(text, 'COHPCAR.lobster');
      } catch (e) {
        return e as ParseError;
      }
    })()!;
    expect(whole.line).toBe(132);
    const streamed = await readCohpcar(fromBytes('COHPCAR.lobster', text, 1000)).then(() => undefined, (e: ParseError) => e);
    expect(streamed?.message).toBe(whole.message);
    expect(whole.column).toBe(ls[131].indexOf(' e5 ') + 2);
  });

  it('DOSCAR.lobster claiming NEDOS = 10^9 fails where its total block ends, arrays grown only with the rows read', () => {
    const text = withThirdField('lobster/doscar/pymatgen-test-files__KF-spin/DOSCAR.lobster.spin', 5, '1000000000');
    const r = withAllocationLimit(LIMIT, () => parseDoscarLobster(text, 'DOSCAR.lobster'));
    expect(r.tripped).toBeUndefined();
    expect(parseError(r).message).toBe('DOSCAR.lobster:13:64: expected a number (total DOS: 1000000000 rows of 5 numbers), found "1.00000000;"');
  });

  it('DOSCAR claiming 999999 ions fails after its 4 blocks, quickly and without sizing the projected arrays by the claim', () => {
    const ls = readFileSync('test/fixtures/real/vasp/doscar/aiida-vasp__doscar/DOSCAR', 'utf8').split('\n');
    ls[0] = ls[0].replace(/^\s*\d+\s+\d+/, '  999999  999999');
    const t0 = performance.now();
    const r = withAllocationLimit(LIMIT, () => parseDoscar(ls.join('\n'), 'DOSCAR'));
    expect(performance.now() - t0).toBeLessThan(500);
    expect(r.tripped).toBeUndefined();
    expect(parseError(r).message).toBe('DOSCAR:61: expected the header of the projected block of ion 5 of 999999, found "end of file"');
  });

  it('DOSCAR claiming NEDOS = 10^9 fails in its total block without a 10^9-point allocation (was caught only as a RangeError)', () => {
    const text = withThirdField('vasp/doscar/aiida-vasp__doscar/DOSCAR', 5, '1000000000');
    const r = withAllocationLimit(LIMIT, () => parseDoscar(text, 'DOSCAR'));
    expect(r.tripped).toBeUndefined();
    expect(parseError(r).expected).toMatch(/total DOS/);
  });
});
