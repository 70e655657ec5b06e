import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsKernels } from '../../src/kernels/js.js';
import { bandTop, pdosCurves, pdosWindow, type PdosOptions } from '../../src/analysis/pdos.js';
import { relativeEnergies } from '../../src/model/dos.js';
import type { Dos } from '../../src/model/dos.js';
import { parseDoscar } from '../../src/io/vasp/doscar.js';
import { parsePoscar } from '../../src/io/vasp/poscar.js';
import { parseDoscarLobster } from '../../src/io/lobster/doscar-lobster.js';
import { parseVasprun } from '../../src/io/vasp/vasprun.js';
import { AnalysisOptionError } from '../../src/errors.js';

const REAL = join(import.meta.dirname, '..', 'fixtures', 'real');
const k = jsKernels;

/**
 * A hand-built DOS: `species` sites with the orbitals s py pz px, nspin channels, grid from `e0` to `e1` (absolute,
 * E_F = 1 eV) with `step`. `value(site, orbital, spin, E − E_F)` gives the PDOS.
 */
function makeDos(opts: {
  species: string[];
  nspin?: 1 | 2;
  e0?: number;
  e1?: number;
  step?: number;
  value: (site: number, orbital: number, spin: number, e: number) => number;
  withSpecies?: boolean;
}): Dos {
  const nspin = opts.nspin ?? 2;
  const efermi = 1;
  const e0 = opts.e0 ?? -12;
  const e1 = opts.e1 ?? 6;
  const step = opts.step ?? 0.5;
  const nedos = Math.round((e1 - e0) / step) + 1;
  const energies = Float64Array.from({ length: nedos }, (_, i) => efermi + e0 + i * step);
  const orbitals = opts.species.map(() => ['s', 'py', 'pz', 'px']);
  const orbitalOffset = Int32Array.from({ length: opts.species.length + 1 }, (_, i) => 4 * i);
  const pdos = new Float64Array(opts.species.length * 4 * nspin * nedos);
  const total = new Float64Array(nspin * nedos);
  opts.species.forEach((_, site) => {
    for (let o = 0; o < 4; o++) {
      for (let s = 0; s < nspin; s++) {
        for (let e = 0; e < nedos; e++) {
          const v = opts.value(site, o, s, energies[e] - efermi);
          pdos[((site * 4 + o) * nspin + s) * nedos + e] = v;
          total[s * nedos + e] += v;
        }
      }
    }
  });
  return {
    source: 'doscar',
    efermi,
    energies,
    energyZero: 'absolute',
    nedos,
    nspin,
    noncollinear: false,
    total,
    nSites: opts.species.length,
    orbitals,
    orbitalOffset,
    pdos,
    species: opts.withSpecies === false ? undefined : opts.species,
    meta: {},
  };
}

/** |actual − expected| ≤ rel · |expected|: DOSCAR prints 4 significant digits, so files of one run agree to ~1e-3. */
const near = (actual: number, expected: number, rel = 1e-3) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rel * Math.abs(expected));

const group = (r: ReturnType<typeof pdosWindow>, name: string) => {
  const g = r.groups.find((x) => x.name === name);
  if (!g) throw new Error(`no group ${name}`);
  return g;
};

describe('pdosWindow on hand-built DOS', () => {
  // constant 0.25 states/eV in every orbital and spin: ∫ over a window = width × value
  const constant = makeDos({ species: ['Mn', 'O', 'O'], value: () => 0.25 });

  it('constant DOS: states = width × value × orbitals × spins, per atom and summed', () => {
    const r = pdosWindow(constant, k, { orbitals: ['p'] });
    const o = group(r, 'O');
    // 3 p orbitals × 2 spins × 0.25 states/eV × 2 eV = 3 states per O
    expect(o.perAtom).toBeCloseTo(3, 12);
    expect(o.statesInWindow).toBeCloseTo(6, 12);
    expect(o.atoms).toEqual([1, 2]);
    expect(o.spins!.up.perAtom).toBeCloseTo(1.5, 12);
    expect(o.spins!.down.statesInWindow).toBeCloseTo(3, 12);
    expect(r.window).toEqual([-2, 0]);
    expect(r.efermi).toBe(1);
    expect(group(r, 'Mn').perAtom).toBeCloseTo(3, 12);
  });

  it('window edges between grid points: interp, mask and bins follow their definitions', () => {
    // grid step 0.5 eV; window [−1.7, 0.3]: grid points inside are −1.5, −1, −0.5, 0
    const opts: PdosOptions = { window: [-1.7, 0.3], orbitals: ['px'], spin: 'up', elements: ['O'] };
    const interp = group(pdosWindow(constant, k, { ...opts, mode: 'interp' }), 'O');
    const mask = group(pdosWindow(constant, k, { ...opts, mode: 'mask' }), 'O');
    const bins = group(pdosWindow(constant, k, { ...opts, mode: 'bins' }), 'O');
    expect(interp.perAtom).toBeCloseTo(0.25 * 2.0, 12); // full width 2.0 eV
    expect(mask.perAtom).toBeCloseTo(0.25 * 1.5, 12); // from −1.5 to 0
    expect(bins.perAtom).toBeCloseTo(0.25 * 4 * 0.5, 12); // four bins of 0.5 eV ending at −1.5 … 0
  });

  it('linear ramp: interp is exact, mask drops the edge pieces', () => {
    // ρ(E) = E + 12 (E relative to E_F) on px only, spin up only
    const ramp = makeDos({ species: ['O'], value: (_s, o, s, e) => (o === 3 && s === 0 ? e + 12 : 0) });
    const [a, b] = [-1.8, -0.3];
    const exact = 0.5 * ((b + 12) ** 2 - (a + 12) ** 2);
    const interp = pdosWindow(ramp, k, { window: [a, b] }).groups[0];
    expect(interp.statesInWindow).toBeCloseTo(exact, 12);
    expect(interp.spins!.down.statesInWindow).toBe(0);
    // mask: grid points −1.5 … −0.5 only
    const mask = pdosWindow(ramp, k, { window: [a, b], mode: 'mask' }).groups[0];
    expect(mask.statesInWindow).toBeCloseTo(0.5 * ((-0.5 + 12) ** 2 - (-1.5 + 12) ** 2), 12);
  });

  it('band centre, width and filling over the moment window', () => {
    const fine = makeDos({ species: ['O'], nspin: 1, step: 0.01, value: (_s, o) => (o === 0 ? 0 : 1) });
    const g = pdosWindow(fine, k, { momentWindow: [-10, 0] }).groups[0];
    expect(g.center).toBeCloseTo(-5, 10);
    // uniform band of width 10 eV: σ = 10/√12
    expect(g.width).toBeCloseTo(10 / Math.sqrt(12), 5);
    expect(g.filling).toBeCloseTo(1, 12);
    expect(g.momentStates).toBeCloseTo(30, 10);
    const half = pdosWindow(fine, k, { momentWindow: [-6, 4] }).groups[0];
    expect(half.filling).toBeCloseTo(0.6, 10);
    expect(half.center).toBeCloseTo(-1, 8);
  });

  it('groups by census class and forms per-atom ratios', () => {
    // site 1 (O5) has twice the p-DOS of sites 2 and 3 (O4)
    const dos = makeDos({ species: ['Mn', 'O', 'O', 'O'], value: (site) => (site === 1 ? 0.5 : 0.25) });
    const r = pdosWindow(dos, k, { groupBy: 'class', classes: [null, 'O5', 'O4', 'O4'], orbitals: ['p'], ratios: [['O5', 'O4'], ['O3', 'O4']] });
    expect(r.groups.map((g) => g.name)).toEqual(['O4', 'O5']);
    expect(group(r, 'O4').atoms).toEqual([2, 3]);
    expect(r.ratios[0]).toMatchObject({ name: 'O5:O4', numerator: 'O5', denominator: 'O4' });
    expect(r.ratios[0].value).toBeCloseTo(2, 12);
    expect(r.ratios[1].value).toBeNull();
    expect(r.warnings.some((w) => w.includes('no group O3'))).toBe(true);
  });

  it('groups by site with 1-based names and filters by site index', () => {
    const r = pdosWindow(constant, k, { groupBy: 'site', sites: [0, 2] });
    expect(r.groups.map((g) => [g.name, g.atoms])).toEqual([['Mn1', [0]], ['O3', [2]]]);
  });

  it('selects orbitals by shell, VASP lm name and LOBSTER name', () => {
    const lob = makeDos({ species: ['O'], nspin: 1, value: (_s, o) => [1, 2, 3, 4][o] });
    lob.orbitals = [['2s', '2p_y', '2p_z', '2p_x']];
    lob.source = 'doscar-lobster';
    const at = (orbitals: string[]) => pdosWindow(lob, k, { orbitals }).groups[0].perAtom;
    expect(at(['2p_x'])).toBeCloseTo(4 * 2, 12);
    expect(at(['px'])).toBeCloseTo(4 * 2, 12);
    expect(at(['p'])).toBeCloseTo((2 + 3 + 4) * 2, 12);
    expect(at(['s', 'py'])).toBeCloseTo((1 + 2) * 2, 12);
    expect(() => at(['d'])).toThrow(AnalysisOptionError);
    // VASP names on the same data
    lob.orbitals = [['s', 'py', 'pz', 'px']];
    expect(at(['2p_z'])).toBeCloseTo(3 * 2, 12);
  });

  it('warns on a coarse grid, not on a fine one', () => {
    expect(pdosWindow(constant, k).warnings.some((w) => w.includes('grid spacing 0.500 eV'))).toBe(true);
    const fine = makeDos({ species: ['O'], step: 0.01, value: () => 1 });
    expect(pdosWindow(fine, k).warnings).toEqual([]);
    expect(pdosWindow(fine, k).gridSpacing).toBeCloseTo(0.01, 9);
  });

  it('refuses what it cannot do with an AnalysisOptionError', () => {
    const nonspin = makeDos({ species: ['O'], nspin: 1, value: () => 1 });
    expect(() => pdosWindow(nonspin, k, { spin: 'up' })).toThrow(/not spin-polarised/);
    const anonymous = makeDos({ species: ['O'], value: () => 1, withSpecies: false });
    expect(() => pdosWindow(anonymous, k)).toThrow(/does not name its atoms/);
    expect(pdosWindow(anonymous, k, { groupBy: 'site' }).groups[0].name).toBe('site1');
    expect(() => pdosWindow(constant, k, { elements: ['Ni'] })).toThrow(AnalysisOptionError);
    expect(() => pdosWindow(constant, k, { sites: [7] })).toThrow(/outside 1..3/);
    expect(() => pdosWindow(constant, k, { window: [0, -2] })).toThrow(AnalysisOptionError);
    expect(() => pdosWindow(constant, k, { groupBy: 'class' })).toThrow(AnalysisOptionError);
  });

  it('pdosCurves gives per-atom curves of the same selection', () => {
    const c = pdosCurves(constant, { orbitals: ['p'], elements: ['O'] });
    expect(c.groups.map((g) => g.name)).toEqual(['O']);
    // 3 orbitals × 2 spins × 0.25 per atom
    expect(c.groups[0].perAtom[10]).toBeCloseTo(1.5, 12);
    expect(c.energies[0]).toBeCloseTo(-12, 12);
  });
});

describe('pdosWindow on real files', () => {
  const dir = join(REAL, 'vasp', 'doscar', 'custodian__lobster__vasp_lobster_output');
  const structure = parsePoscar(readFileSync(join(dir, 'CONTCAR')), 'CONTCAR');
  const dos = parseDoscar(readFileSync(join(dir, 'DOSCAR')), 'DOSCAR', { structure });

  it('K4Sn4O6 DOSCAR + CONTCAR: O p-states in [−2, 0] agree with pymatgen on the vasprun.xml of the run', () => {
    // Expected values from /usr/bin/python3 with pymatgen 2022.11.7 on the vasprun.xml beside the DOSCAR:
    // cd = Vasprun(...).complete_dos; E = cd.energies − cd.efermi; per O: get_site_spd_dos(site)[OrbitalType.p],
    // both spins; mask = (E ≥ −2) & (E ≤ 0); np.trapz(ρ[mask], E[mask]); interp adds np.interp(±edge) points.
    const mask = pdosWindow(dos, k, { elements: ['O'], orbitals: ['p'], mode: 'mask' });
    const o = group(mask, 'O');
    expect(o.atoms).toEqual([8, 9, 10, 11, 12, 13]);
    // DOSCAR prints 4 significant digits, vasprun.xml 4 decimals: agreement to ~1e-3
    near(o.statesInWindow, 6.196918095);
    near(o.perAtom, 1.0328196825);
    const interp = pdosWindow(dos, k, { groupBy: 'site', elements: ['O'], orbitals: ['p'] });
    const perSite = [1.202969403629358, 1.1990617758635693, 1.198218745246574, 1.19591593038334, 1.1986898258734837, 1.1890057353459524];
    interp.groups.forEach((g, i) => near(g.perAtom, perSite[i]));
    expect(interp.groups.map((g) => g.name)).toEqual(['O9', 'O10', 'O11', 'O12', 'O13', 'O14']);
    // grid step 0.135 eV: coarse for a 2 eV window
    expect(interp.warnings.some((w) => w.includes('grid spacing 0.135'))).toBe(true);
    // centre and width over [−10, 0] with the interp rule (numpy trapz with interpolated edge points)
    const o2 = group(pdosWindow(dos, k, { elements: ['O'], orbitals: ['p'], momentWindow: [-10, 0] }), 'O');
    near(o2.momentStates, 20.474640946577992);
    near(o2.center!, -2.5638580255993686);
    near(o2.width!, 1.640085644101944);
    near(o2.spins!.up.statesInWindow, 3.5909689269673497);
    const bins = group(pdosWindow(dos, k, { elements: ['O'], orbitals: ['p'], mode: 'bins' }), 'O');
    near(bins.statesInWindow, 6.58540758);
  });

  it('K4Sn4O6 vasprun.xml: the same numbers as pymatgen to rounding', () => {
    const run = parseVasprun(readFileSync(join(dir, 'vasprun.xml')), 'vasprun.xml');
    // pymatgen values as above (same vasprun.xml numbers, moments over [−10, 0]): mask sum, interp sum, bins sum of the six O, O-p both spins
    const o = (mode: 'mask' | 'interp' | 'bins') => group(pdosWindow(run.dos!, k, { elements: ['O'], orbitals: ['p'], mode, momentWindow: [-10, 0] }), 'O');
    expect(o('mask').statesInWindow).toBeCloseTo(6.196918095000002, 9);
    expect(o('interp').statesInWindow).toBeCloseTo(7.183861416342278, 9);
    expect(o('bins').statesInWindow).toBeCloseTo(6.585407580000003, 9);
    expect(o('interp').center!).toBeCloseTo(-2.5638580255993686, 9);
    expect(o('interp').width!).toBeCloseTo(1.640085644101944, 9);
  });

  it('bins mode on the total DOS equals the differences of the DOSCAR integrated column', () => {
    for (const window of [[-2, 0], [-5.3, 1.1], [-10, -0.07]] as [number, number][]) {
      const r = pdosWindow(dos, k, { window, mode: 'bins' });
      // DOS and integrated column are printed with 4 significant digits
      near(r.total.statesInWindow, r.total.fromIntegratedColumn!);
    }
    // another Gaussian-smearing (ISMEAR = 0) run
    const si = parseDoscar(readFileSync(join(REAL, 'vasp', 'doscar', 'aiida-vasp__basic_run', 'DOSCAR')), 'DOSCAR');
    const r = pdosWindow(si, k, { window: [-5.3, 1.1], mode: 'bins', groupBy: 'site' });
    near(r.total.statesInWindow, r.total.fromIntegratedColumn!);
    expect(r.warnings.some((w) => w.startsWith('bins:'))).toBe(false);
    // Methfessel–Paxton (ISMEAR = 1) on 10 points: the DOS column is not the bin average of the integrated column
    const al = parseDoscar(readFileSync(join(REAL, 'vasp', 'doscar', 'aiida-vasp__doscar', 'DOSCAR')), 'DOSCAR');
    const mp = pdosWindow(al, k, { window: [-8, 0], mode: 'bins', groupBy: 'site' });
    expect(mp.total.fromIntegratedColumn).toBeCloseTo(8.0 - 0.2661, 10); // N(−1.229 eV) − N(−8.834 eV) from the file
    expect(mp.warnings.some((w) => w.startsWith('bins:'))).toBe(true);
  });

  it('DOSCAR.lobster KF (spin): F 2p by hand from the file text', () => {
    const kf = parseDoscarLobster(readFileSync(join(REAL, 'lobster', 'doscar', 'pymatgen-test-files__KF-spin', 'DOSCAR.lobster.spin')), 'DOSCAR.lobster.spin');
    // F 2p at E = 0: up 0.25801 + 0.25823 + 0.25805, down 0.25819 + 0.25795 + 0.25814; 0 at −3.75 eV
    const up = 0.25801 + 0.25823 + 0.25805;
    const down = 0.25819 + 0.25795 + 0.25814;
    const interp = group(pdosWindow(kf, k, { orbitals: ['p'], elements: ['F'] }), 'F');
    // linear from 0 at −3.75 to v at 0: ∫_{−2}^{0} = v · (1 + 1.75/3.75)
    expect(interp.statesInWindow).toBeCloseTo((up + down) * (1 + 1.75 / 3.75), 10);
    expect(interp.spins!.up.statesInWindow).toBeCloseTo(up * (1 + 1.75 / 3.75), 10);
    const bins = group(pdosWindow(kf, k, { orbitals: ['2p_x', '2p_y', '2p_z'], elements: ['F'], mode: 'bins' }), 'F');
    expect(bins.statesInWindow).toBeCloseTo((up + down) * 3.75, 10);
    const mask = group(pdosWindow(kf, k, { orbitals: ['p'], elements: ['F'], mode: 'mask' }), 'F');
    expect(mask.statesInWindow).toBe(0); // one grid point in the window: no trapezoid
    const down2 = group(pdosWindow(kf, k, { orbitals: ['p'], elements: ['F'], spin: 'down' }), 'F');
    expect(down2.statesInWindow).toBeCloseTo(down * (1 + 1.75 / 3.75), 10);
    expect(pdosWindow(kf, k).groups.map((g) => g.name)).toEqual(['F', 'K']);
    // K lists two s shells (3s 4s): `4s` picks one by its principal number, `s` takes both
    const k4s = group(pdosWindow(kf, k, { orbitals: ['4s'], elements: ['K'], mode: 'bins' }), 'K');
    expect(k4s.statesInWindow).toBeCloseTo((0.02035 + 0.02036) * 3.75, 10);
    const ks = group(pdosWindow(kf, k, { orbitals: ['s'], elements: ['K'], mode: 'bins' }), 'K');
    expect(ks.statesInWindow).toBeCloseTo((0.00008 + 0.00008 + 0.02035 + 0.02036) * 3.75, 10);
  });
});

describe('default moment window: up to the band top above E_F (issue 18 item 5)', () => {
  /** A band from −6 to +1.5 eV (E − E_F; holes above E_F), a gap to +4 eV, a second band to +6 eV; one p orbital. */
  const band = (e: number) => ((e > -6 && e < 1.5) || (e > 4 && e < 6) ? 1 : 0);
  const holey = () => makeDos({ species: ['O'], nspin: 1, e0: -8, e1: 7, step: 0.01, value: (_s, o, _spin, e) => (o === 1 ? band(e) : 0) });
  it('the band top is the start of the first gap above E_F; filling = occupied fraction of that band', () => {
    const d = holey();
    expect(bandTop(relativeEnergies(d), d.total, 1)).toBeCloseTo(1.5, 1);
    const g = pdosWindow(d, k, { groupBy: 'site' }).groups[0];
    const r = pdosWindow(d, k, { groupBy: 'site' });
    expect(r.momentWindowBasis).toBe('band top above E_F');
    expect(r.momentWindow[1]).toBeCloseTo(1.5, 1);
    // by hand: 6 eV of the band below E_F out of 7.5 eV → 0.8; the old window [−10, 0] gave 1 by construction
    expect(g.filling!).toBeCloseTo(6 / 7.5, 2);
    expect(pdosWindow(d, k, { groupBy: 'site', momentWindow: [-10, 0] }).groups[0].filling).toBeCloseTo(1, 12);
  });
});
