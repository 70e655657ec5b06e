import type { Dos } from '../model/dos.js';
import { orbitalShell, relativeEnergies } from '../model/dos.js';
import type { IntegrationMode, Kernels } from '../kernels/types.js';
import { AnalysisOptionError } from '../errors.js';

/**
 * Projected DOS integrated over an energy window near E_F, grouped by element, site or O environment
 * (census class), with band centre, width and filling. All energies are relative to E_F (eV).
 */

export type PdosGrouping = 'element' | 'site' | 'class';
export type SpinChoice = 'up' | 'down' | 'both';

export interface PdosOptions {
  /** integration window [a, b] in eV relative to E_F (default [−2, 0]) */
  window?: [number, number];
  /** window integration rule (default 'interp'); see `MODE_DEFINITIONS` */
  mode?: IntegrationMode;
  /**
   * window for band centre, width and filling, eV relative to E_F. Default [−10, band top]: a window ending at E_F
   * would make every filling 100 % by construction, so it runs up to the top of the band that holds E_F (see bandTop).
   */
  momentWindow?: [number, number];
  groupBy?: PdosGrouping;
  /** group name per site for groupBy 'class' (e.g. the census class 'O4'); null leaves the site out */
  classes?: (string | null)[];
  /** element per site when the DOS names none (VASP DOSCAR: from a POSCAR/CONTCAR/vasprun.xml of the run) */
  species?: string[];
  /** keep only sites of these elements */
  elements?: string[];
  /** keep only these sites (0-based) */
  sites?: number[];
  /** `s`, `p`, `d`, `f` (whole shells) or orbital names (`px`, `dxy`, `x2-y2`, LOBSTER `2p_x`); default all */
  orbitals?: string[];
  /** default 'both' (up + down summed); non-spin and non-collinear runs have only the total */
  spin?: SpinChoice;
  /** ratios of per-atom states in the window between groups, `[['O5', 'O4']]` */
  ratios?: [string, string][];
  /** names of the sites for groupBy 'site' (LCFO fragment labels); default element + number */
  siteNames?: string[];
}

export interface PdosGroup {
  name: string;
  /** site indices (0-based, file order) */
  atoms: number[];
  /** states in the window, summed over the group's atoms, the selected orbitals and spins */
  statesInWindow: number;
  /** statesInWindow per atom of the group */
  perAtom: number;
  /** per spin channel (spin-polarised runs only): states in the window summed over atoms, and per atom */
  spins?: { up: { statesInWindow: number; perAtom: number }; down: { statesInWindow: number; perAtom: number } };
  /** states in the moment window, summed over the group's atoms */
  momentStates: number;
  /** band centre ∫Eρ/∫ρ over the moment window, eV relative to E_F; null without states */
  center: number | null;
  /** band width sqrt(∫(E−centre)²ρ/∫ρ) over the moment window, eV; null without states */
  width: number | null;
  /** fraction of the moment window's states that lie below E_F; null without states */
  filling: number | null;
}

export interface PdosRatio {
  name: string;
  numerator: string;
  denominator: string;
  /** perAtom(numerator) / perAtom(denominator); null when a group is missing or the denominator is 0 */
  value: number | null;
}

export interface PdosResult {
  source: Dos['source'];
  /** absolute Fermi level of the run (eV) */
  efermi: number;
  window: [number, number];
  momentWindow: [number, number];
  /** where the moment window's upper edge comes from */
  momentWindowBasis: 'given' | 'band top above E_F';
  mode: IntegrationMode;
  spin: SpinChoice;
  nspin: 1 | 2;
  noncollinear: boolean;
  /** the orbital selection as asked ('all' when none) */
  orbitals: string[];
  groupBy: PdosGrouping;
  /** what a group's members are: atoms, or LCFO fragments (DOSCAR.LCFO.lobster; one group per fragment, perAtom = per fragment) */
  basis: 'atoms' | 'lcfo';
  /** largest grid spacing in or next to the window, eV */
  gridSpacing: number;
  /** the total DOS over the window (states per cell, selected spin): by the chosen mode and, when the file has
   * an integrated column, as N(b) − N(a) over grid points with E in (a, b] (what `bins` reproduces) */
  total: { statesInWindow: number; fromIntegratedColumn: number | null };
  groups: PdosGroup[];
  ratios: PdosRatio[];
  warnings: string[];
  definitions: Record<string, string>;
  units: Record<string, string>;
}

export const MODE_DEFINITIONS: Record<IntegrationMode, string> = {
  interp: 'trapezoid rule with linear interpolation of the DOS at both window edges (exact for piecewise-linear data)',
  mask: 'trapezoid rule over the grid points with a ≤ E ≤ b only, no edge interpolation (as pymatgen CompleteDos.get_n_moment with np.trapz)',
  bins: "VASP's histogram: the sum of DOS(E_i)·(E_i − E_{i−1}) over grid points with a < E_i ≤ b (the first point uses E_1 − E_0); equals differences of VASP's integrated-DOS column where the DOS column is the bin average of it (Gaussian smearing)",
};

/** Above this grid spacing (eV) the three modes differ visibly for a window of a few eV. */
export const COARSE_GRID = 0.02;

export interface PdosSelection {
  groups: { name: string; atoms: number[] }[];
  /** selected orbital indices (within the site's own orbital list) per site */
  orbitalsOf: (site: number) => number[];
}

const SHELLS = new Set(['s', 'p', 'd', 'f']);

/** Orbital name without principal quantum number and punctuation: `2p_x` → `px`, `3d_x^2-y^2` → `dx2-y2`, VASP `x2-y2` → `dx2-y2`. */
function orbitalKey(label: string, keepN: boolean): string {
  let s = label.trim().toLowerCase().replace(/[\^_\s]/g, '');
  if (!keepN) s = s.replace(/^\d+/, '');
  // VASP writes the d(x²−y²) orbital as `x2-y2` without the shell letter
  if (/^\d*x2-y2$/.test(s)) s = s.replace('x2-y2', 'dx2-y2');
  return s;
}

function orbitalMatcher(tokens: string[] | undefined): (label: string) => boolean {
  if (!tokens || tokens.length === 0) return () => true;
  const tests = tokens.map((t) => {
    const tok = t.trim().toLowerCase();
    if (SHELLS.has(tok)) return (label: string) => orbitalShell(label) === tok;
    // `3s` vs `4s` matters where labels carry the principal number (LOBSTER); VASP labels have none
    const withN = /^\d/.test(tok) ? orbitalKey(tok, true) : undefined;
    const key = orbitalKey(tok, false);
    return (label: string) => (withN !== undefined && /^\d/.test(label.trim()) ? orbitalKey(label, true) === withN : orbitalKey(label, false) === key);
  });
  return (label) => tests.some((f) => f(label));
}

function speciesOf(dos: Dos, options: PdosOptions): string[] | undefined {
  const sp = options.species ?? dos.species;
  if (sp && sp.length !== dos.nSites) {
    throw new AnalysisOptionError(`species for ${sp.length} sites given, but the DOS has ${dos.nSites} sites`);
  }
  return sp;
}

/** Why LCFO fragments are not grouped like atoms (said in errors and warnings). */
export const LCFO_FRAGMENTS =
  'the DOS is projected on LCFO fragments (local fragment orbitals: AlN_1, Al_2 …), not on atoms: a fragment may span several atoms, so it has no element and is not an O site';

/** DOSCAR.LCFO: one group per fragment (by element or by site alike); elements and O classes do not apply. */
function selectFragments(dos: Dos, options: PdosOptions, groupBy: PdosGrouping): PdosSelection {
  if (groupBy === 'class') throw new AnalysisOptionError(`no grouping by O class: ${LCFO_FRAGMENTS}`);
  if (options.elements && options.elements.length > 0) throw new AnalysisOptionError(`no selection by element: ${LCFO_FRAGMENTS}; select fragments with --sites (1-based fragment numbers)`);
  const names = dos.fragments ?? [];
  return selectPdos({ ...dos, basis: 'atoms', species: undefined }, { ...options, groupBy: 'site', species: undefined, siteNames: names });
}

/** Which sites form which group, and which of each site's orbitals count. */
export function selectPdos(dos: Dos, options: PdosOptions = {}): PdosSelection {
  if (!dos.pdos || dos.orbitals.length === 0 || dos.nSites === 0) {
    throw new AnalysisOptionError(`this ${dos.source} has no projected DOS (VASP: LORBIT ≥ 10 or RWIGS; LOBSTER: DOSCAR.lobster with projections)`);
  }
  const groupBy = options.groupBy ?? 'element';
  if (dos.basis === 'lcfo') return selectFragments(dos, options, groupBy);
  const species = speciesOf(dos, options);
  if (!species && (groupBy === 'element' || (options.elements && options.elements.length > 0))) {
    throw new AnalysisOptionError(`the ${dos.source} does not name its atoms: give a structure of the same run (POSCAR/CONTCAR/vasprun.xml) to select or group by element`);
  }
  let keep = Array.from({ length: dos.nSites }, (_, i) => i);
  if (options.sites && options.sites.length > 0) {
    for (const s of options.sites) {
      if (!Number.isInteger(s) || s < 0 || s >= dos.nSites) throw new AnalysisOptionError(`site ${s + 1} is outside 1..${dos.nSites}`);
    }
    const wanted = new Set(options.sites);
    keep = keep.filter((i) => wanted.has(i));
  }
  if (options.elements && options.elements.length > 0) {
    const wanted = new Set(options.elements.map((e) => e.toLowerCase()));
    const present = new Set(species!.map((e) => e.toLowerCase()));
    for (const e of options.elements) if (!present.has(e.toLowerCase())) throw new AnalysisOptionError(`no ${e} among the sites (${[...new Set(species)].join(', ')})`);
    keep = keep.filter((i) => wanted.has(species![i].toLowerCase()));
  }
  const groups = new Map<string, number[]>();
  const add = (name: string, i: number) => {
    const g = groups.get(name);
    if (g) g.push(i);
    else groups.set(name, [i]);
  };
  if (groupBy === 'class') {
    const classes = options.classes;
    if (!classes) throw new AnalysisOptionError('grouping by class needs the census class of each site');
    if (classes.length !== dos.nSites) throw new AnalysisOptionError(`classes for ${classes.length} sites given, but the DOS has ${dos.nSites} sites`);
    for (const i of keep) if (classes[i]) add(classes[i]!, i);
  } else if (groupBy === 'site') {
    for (const i of keep) add(options.siteNames?.[i] ?? `${species ? species[i] : 'site'}${i + 1}`, i);
  } else {
    for (const i of keep) add(species![i], i);
  }
  if (groups.size === 0) throw new AnalysisOptionError('the selection contains no sites');
  const ordered = [...groups.entries()].map(([name, atoms]) => ({ name, atoms }));
  // classes read best in order O2, O3, O4, O5 …
  if (groupBy === 'class') ordered.sort((p, q) => p.name.localeCompare(q.name, 'en', { numeric: true }));

  const match = orbitalMatcher(options.orbitals);
  const cache = new Map<number, number[]>();
  const orbitalsOf = (site: number): number[] => {
    let got = cache.get(site);
    if (!got) {
      got = dos.orbitals[site].map((label, o) => (match(label) ? o : -1)).filter((o) => o >= 0);
      cache.set(site, got);
    }
    return got;
  };
  let any = false;
  for (const g of ordered) {
    for (const i of g.atoms) if (orbitalsOf(i).length > 0) any = true;
  }
  if (!any) {
    const names = [...new Set(ordered.flatMap((g) => g.atoms.flatMap((i) => dos.orbitals[i])))];
    throw new AnalysisOptionError(`no orbital matches ${options.orbitals!.join(',')} on the selected sites (they have ${names.join(' ')})`);
  }
  return { groups: ordered, orbitalsOf };
}

/**
 * The selected PDOS summed over each group's atoms and orbitals, per spin channel:
 * `out[(g * nspin + s) * nedos + e]` (states/eV, summed over the group).
 */
export function groupChannels(dos: Dos, selection: PdosSelection): Float64Array {
  const { nedos, nspin } = dos;
  const pdos = dos.pdos!;
  const offsets = dos.orbitalOffset;
  const out = new Float64Array(selection.groups.length * nspin * nedos);
  for (let gi = 0; gi < selection.groups.length; gi++) {
    for (const site of selection.groups[gi].atoms) {
      for (const o of selection.orbitalsOf(site)) {
        for (let s = 0; s < nspin; s++) addInto(out, (gi * nspin + s) * nedos, pdos, ((offsets[site] + o) * nspin + s) * nedos, nedos);
      }
    }
  }
  return out;
}

/** dst[d .. d+n) += src[s .. s+n) */
function addInto(dst: Float64Array, d: number, src: Float64Array, s: number, n: number): void {
  for (let e = 0; e < n; e++) dst[d + e] += src[s + e];
}

function checkSpin(dos: Dos, spin: SpinChoice): void {
  if (spin === 'both' || dos.nspin === 2) return;
  const what = dos.noncollinear ? 'non-collinear (only the total DOS is a density; mx, my, mz are magnetisation)' : 'not spin-polarised';
  throw new AnalysisOptionError(`spin ${spin}: this DOS is ${what}; use both spins`, 'spin');
}

/** One channel per group for the chosen spin: up, down, or their sum. `out[g * nedos + e]`. */
function spinChannels(perSpin: Float64Array, nGroups: number, nspin: number, nedos: number, spin: SpinChoice): Float64Array {
  if (nspin === 1) return perSpin;
  const out = new Float64Array(nGroups * nedos);
  for (let g = 0; g < nGroups; g++) {
    const up = perSpin.subarray((g * 2) * nedos, (g * 2 + 1) * nedos);
    const down = perSpin.subarray((g * 2 + 1) * nedos, (g * 2 + 2) * nedos);
    const dst = out.subarray(g * nedos, (g + 1) * nedos);
    if (spin === 'up') dst.set(up);
    else if (spin === 'down') dst.set(down);
    else for (let e = 0; e < nedos; e++) dst[e] = up[e] + down[e];
  }
  return out;
}

/** Largest spacing between grid points inside [a, b] and the points just outside it. */
export function gridSpacingNear(energies: Float64Array, a: number, b: number): number {
  let lo = 0;
  while (lo < energies.length - 1 && energies[lo + 1] < a) lo++;
  let hi = energies.length - 1;
  while (hi > 0 && energies[hi - 1] > b) hi--;
  let max = 0;
  for (let i = lo + 1; i <= hi; i++) max = Math.max(max, energies[i] - energies[i - 1]);
  return max;
}

/** N(b) − N(a) from an integrated-DOS column: the last grid point with E ≤ b minus the last with E ≤ a. */
function idosDifference(energies: Float64Array, idos: Float64Array, a: number, b: number): number {
  let ia = -1;
  let ib = -1;
  for (let i = 0; i < energies.length; i++) {
    if (energies[i] <= a) ia = i;
    if (energies[i] <= b) ib = i;
  }
  const at = (i: number) => (i < 0 ? 0 : idos[i]);
  return at(ib) - at(ia);
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Lower edge of the default moment window, eV relative to E_F. */
export const MOMENT_LOW = -10;
/** A gap: the total DOS below this fraction of its maximum over [MOMENT_LOW, BAND_TOP_MAX] … */
export const GAP_FRACTION = 1e-3;
/** … for at least this many eV. */
export const GAP_MIN_WIDTH = 0.3;
/** The band top is looked for up to here (eV above E_F); a metal with no gap that close ends its window here. */
export const BAND_TOP_MAX = 10;

/**
 * The top of the band that holds E_F: the start of the first gap above E_F in the total DOS (spins summed). With
 * E_F at the top of a filled band (an insulator) that is ≈ E_F and the band is full; with holes in it (a delithiated
 * cathode) it lies above E_F and the filling falls below 1.
 */
export function bandTop(energies: Float64Array, total: Float64Array, nspin: number): number {
  const n = energies.length;
  const tot = (i: number) => (nspin === 2 ? total[i] + total[n + i] : total[i]);
  let max = 0;
  for (let i = 0; i < n; i++) if (energies[i] >= MOMENT_LOW && energies[i] <= BAND_TOP_MAX) max = Math.max(max, tot(i));
  let start = NaN;
  for (let i = 0; i < n && energies[i] <= BAND_TOP_MAX; i++) {
    if (energies[i] < 0) continue;
    if (tot(i) < GAP_FRACTION * max) {
      if (Number.isNaN(start)) start = energies[i];
      if (energies[i] - start >= GAP_MIN_WIDTH) return start;
    } else {
      start = NaN;
    }
  }
  return Math.min(BAND_TOP_MAX, energies[n - 1]);
}

/** Integrates the projected DOS over the window for each group; see `PdosResult` for what each number means. */
export function pdosWindow(dos: Dos, kernels: Kernels, options: PdosOptions = {}): PdosResult {
  const window = options.window ?? [-2, 0];
  const energies = relativeEnergies(dos);
  const momentWindow = options.momentWindow ?? [MOMENT_LOW, Math.max(bandTop(energies, dos.total, dos.nspin), 0.05)];
  const mode = options.mode ?? 'interp';
  const spin = options.spin ?? 'both';
  const groupBy = options.groupBy ?? 'element';
  for (const [name, w] of [['window', window], ['moment window', momentWindow]] as const) {
    if (!(w[0] < w[1]) || !Number.isFinite(w[0]) || !Number.isFinite(w[1])) throw new AnalysisOptionError(`${name} [${w[0]}, ${w[1]}]: expected a < b`);
  }
  if (!(mode in MODE_DEFINITIONS)) throw new AnalysisOptionError(`mode "${mode}": expected interp, mask or bins`);
  checkSpin(dos, spin);
  const ratioPairs = options.ratios ?? [];
  const selection = selectPdos(dos, { ...options, groupBy });
  const warnings: string[] = [];
  const lcfo = dos.basis === 'lcfo';
  if (lcfo) warnings.push(`one group per fragment: ${LCFO_FRAGMENTS}; "per atom" values are per fragment`);
  const { nedos, nspin } = dos;
  const [a, b] = window;
  const emin = energies[0];
  const emax = energies[nedos - 1];
  if (a < emin || b > emax) warnings.push(`window [${a}, ${b}] eV extends beyond the DOS energy range [${emin.toFixed(3)}, ${emax.toFixed(3)}] eV (E − E_F)`);
  if (momentWindow[0] < emin || momentWindow[1] > emax) {
    warnings.push(`moment window [${momentWindow[0]}, ${momentWindow[1]}] eV extends beyond the DOS energy range [${emin.toFixed(3)}, ${emax.toFixed(3)}] eV (E − E_F)`);
  }
  const spacing = gridSpacingNear(energies, a, b);
  if (spacing > COARSE_GRID) {
    warnings.push(`grid spacing ${spacing.toFixed(3)} eV is coarse for the window (> ${COARSE_GRID} eV): interp, mask and bins can differ by up to half a bin of DOS at each edge; a denser NEDOS helps`);
  }

  const nGroups = selection.groups.length;
  const perSpin = groupChannels(dos, selection);
  const chosen = spinChannels(perSpin, nGroups, nspin, nedos, spin);
  const spinIntegrals = nspin === 2 ? kernels.integrate(energies, perSpin, nGroups * nspin, a, b, mode) : undefined;
  const inWindow = spinIntegrals ? undefined : kernels.integrate(energies, chosen, nGroups, a, b, mode);
  const [ma, mb] = momentWindow;
  const moments = kernels.moments(energies, chosen, nGroups, ma, mb);
  const below = Math.min(mb, 0) > ma ? kernels.integrate(energies, chosen, nGroups, ma, Math.min(mb, 0), 'interp') : new Float64Array(nGroups);

  const groups: PdosGroup[] = selection.groups.map((g, gi) => {
    const nAtoms = g.atoms.length;
    let states: number;
    let spins: PdosGroup['spins'];
    if (spinIntegrals) {
      const up = spinIntegrals[gi * 2];
      const down = spinIntegrals[gi * 2 + 1];
      states = spin === 'up' ? up : spin === 'down' ? down : up + down;
      spins = { up: { statesInWindow: up, perAtom: up / nAtoms }, down: { statesInWindow: down, perAtom: down / nAtoms } };
    } else {
      states = inWindow![gi];
    }
    const m = moments.integral[gi];
    return {
      name: g.name,
      atoms: g.atoms,
      statesInWindow: states,
      perAtom: states / nAtoms,
      ...(spins ? { spins } : {}),
      momentStates: m,
      center: m > 0 ? finite(moments.center[gi]) : null,
      width: m > 0 ? finite(moments.width[gi]) : null,
      filling: m > 0 ? below[gi] / m : null,
    };
  });

  const totalChosen = spinChannels(dos.total, 1, nspin, nedos, spin);
  const totalStates = kernels.integrate(energies, totalChosen, 1, a, b, mode)[0];
  let fromColumn: number | null = null;
  if (dos.integrated) {
    const col = (s: number) => idosDifference(energies, dos.integrated!.subarray(s * nedos, (s + 1) * nedos), a, b);
    fromColumn = nspin === 1 ? col(0) : spin === 'up' ? col(0) : spin === 'down' ? col(1) : col(0) + col(1);
    // tolerance: the file prints 4 significant digits of DOS and integrated DOS
    if (mode === 'bins' && Math.abs(totalStates - fromColumn) > 0.005 * Math.max(Math.abs(fromColumn), 0.1)) {
      warnings.push(`bins: the total DOS summed over the window (${totalStates.toFixed(4)} states) differs from the file's integrated column (${fromColumn.toFixed(4)}); the file's DOS is not the bin average of its integrated DOS (seen with Methfessel–Paxton and tetrahedron runs on coarse grids)`);
    }
  }

  const byName = new Map(groups.map((g) => [g.name, g]));
  const ratios: PdosRatio[] = ratioPairs.map(([p, q]) => {
    const gp = byName.get(p);
    const gq = byName.get(q);
    for (const [name, g] of [[p, gp], [q, gq]] as const) {
      if (!g) warnings.push(`ratio ${p}:${q}: no group ${name} (groups: ${groups.map((x) => x.name).join(', ')})`);
    }
    const value = gp && gq && gq.perAtom !== 0 ? gp.perAtom / gq.perAtom : null;
    return { name: `${p}:${q}`, numerator: p, denominator: q, value };
  });

  return {
    source: dos.source,
    efermi: dos.efermi,
    window: [a, b],
    momentWindow: [ma, mb],
    momentWindowBasis: options.momentWindow ? 'given' : 'band top above E_F',
    mode,
    spin,
    nspin,
    noncollinear: dos.noncollinear,
    orbitals: options.orbitals && options.orbitals.length > 0 ? options.orbitals : ['all'],
    groupBy: lcfo ? 'site' : groupBy,
    basis: lcfo ? 'lcfo' : 'atoms',
    gridSpacing: spacing,
    total: { statesInWindow: totalStates, fromIntegratedColumn: fromColumn },
    groups,
    ratios,
    warnings,
    definitions: {
      window: 'energies relative to E_F; [a, b] in eV',
      mode: `${mode}: ${MODE_DEFINITIONS[mode]}`,
      spin: spin === 'both' ? 'spin up + spin down summed (non-spin and non-collinear runs: the total only)' : `spin ${spin} only`,
      center: 'first moment ∫Eρ dE / ∫ρ dE over the moment window (interp rule), eV relative to E_F',
      width: 'square root of the second central moment over the moment window, eV',
      filling: 'states of the moment window below E_F divided by all states of the moment window',
      momentWindow: options.momentWindow
        ? 'as given'
        : `[${MOMENT_LOW}, band top] eV: the band top is the start of the first gap above E_F in the total DOS (below ${GAP_FRACTION} of its maximum for ≥ ${GAP_MIN_WIDTH} eV), at most +${BAND_TOP_MAX} eV; a window ending at E_F would make every filling 100 %`,
      perAtom: 'states in the window summed over the group, divided by the number of atoms in the group',
    },
    units: {
      energy: 'eV relative to E_F',
      efermi: 'eV (absolute, as the DFT run gives it)',
      statesInWindow: 'states, summed over the group’s atoms and the selected orbitals and spins',
      perAtom: 'states per atom',
      momentStates: 'states, summed over the group',
      center: 'eV relative to E_F',
      width: 'eV',
      filling: 'fraction (0–1)',
      total: 'states per cell',
    },
  };
}

export interface PdosCurves {
  /** E − E_F, eV */
  energies: Float64Array;
  spin: SpinChoice;
  /** per group: DOS per atom of the group (states/eV per atom), selected orbitals and spin */
  groups: { name: string; atoms: number[]; perAtom: Float64Array }[];
}

/** The same selection as `pdosWindow`, as curves per atom for plotting. */
export function pdosCurves(dos: Dos, options: PdosOptions = {}): PdosCurves {
  const spin = options.spin ?? 'both';
  checkSpin(dos, spin);
  const selection = selectPdos(dos, options);
  const nGroups = selection.groups.length;
  const chosen = spinChannels(groupChannels(dos, selection), nGroups, dos.nspin, dos.nedos, spin);
  return {
    energies: relativeEnergies(dos),
    spin,
    groups: selection.groups.map((g, gi) => {
      const per = chosen.slice(gi * dos.nedos, (gi + 1) * dos.nedos);
      for (let e = 0; e < per.length; e++) per[e] /= g.atoms.length;
      return { name: g.name, atoms: g.atoms, perAtom: per };
    }),
  };
}
