import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli, run, ROOT } from './run.js';
import { ENERGIES, LI_BCC_ENERGY, MODEL, outcar, writeSeries } from './voltage-series.js';
import { folderEnergy, readSeriesCalculation } from '../../src/node/series.js';
import { jsKernels } from '../../src/kernels/js.js';

/**
 * `oxyscope voltage` end to end on a made-up series (voltage-series.ts: model structures, OUTCAR-like files with
 * made-up energies). Expected numbers come from pymatgen run here (InsertionElectrode) or by hand from the energies.
 */
const PYTHON = '/usr/bin/python3';
const havePymatgen = spawnSync(PYTHON, ['-c', 'import pymatgen.apps.battery.insertion_battery'], { stdio: 'ignore' }).status === 0;
if (!havePymatgen) console.warn('\n!!! SKIPPING the pymatgen oracle test of `oxyscope voltage`: /usr/bin/python3 cannot import pymatgen (python3-pymatgen) !!!\n');

const HOST = { Mn: 15, Ni: 6, Co: 3, O: 72 };
const LI_OF: Record<string, number> = { x48: 48, x36: 36, x24: 24, x24m: 24, x12: 12, x0: 0 };
const E_LI = LI_BCC_ENERGY / 2;

let dir: string;
let names: string[];
beforeAll(() => {
  expect(builtCli(), 'run `npm run build:ts && npm run build:cli` first: these tests drive bin/oxyscope.js').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'oxy-voltage-'));
  names = writeSeries(dir);
});

const inDir = (args: string[]) => run(args, dir);

describe('oxyscope voltage', () => {
  it.skipIf(!havePymatgen)('--json on OUTCAR folders: hull and voltages equal pymatgen InsertionElectrode on the same energies', async () => {
    const r = await inDir(['voltage', ...names, '--li-ref', 'li', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const script = `
import json, sys
from pymatgen.core import Composition
from pymatgen.entries.computed_entries import ComputedEntry
from pymatgen.apps.battery.insertion_battery import InsertionElectrode
d = json.load(sys.stdin)
el = InsertionElectrode.from_entries([ComputedEntry(Composition(c), e, entry_id=i) for i, c, e in d["entries"]], ComputedEntry(Composition("Li2"), d["li"]))
print(json.dumps(dict(stable=[e.entry_id for e in el.stable_entries], v=[p.voltage for p in el.voltage_pairs], avg=el.get_average_voltage())))`;
    const entries = names.map((n) => [n, { Li: LI_OF[n], ...HOST }, ENERGIES[n]]);
    const ref = JSON.parse(execFileSync(PYTHON, ['-c', script], { input: JSON.stringify({ entries, li: LI_BCC_ENERGY }), encoding: 'utf8' }));
    expect(j.hull).toEqual(ref.stable);
    expect(j.steps).toHaveLength(ref.v.length);
    j.steps.forEach((s: { voltage: number }, i: number) => expect(Math.abs(s.voltage - ref.v[i])).toBeLessThan(1e-6));
    expect(Math.abs(j.averageVoltage - ref.avg)).toBeLessThan(1e-6);
    expect(j.warnings).toEqual([]);
  });

  it('--json: x per O2, E_Li from --li-ref, the census beside each point, energies as read', async () => {
    const j = JSON.parse((await inDir(['voltage', ...names, '--li-ref', 'li', '--json', '--engine', 'js'])).stdout);
    expect(j.energy).toBe('energy(sigma->0)');
    expect(j.host).toMatchObject({ formulaUnit: 'O2', formula: 'Mn0.4167Ni0.1667Co0.0833O2', reduced: 'Mn5Ni2CoO24' });
    expect(j.liEnergy.value).toBeCloseTo(E_LI, 12);
    expect(j.liEnergy.source).toBe('li/OUTCAR: energy(sigma->0) / 2 Li');
    const by = Object.fromEntries(j.points.map((p: { id: string }) => [p.id, p]));
    // 36 formula units (72 O / 2) per cell: x = Li / 36, E = E_cell / 36
    expect(by.x24.x).toBeCloseTo(24 / 36, 12);
    expect(by.x24.energy).toBeCloseTo(ENERGIES.x24 / 36, 12);
    expect(by.x24.energySource).toBe('x24/OUTCAR: energy(sigma->0)');
    // the model cells are all O4 (Li2MnO3-like honeycomb); the migrated cell has O5
    expect(by.x48.classes).toEqual({ O4: 1 });
    expect(by.x0.classes).toEqual({ O4: 1 });
    expect(by.x24m.classes.O5).toBeGreaterThan(0);
    // hand: hull x0 – x24m – x48; V(x24m → x48) = −[E48 − E24m − 24·E_Li] / 24 per cell
    expect(j.hull).toEqual(['x0', 'x24m', 'x48']);
    expect(j.steps[1].voltage).toBeCloseTo(-(ENERGIES.x48 - ENERGIES.x24m - 24 * E_LI) / 24, 10);
    expect(by.x24m.voltage).toBeCloseTo(j.steps[1].voltage, 12);
    expect(by.x48.voltage).toBeNull();
  });

  it('the census beside a point equals `oxyscope census` of its structure', async () => {
    const j = JSON.parse((await inDir(['voltage', ...names, '--li-energy', String(E_LI), '--json'])).stdout);
    const c = JSON.parse((await run(['census', join(MODEL, 'migrated/POSCAR'), '--json'])).stdout);
    expect(j.points.find((p: { id: string }) => p.id === 'x24m').classes).toEqual(c.structures[0].fractions);
  });

  it('--li-energy gives the same numbers as --li-ref; both at once is refused', async () => {
    const a = JSON.parse((await inDir(['voltage', ...names, '--li-ref', 'li', '--json'])).stdout);
    const b = JSON.parse((await inDir(['voltage', ...names, '--li-energy', String(E_LI), '--json'])).stdout);
    expect(b.steps.map((s: { voltage: number }) => s.voltage)).toEqual(a.steps.map((s: { voltage: number }) => expect.closeTo(s.voltage, 12)));
    const both = await inDir(['voltage', ...names, '--li-ref', 'li', '--li-energy', '-1.9']);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(/^oxyscope: .*cannot be used with/m);
  });

  it('a pure-Li folder among the folders is the Li reference', async () => {
    const j = JSON.parse((await inDir(['voltage', ...names, 'li', '--json'])).stdout);
    expect(j.liEnergy.value).toBeCloseTo(E_LI, 12);
    expect(j.notes.join('\n')).toMatch(/Li energy from the pure-Li calculation li/);
    expect(j.points.map((p: { id: string }) => p.id)).not.toContain('li');
  });

  it('--energy toten uses TOTEN (0.01 eV above energy(sigma->0) in every file here)', async () => {
    const j = JSON.parse((await inDir(['voltage', ...names, '--li-ref', 'li', '--energy', 'toten', '--json'])).stdout);
    expect(j.energy).toBe('free energy TOTEN');
    const liT = (LI_BCC_ENERGY + 0.01) / 2;
    expect(j.steps[1].voltage).toBeCloseTo(-((ENERGIES.x48 + 0.01) - (ENERGIES.x24m + 0.01) - 24 * liT) / 24, 10);
  });

  it('table output reads x, V, O4 %, O5 %; the steps with capacities', async () => {
    const r = await inDir(['voltage', ...names, '--li-ref', 'li']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/calculation\s+x\s+V \(V\)\s+O3 %\s+O4 %\s+O5 %/);
    expect(r.stdout).toMatch(/^x48\s+1\.3333\s+–\s+0\.0%\s+100\.0%\s+0\.0%/m);
    expect(r.stdout).toMatch(/per 2 O; host Mn5Ni2CoO24/);
    // capacity of x24m → x48 by hand: Δx = 2/3 per O2; M(Li4/3 Mn5/12 Ni1/6 Co1/12 O2) = 4/3·6.94 + 5/12·54.938043 + 1/6·58.6934 + 1/12·58.933194 + 2·15.999
    const m = (4 / 3) * 6.94 + (5 / 12) * 54.938043 + (1 / 6) * 58.6934 + (1 / 12) * 58.933194 + 2 * 15.999;
    const q = ((2 / 3) * 96485.33212) / 3.6 / m;
    expect(r.stdout).toContain(`${q.toFixed(1)}`);
    expect(r.stdout).toMatch(/note: x = 0\.6667: 2 structures \(x24m, x24\); the lowest, x24m, is the hull candidate/);
  });

  it('--csv: one row per calculation, full precision', async () => {
    const r = await inDir(['voltage', ...names, '--li-ref', 'li', '--csv']);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('calculation,x,voltage_V,O3_fraction,O4_fraction,O5_fraction,energy_eV_per_fu,formation_energy_eV_per_fu,hull_distance_eV_per_fu,hull_distance_eV_per_atom,on_hull,energy_source');
    expect(lines).toHaveLength(1 + names.length);
    const x0 = lines.find((l) => l.startsWith('x0,'))!.split(',');
    expect(Number(x0[1])).toBe(0);
    expect(Number(x0[6])).toBeCloseTo(ENERGIES.x0 / 36, 12);
  });

  it('--plot writes the SVG atomically and refuses to overwrite without --force', async () => {
    const out = mkdtempSync(join(tmpdir(), 'oxy-voltage-plot-'));
    const svg = join(out, 'v.svg');
    expect((await inDir(['voltage', ...names, '--li-ref', 'li', '--plot', svg])).code).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    expect(text).toContain('average voltage (V vs Li/Li⁺)');
    expect(text).toContain('share of O (%)');
    expect(text).toContain('x in Li_xMn0.4167Ni0.1667Co0.0833O2');
    const again = await inDir(['voltage', ...names, '--li-ref', 'li', '--plot', svg]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists; pass --force/);
    expect((await inDir(['voltage', ...names, '--li-ref', 'li', '--plot', svg, '--force'])).code).toBe(0);
    expect(readdirSync(out)).toEqual(['v.svg']);
  });

  it('wasm and js engines give the same JSON', async () => {
    const args = ['voltage', ...names, '--li-ref', 'li', '--reference', join(MODEL, 'pristine/POSCAR'), '--json'];
    const [a, b] = await Promise.all([inDir([...args, '--engine', 'js']), inDir([...args, '--engine', 'wasm'])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(JSON.parse(a.stdout).reference).toBe(join(MODEL, 'pristine/POSCAR'));
  });

  it('--energies: a table path,energy_eV (paths relative to it) replaces the files; structure files work too', async () => {
    const t = mkdtempSync(join(tmpdir(), 'oxy-voltage-table-'));
    writeFileSync(join(t, 'energies.csv'), `# made up\npath,energy_eV\n${join(MODEL, 'pristine/POSCAR')},-936\n${join(MODEL, 'migrated/POSCAR')},-785.484\n${join(MODEL, 'delithiated/POSCAR')},-784.584\n`);
    const r = await run(['voltage', '--energies', join(t, 'energies.csv'), '--li-energy', String(E_LI), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.points).toHaveLength(3);
    expect(j.steps).toHaveLength(1);
    expect(j.steps[0].voltage).toBeCloseTo(-(-936 + 785.484 - 24 * E_LI) / 24, 10);
    expect(j.points[0].energySource).toMatch(/energies\.csv:\d \(--energies\)$/);
    // a folder of the series with its OUTCAR, energy from the table instead
    writeFileSync(join(dir, 'table.csv'), 'path,energy_eV\nx48,-937\n');
    const k = JSON.parse((await inDir(['voltage', ...names, '--energies', 'table.csv', '--li-ref', 'li', '--json'])).stdout);
    expect(k.points.find((p: { id: string }) => p.id === 'x48').energy).toBeCloseTo(-937 / 36, 12);
  });

  it('bad tables: one line, the file and line named', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'path,energy_eV\nx48,abc\n');
    const r = await inDir(['voltage', ...names, '--energies', 'bad.csv']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('oxyscope: bad.csv:2: expected an energy in eV (a number), found "abc"');
    writeFileSync(join(dir, 'dup.csv'), 'path,energy_eV\nx48,-1\nx48,-2\n');
    expect((await inDir(['voltage', ...names, '--energies', 'dup.csv'])).stderr).toMatch(/dup\.csv:3: expected each path once \(x48 is on line 2 already\)/);
  });

  it('degenerate inputs: one composition, mixed hosts, a folder without energy, nothing given', async () => {
    const one = await inDir(['voltage', 'x24', 'x24m', '--li-ref', 'li']);
    expect(one.code).toBe(1);
    expect(one.stderr).toMatch(/^oxyscope: x24\/CONTCAR vs x24m\/CONTCAR: every calculation has the same Li content x = 0\.6667 per Mn0\.4167Ni0\.1667Co0\.0833O2/);
    expect(one.stderr).not.toMatch(/\n\s+at /);
    // another host: LiCoO2-like cell from the same builder, with a made-up energy
    mkdirSync(join(dir, 'other'), { recursive: true });
    writeFileSync(join(dir, 'other', 'POSCAR'), 'made up\n1.0\n2.8 0 0\n-1.4 2.42 0\n0 0 14\nLi Co O\n1 1 2\nDirect\n0 0 0.5\n0 0 0\n0 0 0.26\n0 0 0.74\n');
    writeFileSync(join(dir, 'other', 'OUTCAR'), outcar(4, -22));
    const mixed = await inDir(['voltage', 'x48', 'x0', 'other', '--li-ref', 'li']);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toMatch(/^oxyscope: x48\/CONTCAR vs other\/POSCAR: different hosts .*x48 Mn5Ni2CoO24, other CoO2/);
    mkdirSync(join(dir, 'noenergy'), { recursive: true });
    copyFileSync(join(MODEL, 'pristine/POSCAR'), join(dir, 'noenergy', 'POSCAR'));
    const none = await inDir(['voltage', 'x0', 'noenergy']);
    expect(none.stderr.trim()).toBe('oxyscope: noenergy: expected an OUTCAR, vasprun.xml or OSZICAR with a final energy, or a row for it in --energies, found "none"');
    const nothing = await inDir(['voltage']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/give calculation folders, or an --energies table/);
    const twice = await inDir(['voltage', 'x0', 'x0']);
    expect(twice.stderr).toMatch(/x0 is given twice/);
  });

  it('no Li energy: hull and formation energies, voltages null, a warning in the JSON and on stderr', async () => {
    const r = await inDir(['voltage', ...names, '--json']);
    const j = JSON.parse(r.stdout);
    expect(j.steps.every((s: { voltage: null }) => s.voltage === null)).toBe(true);
    expect(j.warnings.join('\n')).toMatch(/no Li metal energy/);
    expect(r.stderr).toMatch(/warning: no Li metal energy/);
  });
});

describe('series energies from real files', () => {
  // final energies of the last <calculation> by pymatgen 2022.11.7 Vasprun(...).ionic_steps[-1]: e_0_energy, e_fr_energy
  const CALC = join(ROOT, 'test/fixtures/real/vasp/vasprun/aiida-vasp__ionic-relax-magmom-carry-on__calc-001');
  it('vasprun.xml in a folder: energy(sigma->0) and TOTEN of the last ionic step, its final structure', async () => {
    const c = await readSeriesCalculation(CALC, jsKernels, 'energySigma0');
    expect(c.energy).toMatchObject({ value: -1.99021689, from: 'vasprun.xml' });
    expect(c.structure.species).toEqual(['Si']);
    expect((await folderEnergy(CALC, 1, 'energy', jsKernels, []))!.value).toBe(-1.9924927);
    expect(await folderEnergy(CALC, 1, 'energyWithoutEntropy', jsKernels, [])).toBeUndefined();
  });

  it('OSZICAR (constructed in the VASP layout) when there is no OUTCAR; an unconverged OUTCAR warns', async () => {
    const d = mkdtempSync(join(tmpdir(), 'oxy-voltage-osz-'));
    writeFileSync(join(d, 'POSCAR'), 'Li\n1.0\n3.44 0 0\n0 3.44 0\n0 0 3.44\nLi\n2\nDirect\n0 0 0\n0.5 0.5 0.5\n');
    writeFileSync(join(d, 'OSZICAR'), '       N       E                     dE             d eps       ncg     rms          rms(c)\nDAV:   1    -0.38E+01   -0.38E+01   -0.12E+02   200   0.3E+01\n   1 F= -.38171234E+01 E0= -.38175000E+01  d E =-.38E+01\n');
    const c = await readSeriesCalculation(d, jsKernels, 'energySigma0');
    expect(c.energy).toMatchObject({ value: -3.8175, from: 'OSZICAR' });
    writeFileSync(join(d, 'OUTCAR'), outcar(2, -3.9).replace(' reached required accuracy - stopping structural energy minimisation\n', ''));
    const w: string[] = [];
    expect((await folderEnergy(d, 2, 'energySigma0', jsKernels, w))!.value).toBe(-3.9);
    expect(w.join('\n')).toMatch(/OUTCAR: the run did not reach the required accuracy/);
    await expect(folderEnergy(d, 3, 'energySigma0', jsKernels, [])).rejects.toThrow(/NIONS 2 but the structure has 3 sites/);
  });
});

describe('oxyscope report with a voltage series', () => {
  it('adds the voltage table to report.md/report.json and writes voltage.svg', async () => {
    const root = mkdtempSync(join(tmpdir(), 'oxy-voltage-report-'));
    writeSeries(root);
    const out = join(root, 'rep');
    const r = await run(['report', root, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/voltage of Li_xMn0\.4167Ni0\.1667Co0\.0833O2: 2 hull steps over x = 0 … 1\.3333, average \d\.\d{3} V/);
    const j = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(j.voltage.series).toHaveLength(1);
    const s = j.voltage.series[0];
    expect(s.hull).toEqual(['x0', 'x24m', 'x48']);
    expect(s.liEnergy.value).toBeCloseTo(E_LI, 12);
    expect(s.steps[1].voltage).toBeCloseTo(-(ENERGIES.x48 - ENERGIES.x24m - 24 * E_LI) / 24, 10);
    expect(s.points.find((p: { id: string }) => p.id === 'x48').classes).toEqual({ O4: 1 });
    expect(s.plot).toBe('voltage.svg');
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Voltage (hull in Li content)');
    expect(md).toContain('![voltage profile and O classes: Li_xMn0.4167Ni0.1667Co0.0833O2](voltage.svg)');
    expect(readFileSync(join(out, 'voltage.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('a report without energies (the example model cells) has no voltage section', async () => {
    const out = mkdtempSync(join(tmpdir(), 'oxy-voltage-rep2-'));
    const r = await run(['report', join(ROOT, 'examples/lrlo/model'), '--out', out, '--force']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')).voltage).toBeUndefined();
  });
});
