import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseAcf } from '../../src/io/bader/acf.js';
import { parseGrossPop } from '../../src/io/lobster/grosspop.js';
import { parseMadelungEnergies, parseSitePotentials } from '../../src/io/lobster/sitepotentials.js';
import { parseMagnetization } from '../../src/io/vasp/magnetization.js';
import { CASES, SEED, excerpt, real } from './fixtures.js';
import { describeFailures, runFuzz, type FuzzFixture } from './harness.js';

/** A fixture of test/fixtures/sites (constructed or copied files, see its README). */
function site(path: string): FuzzFixture {
  let bytes: Uint8Array = readFileSync(`test/fixtures/sites/${path}`);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return { name: path, bytes: new Uint8Array(bytes) };
}

describe('fuzz: readers of `oxyscope sites`', () => {
  const targets: { reader: string; fixtures: FuzzFixture[]; parse: (b: Uint8Array, name: string) => unknown }[] = [
    { reader: 'acf', fixtures: [site('ACF.dat'), site('ACF.dat.novolume')], parse: (b, n) => parseAcf(b, n) },
    { reader: 'grosspop', fixtures: [site('pymatgen/GROSSPOP.lobster'), site('pymatgen/GROSSPOP_511_sp.lobster.AlN')], parse: (b, n) => parseGrossPop(b, n) },
    { reader: 'sitepotentials', fixtures: [site('SitePotentials.lobster')], parse: (b, n) => parseSitePotentials(b, n) },
    { reader: 'madelung', fixtures: [site('MadelungEnergies.lobster')], parse: (b, n) => parseMadelungEnergies(b, n) },
    {
      reader: 'magnetization',
      // the magnetization tables and what surrounds them; the whole OUTCARs would make slow cases
      fixtures: [
        excerpt(real('vasp/outcar/OUTCAR.NiO_SOC.gz'), 5, /magnetization \(/, 12),
        excerpt(site('OUTCAR.Si-moments-edited'), 5, /magnetization \(/, 10),
      ],
      parse: (b, n) => parseMagnetization(new TextDecoder().decode(b), n),
    },
  ];
  for (const [k, t] of targets.entries()) {
    it(`${t.reader}: ${CASES} mutated files end in a result or a ParseError, within bounds`, async () => {
      const rep = await runFuzz({ ...t, seed: SEED + 40 + k, cases: CASES });
      expect(rep.failures, describeFailures(rep)).toEqual([]);
      expect(rep.results + rep.oxyErrors).toBe(CASES);
    }, 180_000);
  }
});
