import { describe, expect, it } from 'vitest';
import { parseDoscar } from '../../src/io/vasp/doscar.js';
import { parseVasprun } from '../../src/io/vasp/vasprun.js';
import { CASES, SEED, linesMatching, real } from './fixtures.js';
import { describeFailures, runFuzz, type FuzzFixture } from './harness.js';

/** XML lines that hold counts: NIONS/NEDOS/ISPIN parameters, <atoms>, <types>, atoms-per-type rows. */
const XML_COUNTS = /name="(NIONS|NEDOS|ISPIN|NBANDS|LORBIT|NELM|IBRION)"|<atoms>|<types>|<c>\s*\d+<\/c>/;
const withCounts = (f: FuzzFixture): FuzzFixture => ({ ...f, headerLines: linesMatching(f, XML_COUNTS) });

describe('fuzz: VASP DOS readers', () => {
  it(`DOSCAR: ${CASES} mutated files end in a DOS or a ParseError, within bounds`, async () => {
    // line 1 NIONS, line 6 NEDOS; every projected block repeats line 6
    const rep = await runFuzz({
      reader: 'doscar',
      seed: SEED + 30,
      cases: CASES,
      fixtures: [
        real('vasp/doscar/aiida-vasp__doscar/DOSCAR', [1, 6]),
        real('vasp/doscar/aiida-vasp__doscar-nopdos/DOSCAR.nopdos', [1, 6]),
        real('vasp/doscar/aiida-vasp__born_effective_charge/DOSCAR', [1, 6]),
        real('vasp/doscar/aiida-vasp__vasp_wc_nelm__calc-000/DOSCAR', [1, 6]),
      ],
      parse: (b, name) => parseDoscar(b, name),
    });
    expect(rep.failures, describeFailures(rep)).toEqual([]);
    expect(rep.results + rep.oxyErrors).toBe(CASES);
  }, 180_000);

  it(`vasprun.xml: ${CASES} mutated files end in a run or a ParseError, within bounds`, async () => {
    const rep = await runFuzz({
      reader: 'vasprun',
      seed: SEED + 31,
      cases: CASES,
      // the smallest real vasprun.xml (38 kB, with partial DOS): XML parsing makes these the slowest cases
      fixtures: [withCounts(real('vasp/doscar/aiida-vasp__doscar/vasprun.xml'))],
      parse: (b, name) => parseVasprun(b, name),
    });
    expect(rep.failures, describeFailures(rep)).toEqual([]);
    expect(rep.results + rep.oxyErrors).toBe(CASES);
  }, 180_000);
});
