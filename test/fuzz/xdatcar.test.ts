import { describe, expect, it } from 'vitest';
import { parseXdatcar } from '../../src/io/vasp/xdatcar.js';
import { CASES, SEED, real } from './fixtures.js';
import { describeFailures, runFuzz } from './harness.js';

describe('fuzz: XDATCAR', () => {
  it(`${CASES} mutated files end in a trajectory or a ParseError, within bounds`, async () => {
    const rep = await runFuzz({
      reader: 'xdatcar',
      seed: SEED,
      cases: CASES,
      // line 7 holds the atom counts (line 6 in VASP 4 files); variable-cell files repeat it before every frame
      fixtures: [
        real('vasp/xdatcar/XDATCAR_4', [6, 7]),
        real('vasp/xdatcar/XDATCAR_5', [7]),
        real('vasp/xdatcar/XDATCAR_6', [7, 14, 22]),
        real('vasp/xdatcar/aiida-vasp__phonondb/XDATCAR', [7]),
        real('vasp/xdatcar/custodian__lobster__vasp_lobster_output/XDATCAR', [7]),
      ],
      parse: (b, name) => parseXdatcar(b, name),
    });
    expect(rep.failures, describeFailures(rep)).toEqual([]);
    expect(rep.results + rep.oxyErrors).toBe(CASES);
  }, 180_000);
});
