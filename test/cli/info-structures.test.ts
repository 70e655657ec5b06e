import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './run.js';

const V = 'test/fixtures/real/vasp';

/** `oxyscope info <file> --json --engine js` through the built CLI (npm test builds first). */
async function info(path: string) {
  const r = await run(['info', path, '--json', '--engine', 'js']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

describe('oxyscope info on VASP structure-side files', () => {
  it('POSCAR (VASP 4, negative scale): counts, formula, volume, lattice', async () => {
    const j = await info(`${V}/poscar/pymatgen-test-files__top-level/POSCAR`);
    expect(j).toMatchObject({ format: 'poscar', nSites: 24, formula: 'Fe4P4O16', selectiveDynamics: false, hasVelocities: false });
    // pymatgen volume 300.6568551200002 (the scale line asks for 300.65685512)
    expect(j.volume).toBeCloseTo(300.65685512, 8);
    expect(j.lattice.length).toBe(3);
    expect(j.species).toEqual([{ symbol: 'Fe', count: 4 }, { symbol: 'P', count: 4 }, { symbol: 'O', count: 16 }]);
    expect(j.latticeParameters.alpha).toBeCloseTo(90, 12);
  });

  it('gzip POSCAR, selective dynamics, velocities', async () => {
    expect(await info(`${V}/poscar/POSCAR.C2.gz`)).toMatchObject({ format: 'poscar', nSites: 2, formula: 'C2' });
    expect(await info(`${V}/poscar/custodian__potim/POSCAR`)).toMatchObject({ nSites: 48, selectiveDynamics: true });
    expect(await info(`${V}/poscar/CONTCAR.Li2O`)).toMatchObject({ nSites: 96, hasVelocities: true });
  });

  it('XDATCAR (variable cell)', async () => {
    expect(await info(`${V}/xdatcar/XDATCAR_6`)).toMatchObject({ format: 'xdatcar', nFrames: 4, nSites: 7, variableCell: true, truncated: false, formula: 'Fe2O4Ti' });
  });

  it('OUTCAR (gz, VASP 6.3) and an unfinished one', async () => {
    expect(await info(`${V}/outcar/outcar_vasp_6.3.gz`)).toMatchObject({
      format: 'outcar', vaspVersion: '6.3.0', nions: 10, efermi: 6.3592, energy: -72.00153186, energySigma0: -72.00153186, converged: true, relaxation: false, electronicConverged: true, finished: true, tangentForce: null,
    });
    expect(await info(`${V}/outcar/aiida-vasp__outcar_extras/OUTCAR.unfinished`)).toMatchObject({ finished: false, ionicSteps: 12, energy: -8.61714126 });
  });

  it('NEB folder: images, energies with null where no OUTCAR exists', async () => {
    const j = await info(`${V}/neb/aiida-vasp__neb`);
    expect(j).toMatchObject({ format: 'neb', images: 5, names: ['00', '01', '02', '03', '04'], energyKind: 'energySigma0', converged: [null, true, true, true, null] });
    expect(j.energies).toEqual([null, -19.49550593, -19.27978461, -19.4955073, null]);
    expect(j.relativeEnergies[2]).toBeCloseTo(-19.27978461 - -19.49550593, 12);
    expect(j.note).toMatch(/00, 04/);
  });

  it('a truncated or empty file: exit 1, one line on stderr, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oxy-info-'));
    const text = readFileSync(`${V}/poscar/POSCAR.Fe3O4`, 'utf8');
    const cut = join(dir, 'POSCAR');
    writeFileSync(cut, text.slice(0, text.indexOf('0.617925') + 12));
    for (const path of [cut, join(dir, 'CONTCAR')]) {
      if (path.endsWith('CONTCAR')) writeFileSync(path, '');
      const r = await run(['info', path, '--json', '--engine', 'js']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n').length).toBe(1);
      expect(r.stderr).toMatch(/^oxyscope: .*POSCAR|CONTCAR/);
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    }
  });
});
