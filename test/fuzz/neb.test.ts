import { describe, expect, it } from 'vitest';
import { assembleNeb, type NebImageFiles } from '../../src/io/vasp/neb.js';
import { nebAnalysis } from '../../src/analysis/neb.js';
import { jsKernels } from '../../src/kernels/js.js';
import { fromBytes } from '../../src/io/source.js';
import { CASES, SEED, excerpt, real } from './fixtures.js';
import { describeFailures, runFuzz, type FuzzFixture } from './harness.js';

const DIR = 'vasp/neb/aiida-vasp__neb/';
const KEY = /NIONS =|E-fermi|TOTEN|energy {2}without|TOTAL-FORCE|NEB: projections|reached required|General timing/;

/** The real NEB run (OUTCARs cut to the lines the reader uses); each case mutates one of its files. */
const files: FuzzFixture[] = [
  real(`${DIR}00/POSCAR`, [6, 7]),
  ...['01', '02', '03'].flatMap((im) => [
    real(`${DIR}${im}/POSCAR`, [6, 7]),
    real(`${DIR}${im}/CONTCAR`, [6, 7]),
    { ...excerpt(real(`${DIR}${im}/OUTCAR`), 20, KEY, 7), name: `${DIR}${im}/OUTCAR` },
  ]),
  real(`${DIR}04/POSCAR`, [6, 7]),
];

function images(replaced: string, bytes: Uint8Array): NebImageFiles[] {
  return ['00', '01', '02', '03', '04'].map((im) => {
    const src = (file: string) => {
      const f = files.find((x) => x.name === `${DIR}${im}/${file}`);
      return f ? fromBytes(f.name, f.name === replaced ? bytes : f.bytes) : undefined;
    };
    return { name: im, poscar: src('POSCAR'), contcar: src('CONTCAR'), outcar: src('OUTCAR') };
  });
}

describe('fuzz: NEB folder', () => {
  it(`${CASES} runs with one mutated file end in a path (and its analysis) or an OxyError, within bounds`, async () => {
    const rep = await runFuzz({
      reader: 'neb',
      seed: SEED + 20,
      cases: CASES,
      fixtures: files,
      parse: async (b, name) => nebAnalysis(await assembleNeb('neb', images(name, b), jsKernels), jsKernels),
    });
    expect(rep.failures, describeFailures(rep)).toEqual([]);
    expect(rep.results + rep.oxyErrors).toBe(CASES);
  }, 180_000);
});
