import { describe, expect, it } from 'vitest';
import { parsePoscar } from '../../src/io/vasp/poscar.js';
import { CASES, SEED, real } from './fixtures.js';
import { describeFailures, runFuzz } from './harness.js';

describe('fuzz: POSCAR/CONTCAR', () => {
  it(`${CASES} mutated files end in a structure or a ParseError, within bounds`, async () => {
    const rep = await runFuzz({
      reader: 'poscar',
      seed: SEED,
      cases: CASES,
      // line 6 or 7 holds the atom counts (VASP 5 / VASP 4), wrapped count lines go further
      fixtures: [
        real('vasp/poscar/POSCAR.Fe3O4', [6, 7]),
        real('vasp/poscar/pymatgen-test-files__top-level/POSCAR', [6]),
        real('vasp/poscar/POSCAR_overlap', [6, 7]),
        real('vasp/poscar/custodian__potim/POSCAR', [6, 7]),
        real('vasp/poscar/CONTCAR.Li2O', [6, 7]),
        real('vasp/poscar/POSCAR.symbols_natoms_multilines', [6, 7, 8, 9, 10, 11, 12, 13, 14]),
        real('vasp/poscar/POSCAR.Li2O', [6, 7]),
        real('vasp/doscar/aiida-vasp__ionic-relax-magmom-carry-on__calc-000/CONTCAR', [6, 7]),
      ],
      parse: (b, name) => parsePoscar(b, name),
    });
    expect(rep.failures, describeFailures(rep)).toEqual([]);
    expect(rep.results + rep.oxyErrors).toBe(CASES);
  }, 180_000);
});
