import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as runBuilt, runInProcess } from './run.js';
import { expandSites, parseSites } from '../../src/cli/commands/pdos.js';
import { AnalysisOptionError, MismatchError, ParseError, UsageError } from '../../src/errors.js';

const REAL = 'test/fixtures/real';
const K4 = `${REAL}/vasp/doscar/custodian__lobster__vasp_lobster_output`;
const LOB = `${REAL}/lobster`;

const run = runInProcess;

const json = async (...args: string[]) => JSON.parse((await run(...args, '--json')).stdout);

afterEach(() => vi.restoreAllMocks());

describe('oxyscope pdos', () => {
  it('--json: a DOSCAR takes its atoms from the CONTCAR beside it; O-p per O as pymatgen on the vasprun.xml', async () => {
    const j = await json('pdos', `${K4}/DOSCAR`, '--orbitals', 'p', '--engine', 'js');
    expect(j.structure).toBe(`${K4}/CONTCAR`);
    expect(j).toMatchObject({ efermi: 2.53291965, window: [-2, 0], mode: 'interp', spin: 'both', orbitals: ['p'], groupBy: 'element' });
    expect(j.groups.map((g: { name: string }) => g.name)).toEqual(['K', 'Sn', 'O']);
    const o = j.groups[2];
    expect(o.atoms).toEqual([8, 9, 10, 11, 12, 13]);
    // pymatgen 2022.11 complete_dos of the run's vasprun.xml, O p both spins, trapezoid with np.interp edge points,
    // summed over the six O: 7.183861416342278 (the DOSCAR prints 4 significant digits)
    expect(Math.abs(o.statesInWindow - 7.183861416342278)).toBeLessThan(7e-3);
    expect(o.perAtom).toBeCloseTo(o.statesInWindow / 6, 12);
    for (const key of ['center', 'width', 'filling', 'spins']) expect(o).toHaveProperty(key);
    expect(j.units.perAtom).toBe('states per atom');
    expect(j.definitions.mode).toMatch(/^interp: trapezoid/);
  });

  it('vasprun.xml, --group-by class: census classes of the O, ratio warning when a class is absent', async () => {
    const r = await run('pdos', `${K4}/vasprun.xml`, '--group-by', 'class', '--orbitals', 'p', '--ratio', 'O5:O4', '--json', '--engine', 'js');
    const j = JSON.parse(r.stdout);
    // Sn counts as a TM-site cation: every O of K4Sn4O6 has two Sn neighbours → O4
    expect(j.groups.map((g: { name: string; atoms: number[] }) => [g.name, g.atoms.length])).toEqual([['O4', 6]]);
    // same pymatgen number as above, now from the same (vasprun.xml) numbers
    expect(j.groups[0].statesInWindow).toBeCloseTo(7.183861416342278, 9);
    expect(j.ratios).toEqual([{ name: 'O5:O4', numerator: 'O5', denominator: 'O4', value: null }]);
    expect(r.stderr).toMatch(/warning: ratio O5:O4: no group O5/);
    expect(r.stderr).toMatch(/warning: grid spacing 0\.135 eV/);
  });

  it('js and wasm engines print the same JSON', async () => {
    for (const args of [
      ['pdos', `${K4}/DOSCAR`, '--orbitals', 'p', '--mode', 'bins', '--window', '-3,0.5'],
      ['pdos', `${LOB}/doscar/pymatgen-test-files__KF-spin/DOSCAR.lobster.spin`, '--group-by', 'site', '--spin', 'down'],
    ]) {
      expect((await run(...args, '--json', '--engine', 'wasm')).stdout).toBe((await run(...args, '--json', '--engine', 'js')).stdout);
    }
  });

  it('table and CSV', async () => {
    const t = (await run('pdos', `${K4}/DOSCAR`, '--elements', 'O', '--orbitals', 'p', '--sites', '9-10,14', '--group-by', 'site')).stdout;
    expect(t).toContain('window [-2, 0] eV (E − E_F), mode interp; spin up + down; orbitals p; grouped by site');
    expect(t).toMatch(/^O9\s+1\s+1\.20\d/m);
    expect(t).toMatch(/^O14\s+1\s+1\.18\d/m);
    const csv = (await run('pdos', `${K4}/DOSCAR`, '--orbitals', 'p', '--csv')).stdout.trim().split('\n');
    expect(csv[0]).toBe('file,group,atoms,window_a_eV,window_b_eV,mode,spin,orbitals,states_in_window,states_per_atom,up_per_atom,down_per_atom,center_eV,width_eV,filling');
    expect(csv).toHaveLength(4);
    expect(csv[3]).toMatch(new RegExp(`^${K4}/DOSCAR,O,9 10 11 12 13 14,-2,0,interp,both,p,7\\.18`));
  });

  it('gzip DOSCAR.lobster (non-spin) and --spin on a non-spin DOS', async () => {
    const gz = `${LOB}/doscar/pymatgen-test-files__KF-nonspin-gz/DOSCAR.lobster.nonspinzip.gz`;
    const j = await json('pdos', gz);
    expect(j.nspin).toBe(1);
    expect(j.groups.map((g: { name: string }) => g.name)).toEqual(['F', 'K']);
    expect(j.groups[0].spins).toBeUndefined();
    // the analysis refuses its option with a typed AnalysisOptionError (no CLI words); the CLI makes it bad usage, exit 2
    await expect(run('pdos', gz, '--spin', 'up')).rejects.toThrow(AnalysisOptionError);
    await expect(run('pdos', gz, '--spin', 'up')).rejects.toThrow(/^spin up: this DOS is .*; use both spins$/);
    const cli = await runBuilt(['pdos', gz, '--spin', 'up']);
    expect([cli.code, cli.stdout]).toEqual([2, '']);
    expect(cli.stderr).toMatch(/^oxyscope: spin up: this DOS is [^\n]*; use both spins\n$/);
  });

  it('--plot writes an SVG atomically and refuses to replace it without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oxy-pdos-'));
    const svg = join(dir, 'pdos.svg');
    await run('pdos', `${K4}/DOSCAR`, '--orbitals', 'p', '--plot', svg);
    const text = readFileSync(svg, 'utf8');
    expect(text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(text).toContain('PDOS (states/eV per atom)');
    expect(text).toContain('O (6 atoms)');
    expect(text).toContain('window [−2, 0] eV');
    await expect(run('pdos', `${K4}/DOSCAR`, '--plot', svg)).rejects.toThrow(/exists; pass --force/);
    await run('pdos', `${K4}/DOSCAR`, '--plot', svg, '--force', '--json');
  });

  it('errors: no atom names, mismatched structure, a file that is not a DOS, bad options', async () => {
    const spin = `${REAL}/vasp/doscar/aiida-vasp__doscar-spin/DOSCAR.spin`;
    await expect(run('pdos', spin)).rejects.toThrow(/does not name its atoms/);
    expect((await json('pdos', spin, '--group-by', 'site', '--sites', '1')).groups[0].name).toBe('site1');
    await expect(run('pdos', `${K4}/DOSCAR`, '--structure', `${REAL}/vasp/poscar/CONTCAR.Li2O`)).rejects.toThrow(MismatchError);
    await expect(run('pdos', `${K4}/CONTCAR`)).rejects.toThrow(ParseError);
    await expect(run('pdos', `${K4}/DOSCAR`, '--orbitals', 'f')).rejects.toThrow(/no orbital matches f/);
    await expect(run('pdos', `${K4}/DOSCAR`, '--json', '--csv')).rejects.toThrow(UsageError);
    expect(() => parseSites('1-4,7')).not.toThrow();
    expect(expandSites(parseSites('1-4,7'), 8)).toEqual([0, 1, 2, 3, 6]);
    expect(() => parseSites('0,2')).toThrow(/1-based/);
  });

  it('--sites ranges are checked against the DOS before they are expanded (issue 19 item 11)', async () => {
    // K4Sn4O6: 14 sites in its CONTCAR (4 K, 4 Sn, 6 O)
    expect(parseSites('1-999999999')).toEqual([[0, 999999998]]);
    await expect(run('pdos', `${K4}/DOSCAR`, '--sites', '1-999999999')).rejects.toThrow('--sites 1-999999999: the DOS has sites 1..14');
    await expect(run('pdos', `${K4}/DOSCAR`, '--sites', '3,99999999999999999999')).rejects.toThrow(/the DOS has sites 1\.\.14/);
    expect((await json('pdos', `${K4}/DOSCAR`, '--group-by', 'site', '--sites', '13-14,14')).groups.map((g: { name: string }) => g.name)).toEqual(['O13', 'O14']);
  });
});

describe('oxyscope cohp', () => {
  it('ICOHPLIST --json with --structure: labels checked against the structure, groups by pair', async () => {
    const j = await json('cohp', `${LOB}/icohplist/custodian__lobster__v51/ICOHPLIST.lobster`, '--structure', `${LOB}/doscar/custodian__lobster__v51/POSCAR`, '--max-length', '3', '--engine', 'js');
    expect(j).toMatchObject({ bonds: 24, quantity: '−ICOHP', layout: 'lobster-5-spin-row', cutoff: 3 });
    expect(j.groups).toHaveLength(1);
    expect(j.groups[0]).toMatchObject({ name: 'Na-Cl', by: 'pair', count: 24 });
    expect(j.groups[0].meanMinusIcohp).toBeCloseTo(0.56501, 5);
    expect(j.units.meanMinusIcohp).toBe('eV per bond');
    await expect(run('cohp', `${LOB}/icohplist/custodian__lobster__v51/ICOHPLIST.lobster`, '--structure', `${K4}/CONTCAR`)).rejects.toThrow(MismatchError);
  });

  it('COHPCAR: integrated vs file column; --plot of chosen bonds; ICOHPLIST refuses --plot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oxy-cohp-'));
    const svg = join(dir, 'cohp.svg');
    const j = await json('cohp', `${LOB}/cohpcar/COHPCAR.lobster`, '--bonds', '2', '--plot', svg);
    expect(j.bonds).toBe(2);
    expect(j.integration.map((b: { label: string }) => b.label)).toEqual(['Fe8->Fe7', 'Fe8->Fe9']);
    expect(j.integration[1].file).toBeCloseTo(0.86764, 9);
    const text = readFileSync(svg, 'utf8');
    expect(text).toContain('No.2 Fe8–Fe9 (2.452 Å)');
    expect(text).not.toContain('Fe8–Fe7');
    await expect(run('cohp', `${LOB}/icohplist/ICOHPLIST.lobster`, '--plot', svg)).rejects.toThrow(/--plot draws COHP curves/);
  });

  it('gzip input, table, CSV; js and wasm agree', async () => {
    const t = (await run('cohp', `${LOB}/icohplist/ICOHPLIST.lobster.gz`)).stdout;
    expect(t).toMatch(/Fe-Fe\s+pair\s+3\s+0\.489\s+1\.466\s+0\.163\s+0\.326/);
    const csv = (await run('cohp', `${LOB}/icohplist/ICOHPLIST.lobster.KF_nospin`, '--csv')).stdout;
    expect(csv).toBe(`file,group,by,bonds,mean_per_bond,sum,quantity\n${LOB}/icohplist/ICOHPLIST.lobster.KF_nospin,K-F,pair,6,0.40076,2.40456,-ICOHP\n`);
    for (const f of [`${LOB}/cohpcar/COHPCAR.lobster.orbitalwise`, `${LOB}/icohplist/custodian__lobster__vasp_lobster_output/ICOHPLIST.lobster`]) {
      expect((await run('cohp', f, '--json', '--engine', 'wasm')).stdout).toBe((await run('cohp', f, '--json', '--engine', 'js')).stdout);
    }
  });

  it('a file that is not a LOBSTER bond file is a ParseError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oxy-cohp-'));
    const bad = join(dir, 'ICOHPLIST.lobster');
    writeFileSync(bad, '  COHP#  atomMU  atomNU     distance     translation      ICOHP (at) eF   for spin  1\n      1      F1      K2      2.71199       0  -1 \n');
    await expect(run('cohp', bad)).rejects.toThrow(ParseError);
    await expect(run('cohp', `${K4}/DOSCAR`)).rejects.toThrow(ParseError);
  });
});
