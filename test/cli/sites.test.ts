import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnalysisOptionError, MismatchError, UsageError } from '../../src/errors.js';
import { builtCli, run as runBin, runInProcess } from './run.js';

const NACL = 'examples/lrlo/real/NaCl-lobster';
const K4 = 'test/fixtures/real/vasp/doscar/custodian__lobster__vasp_lobster_output';
const SITES = 'test/fixtures/sites';

const run = runInProcess;

afterEach(() => vi.restoreAllMocks());

describe('oxyscope sites', () => {
  it('finds CHARGE.lobster, ICOHPLIST.lobster and DOSCAR.lobster beside the POSCAR (NaCl, LOBSTER 5.1.1); tables number sites from 1', async () => {
    const { stdout, stderr } = await run('sites', `${NACL}/POSCAR`, '--engine', 'js');
    expect(stdout).toContain('per site (site numbers 1-based');
    expect(stdout).toContain(`charges ${NACL}/CHARGE.lobster`);
    // site 1 is Na1: Mulliken 0.78, Löwdin 0.67 (CHARGE.lobster), Σ−ICOHP 3.390 eV (six Na1 lines of −0.565)
    expect(stdout).toMatch(/\n\s+1\s+Na\s+–\s+–\s+0\.780\s+0\.670\s+3\.390/);
    expect(stdout).toMatch(/\n\s+8\s+Cl\s/);
    expect(stdout).toContain('O–O short contacts (< 1.55 Å peroxo-like, < 1.35 Å O2-like): 0');
    expect(stderr).toContain('warning: ');
  });

  it('--json: 0-based sites, warnings array, files, units; both engines agree', async () => {
    const js = JSON.parse((await run('sites', `${NACL}/POSCAR`, '--json', '--engine', 'js')).stdout);
    const wasm = JSON.parse((await run('sites', `${NACL}/POSCAR`, '--json', '--engine', 'wasm')).stdout);
    expect(js).toEqual(wasm);
    expect(js.sites[0]).toMatchObject({ index: 0, species: 'Na', class: null, values: { mulliken: 0.78, loewdin: 0.67 } });
    expect(Array.isArray(js.warnings)).toBe(true);
    expect(js.quantities).toEqual(['mulliken', 'loewdin', 'sumMinusIcohp', 'statesInWindow']);
    expect(js.files).toEqual({ charges: `${NACL}/CHARGE.lobster`, icohp: `${NACL}/ICOHPLIST.lobster`, dos: `${NACL}/DOSCAR.lobster` });
    expect(js.units.mulliken).toBe('e');
  });

  it('--csv one row per site; --no-find reads only what is named', async () => {
    const csv = (await run('sites', `${NACL}/POSCAR`, '--csv', '--no-find', '--charges', `${NACL}/CHARGE.lobster`)).stdout.trim().split('\n');
    expect(csv[0]).toBe('file,site,species,class,nTM,nLi,mulliken,loewdin');
    expect(csv[1]).toBe(`${NACL}/POSCAR,1,Na,,,,0.78,0.67`);
    expect(csv.length).toBe(9);
  });

  it('Bader with ZVAL from a POTCAR, K4Sn4O6 with its DOSCAR; O classed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oxy-sites-'));
    for (const f of ['CONTCAR', 'DOSCAR']) copyFileSync(join(K4, f), join(dir, f));
    copyFileSync(join(SITES, 'ACF.dat'), join(dir, 'ACF.dat'));
    copyFileSync(join(SITES, 'POTCAR.headers'), join(dir, 'POTCAR'));
    const j = JSON.parse((await run('sites', join(dir, 'CONTCAR'), '--json')).stdout);
    expect(j.zvalFrom).toBe(join(dir, 'POTCAR'));
    // ZVAL(O) 6 − 7.3312 electrons (pymatgen: charge transfer +1.3312)
    expect(j.sites[8].values.bader).toBeCloseTo(-1.3312, 10);
    expect(j.sites[8].class).toMatch(/^O\d$/);
    expect(j.groups[0].by).toBe('class');
    expect(j.groups[0].stats.bader.count).toBe(6);
  });

  it('real spin-polarised OUTCARs beside a POSCAR: per-site moments and per-class tables (VASP 6.3 LaGaO3; spin-orbit NiO)', async () => {
    const nio = JSON.parse((await run('sites', `${SITES}/NiO-soc/POSCAR`, '--json')).stdout);
    // pymatgen Outcar.magnetization tot (Magmom vectors): (0, −0, 1.671), (−0, −0, −1.671), ~0, ~0
    expect(nio.sites.map((x: { values: { magmom: number } }) => x.values.magmom + 0)).toEqual([1.671, -1.671, 0, 0]);
    expect(nio.groups.map((g: { name: string; by: string }) => [g.name, g.by])).toEqual([['O0', 'class'], ['Ni', 'element']]);
    expect(nio.groups[1].stats.magmom).toMatchObject({ count: 2, min: -1.671, max: 1.671 });
    expect(nio.groups[1].stats.magmom.std).toBeCloseTo(Math.sqrt(2) * 1.671, 12);
    expect(nio.warnings).toEqual([expect.stringContaining('non-collinear')]);
    const { stdout } = await run('sites', `${SITES}/LaGaO3-spin/POSCAR`);
    // ISPIN = 2 run without a moment (pymatgen: every tot −0.0 / 0.0); the six O are classed
    expect(stdout).toContain(`magnetization ${SITES}/LaGaO3-spin/OUTCAR.gz`);
    expect(stdout).toMatch(/O\d\s+class\s+magmom \(μB\)\s+6\s+0\s+0\s+0\s+0/);
  });

  it('a CHARGE.lobster of another run is a MismatchError; bad thresholds and stdin are usage errors', async () => {
    await expect(run('sites', `${K4}/CONTCAR`, '--no-find', '--charges', 'test/fixtures/real/lobster/charge/custodian__lobster__vasp_lobster_output/CHARGE.lobster')).rejects.toThrow(MismatchError);
    // the O–O thresholds are refused by the analysis (an AnalysisOptionError; the built CLI exits 2 on it)
    await expect(run('sites', `${NACL}/POSCAR`, '--no-find', '--peroxo', '1.2', '--o2', '1.3')).rejects.toThrow(AnalysisOptionError);
    await expect(run('sites', '-')).rejects.toThrow(UsageError);
  });

  it.runIf(builtCli())('the built CLI: one line on stderr and exit 1 for a mismatch', async () => {
    const r = await runBin(['sites', `${K4}/CONTCAR`, '--no-find', '--charges', 'test/fixtures/real/lobster/charge/custodian__lobster__vasp_lobster_output/CHARGE.lobster']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('2 atoms vs 14 sites');
  });
});
