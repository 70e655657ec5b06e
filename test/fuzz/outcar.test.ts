import { describe, expect, it } from 'vitest';
import { parseOutcar } from '../../src/io/vasp/outcar.js';
import { parseOszicar } from '../../src/io/vasp/oszicar.js';
import { CASES, SEED, excerpt, real } from './fixtures.js';
import { describeFailures, runFuzz } from './harness.js';

// OUTCARs are long: keep the head and the lines the reader looks at, each with NIONS + 3 lines after it (force blocks)
const KEY = /NIONS =|E-fermi|TOTEN|energy {2}without|TOTAL-FORCE|NEB: projections|reached required|General timing/;

describe('fuzz: OUTCAR and OSZICAR', () => {
  it(`${CASES} mutated OUTCARs end in a summary or a ParseError, within bounds`, async () => {
    const rep = await runFuzz({
      reader: 'outcar',
      seed: SEED,
      cases: CASES,
      fixtures: [
        excerpt(real('vasp/outcar/pymatgen-test-files__static_silicon/OUTCAR'), 30, KEY, 8),
        excerpt(real('vasp/outcar/OUTCAR_merged_numbers'), 30, KEY, 8),
        excerpt(real('vasp/outcar/aiida-vasp__outcar_extras/OUTCAR.unfinished'), 20, KEY, 6),
        excerpt(real('vasp/neb/aiida-vasp__neb/01/OUTCAR'), 20, KEY, 7),
        excerpt(real('vasp/outcar/outcar_vasp_6.3.gz'), 20, KEY, 13),
      ],
      parse: (b, name) => parseOutcar(b, name),
    });
    expect(rep.failures, describeFailures(rep)).toEqual([]);
    expect(rep.results + rep.oxyErrors).toBe(CASES);
  }, 180_000);

  it(`${CASES} mutated OSZICARs end in energies or a ParseError, within bounds`, async () => {
    // no OSZICAR among the real files: this one is made of the ionic-step lines VASP 5.4 writes (relaxation and MD)
    const oszicar = new TextEncoder().encode(
      [
        '       N       E                     dE             d eps       ncg     rms          rms(c)',
        'DAV:   1    -0.225536291618E+03   -0.22554E+03   -0.11212E+04  2232   0.101E+03',
        'RMM:   2    -0.236549853734E+03   -0.11014E+02   -0.35049E+01  2368   0.155E+01    0.135E+01',
        '   1 F= -.23688123E+03 E0= -.23687969E+03  d E =-.236881E+03  mag=     2.0000',
        'DAV:   1    -0.236881532542E+03   -0.31029E-03   -0.55224E-01  2336   0.279E+00    0.108E+00',
        '   2 F= -.23688181E+03 E0= -.23688031E+03  d E =-.585484E-03  mag=     2.0000',
        '   3 T=   301. E= -.23512120E+03 F= -.23688200E+03 E0= -.23688040E+03  EK= 0.17608E+01 SP= 0.00E+00 SK= 0.00E+00',
        '',
      ].join('\n'),
    );
    const rep = await runFuzz({
      reader: 'oszicar',
      seed: SEED + 1,
      cases: CASES,
      fixtures: [{ name: 'OSZICAR', bytes: oszicar, headerLines: [4, 6, 7] }],
      parse: (b, name) => parseOszicar(b, name),
    });
    expect(rep.failures, describeFailures(rep)).toEqual([]);
    expect(rep.results + rep.oxyErrors).toBe(CASES);
  }, 180_000);
});
