import { describe, expect, it } from 'vitest';
import { parseCohpcar } from '../../src/io/lobster/cohpcar.js';
import { parseIcohplist } from '../../src/io/lobster/icohplist.js';
import { parseDoscarLobster } from '../../src/io/lobster/doscar-lobster.js';
import { parseCharge } from '../../src/io/lobster/charge.js';
import { parseLobsterout } from '../../src/io/lobster/lobsterout.js';
import { CASES, SEED, real } from './fixtures.js';
import { describeFailures, runFuzz, type FuzzTarget } from './harness.js';

async function check(t: Omit<FuzzTarget, 'seed' | 'cases'>, seed: number): Promise<void> {
  const rep = await runFuzz({ ...t, seed, cases: CASES });
  expect(rep.failures, describeFailures(rep)).toEqual([]);
  expect(rep.results + rep.oxyErrors).toBe(CASES);
}

describe('fuzz: LOBSTER readers', () => {
  it(`COHPCAR: ${CASES} mutated files end in curves or a ParseError, within bounds`, async () => {
    // line 2 holds N ISPIN NPTS
    await check({
      reader: 'cohpcar',
      fixtures: [
        real('lobster/cohpcar/COHPCAR.lobster.KF', [2]),
        real('lobster/cohpcar/COHPCAR.lobster', [2]),
        real('lobster/cohpcar/custodian__lobster__v51/COBICAR.lobster', [2]),
      ],
      parse: (b, name) => parseCohpcar(b, name),
    }, SEED + 10);
  }, 180_000);

  it(`ICOHPLIST: ${CASES} mutated files end in bonds or a ParseError, within bounds`, async () => {
    await check({
      reader: 'icohplist',
      fixtures: [
        real('lobster/icohplist/ICOHPLIST.lobster', [2, 3]),
        real('lobster/icohplist/ICOHPLIST.lobster.KF_nospin', [2, 3]),
        real('lobster/icohplist/ICOBILIST.lobster', [2, 3]),
        real('lobster/icohplist/ICOBILIST.lobster.withoutorbitals', [2, 3]),
        real('lobster/icohplist/ICOOPLIST.lobster', [2, 3]),
        real('lobster/icohplist/ICOHPLIST.lobster.NaCl.gz', [2, 3]),
      ],
      parse: (b, name) => parseIcohplist(b, name),
    }, SEED + 11);
  }, 180_000);

  it(`DOSCAR.lobster: ${CASES} mutated files end in a DOS or a ParseError, within bounds`, async () => {
    // line 1 NIONS, line 6 NEDOS, and every atom header repeats NEDOS
    await check({
      reader: 'doscar-lobster',
      fixtures: [
        real('lobster/doscar/custodian__lobster__v51/DOSCAR.lobster', [1, 6]),
        real('lobster/doscar/pymatgen-test-files__KF-spin/DOSCAR.lobster.spin', [1, 6]),
        real('lobster/doscar/pymatgen-test-files__KF-nonspin-gz/DOSCAR.lobster.nonspinzip.gz', [1, 6]),
      ],
      parse: (b, name) => parseDoscarLobster(b, name),
    }, SEED + 12);
  }, 180_000);

  it(`CHARGE.lobster and lobsterout: ${CASES} mutated files each end in a result or a ParseError`, async () => {
    await check({
      reader: 'charge',
      fixtures: [
        real('lobster/charge/CHARGE.lobster.MnO', [4, 5]),
        real('lobster/charge/custodian__lobster__v51/CHARGE.lobster', [4, 5]),
        real('lobster/charge/CHARGE.lobster.MnO2.gz', [4, 5]),
      ],
      parse: (b, name) => parseCharge(b, name),
    }, SEED + 13);
    await check({
      reader: 'lobsterout',
      fixtures: [
        real('lobster/lobsterout/lobsterout.normal'),
        real('lobster/lobsterout/lobsterout_cobi_madelung'),
        real('lobster/lobsterout/custodian__lobster__v51/lobsterout'),
      ],
      parse: (b, name) => parseLobsterout(b, name),
    }, SEED + 14);
  }, 180_000);
});
