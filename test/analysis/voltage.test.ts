import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { voltageProfile, groupByHost, liReference, type VoltageInput } from '../../src/analysis/voltage.js';
import { atomicMass, SYMBOLS } from '../../src/model/elements.js';
import { AnalysisOptionError, MismatchError } from '../../src/errors.js';

/**
 * The oracle is pymatgen (Debian python3-pymatgen, /usr/bin/python3) run by this test on the same energies:
 * InsertionElectrode.from_entries for the hull and voltage pairs, PhaseDiagram for the distances above the hull.
 * Energies are made up (there is no real LixTMO2 series among the fixtures).
 */
const PYTHON = '/usr/bin/python3';
const havePymatgen = spawnSync(PYTHON, ['-c', 'import pymatgen.apps.battery.insertion_battery'], { stdio: 'ignore' }).status === 0;
if (!havePymatgen) {
  console.warn('\n!!! SKIPPING the pymatgen oracle tests of the voltage: /usr/bin/python3 cannot import pymatgen (apt-get install python3-pymatgen; .ci/run installs it) !!!\n');
}

const ORACLE = `
import json, sys
from pymatgen.core import Composition, Element
from pymatgen.entries.computed_entries import ComputedEntry
from pymatgen.analysis.phase_diagram import PhaseDiagram, PDEntry
from pymatgen.apps.battery.insertion_battery import InsertionElectrode
d = json.load(sys.stdin)
entries = [ComputedEntry(Composition(p["composition"]), p["energy"], entry_id=p["id"]) for p in d["points"]]
li = ComputedEntry(Composition({"Li": 1}), d["liEnergy"])
el = InsertionElectrode.from_entries(entries, li)
m = el.normalization_mass
pairs = [dict(voltage=v.voltage, capacity=v.mAh / m, charge=v.entry_charge.entry_id, discharge=v.entry_discharge.entry_id) for v in el.voltage_pairs]
# the phase diagram InsertionElectrode builds: the entries plus every element at a very high energy
high = max(e.energy_per_atom for e in entries) + 10
els = {x for e in entries for x in e.composition.elements}
pd = PhaseDiagram(entries + [PDEntry(Composition({x: 1}), high) for x in els])
ehull = {e.entry_id: pd.get_e_above_hull(e) for e in entries}
print(json.dumps(dict(stable=[e.entry_id for e in el.stable_entries], pairs=pairs, ehull=ehull,
  average=el.get_average_voltage(), capacity=el.get_capacity_grav())))
`;

interface Oracle {
  stable: string[];
  pairs: { voltage: number; capacity: number; charge: string; discharge: string }[];
  ehull: Record<string, number>;
  average: number;
  capacity: number;
}

function pymatgen(points: VoltageInput[], liEnergy: number): Oracle {
  const input = JSON.stringify({ points: points.map((p) => ({ id: p.id, composition: p.composition, energy: p.energy })), liEnergy });
  return JSON.parse(execFileSync(PYTHON, ['-c', ORACLE], { input, encoding: 'utf8' }));
}

const host = { Mn: 15, Ni: 6, Co: 3, O: 72 };
const cell = (id: string, nLi: number, energy: number): VoltageInput => ({
  id,
  file: `${id}/CONTCAR`,
  composition: { Li: nLi, ...host },
  energy,
  energySource: `${id}/OUTCAR energy(sigma->0)`,
});

/** A made-up series of the 144-site model cell (Li48Mn15Ni6Co3O72 … Mn15Ni6Co3O72): two hull steps, off-hull points, two SQS at one x. */
const SERIES: VoltageInput[] = [
  cell('x0', 0, -520.113),
  cell('x6', 6, -553.87),
  cell('x12', 12, -587.951),
  cell('x18a', 18, -619.2),
  cell('x18b', 18, -620.5),
  cell('x24', 24, -652.77),
  cell('x36', 36, -710.402),
  cell('x48', 48, -768.93),
];
const E_LI = -1.9089;

describe.skipIf(!havePymatgen)('voltage vs pymatgen InsertionElectrode / PhaseDiagram (run by this test)', () => {
  it('hull, step voltages, capacities and hull distances agree to 1e-6', () => {
    const ours = voltageProfile(SERIES, { liEnergy: { value: E_LI, source: 'given' } });
    const ref = pymatgen(SERIES, E_LI);
    expect(ours.hull).toEqual(ref.stable);
    expect(ours.steps.map((s) => [s.from, s.to])).toEqual(ref.pairs.map((p) => [p.charge, p.discharge]));
    ours.steps.forEach((s, i) => {
      expect(Math.abs(s.voltage! - ref.pairs[i].voltage)).toBeLessThan(1e-6);
      // masses: IUPAC 2021 here, pymatgen's older table (Li 6.941): 1e-3 relative
      expect(s.capacity! / ref.pairs[i].capacity - 1).toBeLessThan(1e-3);
    });
    expect(Math.abs(ours.averageVoltage! - ref.average)).toBeLessThan(1e-6);
    expect(Math.abs(ours.capacity! / ref.capacity - 1)).toBeLessThan(1e-3);
    for (const p of ours.points) expect(Math.abs(p.hullDistancePerAtom - ref.ehull[p.id])).toBeLessThan(1e-9);
    // the series has off-hull points, so the comparison is not trivial
    expect(ours.points.filter((p) => !p.onHull).length).toBeGreaterThanOrEqual(2);
  });

  it('the same with the formula unit "host" (per reduced Mn5Ni2CoO24): voltages and capacities do not change', () => {
    const ours = voltageProfile(SERIES, { liEnergy: { value: E_LI, source: 'given' }, formulaUnit: 'host' });
    const ref = pymatgen(SERIES, E_LI);
    ours.steps.forEach((s, i) => expect(Math.abs(s.voltage! - ref.pairs[i].voltage)).toBeLessThan(1e-6));
    expect(ours.host.formula).toBe('Mn5Ni2CoO24');
    expect(ours.xRange).toEqual([0, 16]);
  });

  it('a random series (seeded): same hull and voltages', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    const pts = Array.from({ length: 14 }, (_, i) => {
      const n = Math.floor(rnd() * 49);
      return cell(`r${i}`, n, -520 - 4.9 * n + 0.02 * n * (48 - n) * (rnd() - 0.3) + rnd());
    });
    pts.push(cell('end0', 0, -519.5), cell('end48', 48, -755.2));
    const ours = voltageProfile(pts, { liEnergy: { value: E_LI, source: 'given' } });
    const ref = pymatgen(pts, E_LI);
    expect(ours.hull).toEqual(ref.stable);
    expect(ours.steps.map((s) => [s.from, s.to])).toEqual(ref.pairs.map((p) => [p.charge, p.discharge]));
    expect(ours.steps.map((s) => s.voltage)).toEqual(ref.pairs.map((p) => expect.closeTo(p.voltage, 6)));
    for (const p of ours.points) expect(Math.abs(p.hullDistancePerAtom - ref.ehull[p.id])).toBeLessThan(1e-9);
  });

  it('standard atomic weights agree with pymatgen Element.atomic_mass to 0.001 g/mol, but for IUPAC revisions since its table', () => {
    const symbols = SYMBOLS.filter((s) => atomicMass(s) !== undefined);
    const ref = JSON.parse(execFileSync(PYTHON, ['-c', 'import json,sys\nfrom pymatgen.core import Element\nprint(json.dumps({s: float(Element(s).atomic_mass) for s in sys.argv[1:]}))', ...symbols], { encoding: 'utf8' }));
    // revised by IUPAC after pymatgen's table (e.g. Zn 65.409 → 65.38 in 2007, Ge 72.64 → 72.630, Se 78.96 → 78.971)
    const revised = new Set(['S', 'Cl', 'Ar', 'Zn', 'Ge', 'Se', 'Mo', 'Cd', 'Gd', 'Yb', 'Hf', 'Hg', 'Tl']);
    for (const s of symbols) expect(Math.abs(atomicMass(s)! - ref[s]), s).toBeLessThan(revised.has(s) ? 0.03 : 0.001);
    expect(symbols.length).toBeGreaterThan(80);
  });
});

describe('voltage by hand', () => {
  it('LiCoO2 | CoO2: V = −(E(LiCoO2) − E(CoO2) − E_Li), capacity F/(3.6·M(LiCoO2)) = 273.8 mAh/g', () => {
    const p = voltageProfile([
      { id: 'CoO2', file: 'a', composition: { Co: 3, O: 6 }, energy: -3 * 19.5, energySource: 'made up' },
      { id: 'LiCoO2', file: 'b', composition: { Li: 3, Co: 3, O: 6 }, energy: -3 * 25.0, energySource: 'made up' },
    ], { liEnergy: { value: -1.9, source: 'made up' } });
    // per CoO2: E(x=0) = −19.5, E(x=1) = −25.0: V = −(−25 + 19.5 + 1.9) = 3.6 V
    expect(p.steps).toHaveLength(1);
    expect(p.steps[0].voltage).toBeCloseTo(3.6, 12);
    // M(LiCoO2) = 6.94 + 58.933194 + 2·15.999 = 97.871194 g/mol; F = 96485.33212 C/mol; Q = F/3.6/M
    expect(p.steps[0].capacity).toBeCloseTo(96485.33212 / 3.6 / 97.871194, 4);
    expect(p.steps[0].capacity).toBeCloseTo(273.84, 1);
    // per g of CoO2 (M = 90.931194)
    expect(p.steps[0].capacityPerHostMass).toBeCloseTo(96485.33212 / 3.6 / 90.931194, 4);
    expect(p.host).toMatchObject({ formula: 'CoO2', formulaUnit: 'O2', reduced: 'CoO2' });
    expect(p.averageVoltage).toBeCloseTo(3.6, 12);
  });

  it('formation energies vs the end members and hull distances per formula unit and per atom', () => {
    // per O2: x = 0, 0.5, 1 with E = 0, −2.6, −5 (made up): the line is −5x, x = 0.5 sits 0.1 below it
    const pts: VoltageInput[] = [
      { id: 'a', file: 'a', composition: { Mn: 2, O: 4 }, energy: 0, energySource: '' },
      { id: 'b', file: 'b', composition: { Li: 1, Mn: 2, O: 4 }, energy: -5.2, energySource: '' },
      { id: 'b2', file: 'b2', composition: { Li: 1, Mn: 2, O: 4 }, energy: -4.6, energySource: '' },
      { id: 'c', file: 'c', composition: { Li: 2, Mn: 2, O: 4 }, energy: -10, energySource: '' },
    ];
    const p = voltageProfile(pts, { liEnergy: { value: -2, source: '' } });
    const by = Object.fromEntries(p.points.map((q) => [q.id, q]));
    expect(by.b.formationEnergy).toBeCloseTo(-0.1, 12);
    expect(by.b.onHull).toBe(true);
    expect(by.b2.formationEnergy).toBeCloseTo(0.2, 12);
    expect(by.b2.hullDistance).toBeCloseTo(0.3, 12);
    // Li0.5MnO2 per formula unit MnO2 (x = 0.5): 3.5 atoms
    expect(by.b2.hullDistancePerAtom).toBeCloseTo(0.3 / 3.5, 12);
    // steps: 0 → 0.5: V = −(−2.6 − 0 + 0.5·2)/0.5 = 3.2; 0.5 → 1: V = −(−5 + 2.6 + 0.5·2)/0.5 = 2.8
    expect(p.steps.map((s) => s.voltage)).toEqual([expect.closeTo(3.2, 12), expect.closeTo(2.8, 12)]);
    expect(p.notes.join(' ')).toMatch(/x = 0\.5: 2 structures \(b, b2\); the lowest, b, is the hull candidate/);
  });

  it('a pure-Li input is the Li reference (E per atom), and is left out of the series', () => {
    const pts: VoltageInput[] = [
      { id: 'li', file: 'li/CONTCAR', composition: { Li: 2 }, energy: -3.8, energySource: 'li/OUTCAR' },
      { id: 'a', file: 'a', composition: { Co: 1, O: 2 }, energy: -19.5, energySource: '' },
      { id: 'b', file: 'b', composition: { Li: 1, Co: 1, O: 2 }, energy: -25, energySource: '' },
    ];
    const p = voltageProfile(pts);
    expect(p.liEnergy?.value).toBeCloseTo(-1.9, 12);
    expect(p.steps[0].voltage).toBeCloseTo(3.6, 12);
    expect(p.points.map((q) => q.id)).toEqual(['a', 'b']);
    expect(() => liReference({ file: 'x/POSCAR', composition: { Li: 1, O: 1 }, energy: 1, energySource: '' })).toThrow(/x\/POSCAR: a Li reference must hold only Li, found Li1O1/);
  });
});

describe('degenerate inputs give clear messages', () => {
  const co = (id: string, li: number, e: number, extra: Record<string, number> = {}): VoltageInput => ({ id, file: `${id}/CONTCAR`, composition: { Li: li, Co: 2, O: 4, ...extra }, energy: e, energySource: '' });
  const li = { liEnergy: { value: -1.9, source: 'given' } };

  it('one composition', () => {
    expect(() => voltageProfile([co('a', 1, -30), co('b', 1, -31)], li)).toThrow(MismatchError);
    expect(() => voltageProfile([co('a', 1, -30), co('b', 1, -31)], li)).toThrow(/every calculation has the same Li content x = 0\.5 per CoO2: a hull and a voltage need at least two Li contents/);
  });

  it('all intermediate points above the hull: one step, and a warning', () => {
    const p = voltageProfile([co('a', 0, -39), co('b', 1, -41), co('c', 2, -50)], li);
    expect(p.hull).toEqual(['a', 'c']);
    expect(p.warnings.join('\n')).toMatch(/every intermediate Li content lies above the hull: one step from x = 0 to x = 1/);
    expect(p.points.find((q) => q.id === 'b')!.hullDistance).toBeCloseTo(-41 / 2 + (39 / 2 + 50 / 2) / 2, 12);
  });

  it('a negative step voltage is said', () => {
    const p = voltageProfile([co('a', 0, -39), co('c', 2, -39)], li);
    expect(p.steps[0].voltage).toBeCloseTo(-1.9, 12);
    expect(p.warnings.join('\n')).toMatch(/V = -1\.900 V ≤ 0: Li would rather plate/);
  });

  it('duplicated x with the same energy: a warning', () => {
    const p = voltageProfile([co('a', 0, -39), co('b', 2, -45), co('b-copy', 2, -45)], li);
    expect(p.warnings.join('\n')).toMatch(/x = 1: b and b-copy have the same energy per formula unit: the same calculation twice\?/);
  });

  it('mixed hosts: a MismatchError naming the files', () => {
    const mixed = [co('a', 0, -39), { ...co('n', 1, -40), composition: { Li: 1, Ni: 2, O: 4 } }];
    expect(() => voltageProfile(mixed, li)).toThrow(/a\/CONTCAR vs n\/CONTCAR: different hosts .*a CoO2, n NiO2/);
    expect(groupByHost(mixed)).toHaveLength(2);
    // the same host up to a factor is one host
    expect(groupByHost([co('a', 0, -39), { ...co('d', 1, -80), composition: { Li: 1, Co: 4, O: 8 } }])).toHaveLength(1);
  });

  it('no Li energy: hull only, and a warning; no host at all: an AnalysisOptionError', () => {
    const p = voltageProfile([co('a', 0, -39), co('c', 2, -45)]);
    expect(p.steps[0].voltage).toBeNull();
    expect(p.warnings.join('\n')).toMatch(/no Li metal energy/);
    expect(() => voltageProfile([{ id: 'li', file: 'li', composition: { Li: 2 }, energy: -3.8, energySource: '' }])).toThrow(AnalysisOptionError);
    expect(() => voltageProfile([co('a', 0, -39), co('a', 2, -45)])).toThrow(/a is given twice/);
  });
});
