import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { infoOfFile } from '../../src/cli/commands/info.js';
import { jsKernels } from '../../src/kernels/js.js';
import { ParseError } from '../../src/errors.js';

const DIR = join(__dirname, '../fixtures/real/vasp');
// the format is given: detectFormat takes custodian__lobster__v51/DOSCAR (SYSTEM = "LOBSTER" on line 5) for a DOSCAR.lobster
const info = (p: string) => infoOfFile(join(DIR, p), jsKernels, /DOSCAR/.test(p) ? 'doscar' : 'vasprun');

describe('oxyscope info for DOSCAR and vasprun.xml', () => {
  it('DOSCAR with species from the vasprun.xml beside it', async () => {
    const s = await info('doscar/aiida-vasp__doscar/DOSCAR');
    expect(s).toMatchObject({
      format: 'doscar', efermi: 7.29482275, nedos: 10, ispin: 1, noncollinear: false, nSites: 4,
      energyRange: [-3.44, 13.67], hasPdos: true, layout: 'lm-nonspin', lorbit: 11, formula: 'Al4',
    });
    expect(s.orbitals).toEqual(['s', 'py', 'pz', 'px', 'dxy', 'dyz', 'dz2', 'dxz', 'x2-y2']);
    expect(String(s.speciesFrom)).toMatch(/vasprun\.xml$/);
  });

  it('DOSCAR with species from CONTCAR (K4Sn4O6, spin, LORBIT 11)', async () => {
    const s = await info('doscar/custodian__lobster__vasp_lobster_output/DOSCAR');
    expect(s).toMatchObject({ format: 'doscar', ispin: 2, nSites: 14, formula: 'K4Sn4O6', layout: 'lm-spin', energyRange: [-28.827, 11.681] });
    expect(String(s.speciesFrom)).toMatch(/CONTCAR$/);
  });

  it('every DOSCAR fixture summarises', async () => {
    const files = [
      'aiida-vasp__basic_run/DOSCAR', 'aiida-vasp__born_effective_charge/DOSCAR', 'aiida-vasp__doscar-ncl/DOSCAR.ncl',
      'aiida-vasp__doscar-nopdos/DOSCAR.nopdos', 'aiida-vasp__doscar-spin/DOSCAR.spin', 'aiida-vasp__ionic-relax-magmom-carry-on__calc-000/DOSCAR',
      'aiida-vasp__phonondb/DOSCAR', 'aiida-vasp__relax-wc-keep-magmom__calc-000/DOSCAR', 'aiida-vasp__vasp_wc_nelm__calc-000/DOSCAR',
      'custodian__lobster__v51/DOSCAR',
    ];
    const got = await Promise.all(files.map((f) => info(`doscar/${f}`)));
    expect(got.map((s) => [s.format, s.nSites, s.hasPdos, s.layout])).toEqual([
      ['doscar', 8, true, 'lm-nonspin'], ['doscar', 26, false, null], ['doscar', 2, true, 'lm-noncollinear'],
      ['doscar', 4, false, null], ['doscar', 2, true, 'lm-spin'], ['doscar', 1, true, 'l-spin'],
      ['doscar', 104, false, null], ['doscar', 1, true, 'l-spin'], ['doscar', 1, false, null], ['doscar', 8, false, null],
    ]);
    expect(got[1].formula).toBe('P4S16Zn6'); // born_effective_charge CONTCAR: species line P S Zn, counts 4 16 6
    expect(got[3].warnings).toEqual([expect.stringMatching(/announces projected DOS/)]);
    expect(got[2].noncollinear).toBe(true);
  });

  it('vasprun.xml (spin-orbit) and gzip', async () => {
    const soc = await info('vasprun/vasprun.xml.dielectric_6.0.8');
    expect(soc).toMatchObject({
      format: 'vasprun', version: '6.0.8', formula: 'Li12Bi4O14', nSites: 30, ionicSteps: 1, lorbit: 0,
      efermi: 3.66818026, nedos: 2000, ispin: 1, noncollinear: true, hasPdos: false, energyRange: [-47.5973, 31.8982],
      finalEnergy: { energy: -189.85475819, energySigma0: -189.85475819 },
    });
    const gz = await info('vasprun/vasprun.xml.indirect.gz');
    expect(gz).toMatchObject({ format: 'vasprun', formula: 'Si2', nedos: 301, hasPdos: true, layout: 'lm-nonspin', lorbit: 11 });
    const relax = await info('vasprun/custodian__postprocess/vasprun.xml');
    expect(relax).toMatchObject({ formula: 'Fe2O2', ionicSteps: 28, ispin: 2, layout: 'lm-spin' });
  });

  it('a truncated DOSCAR and an empty vasprun.xml are ParseErrors', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'oxy-info-dos-'));
    const b = readFileSync(join(DIR, 'doscar/aiida-vasp__doscar-spin/DOSCAR.spin'));
    writeFileSync(join(tmp, 'DOSCAR'), b.subarray(0, 100000));
    await expect(infoOfFile(join(tmp, 'DOSCAR'), jsKernels)).rejects.toThrow(ParseError);
    writeFileSync(join(tmp, 'vasprun.xml'), '');
    await expect(infoOfFile(join(tmp, 'vasprun.xml'), jsKernels, 'vasprun')).rejects.toThrow(/empty/);
  });

  it('an INCAR beside a DOSCAR decides the non-collinear layout', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'oxy-info-dos-'));
    copyFileSync(join(DIR, 'doscar/aiida-vasp__doscar-ncl/DOSCAR.ncl'), join(tmp, 'DOSCAR'));
    writeFileSync(join(tmp, 'INCAR'), 'ISPIN = 1\nLSORBIT = .TRUE.\n');
    expect(await infoOfFile(join(tmp, 'DOSCAR'), jsKernels)).toMatchObject({ layout: 'lm-noncollinear', noncollinear: true });
  });
});
