import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import type { Charges } from '../model/lobster.js';
import type { IcohpList } from '../model/cohp.js';
import type { Dos } from '../model/dos.js';
import type { BaderCharges, GrossPopulations, MadelungEnergies, Magnetization, SitePotentials } from '../model/populations.js';
import { cartToFrac } from '../model/lattice.js';
import { MismatchError, AnalysisOptionError } from '../errors.js';
import { census, type CensusOptions, type CensusResult } from './census.js';
import { icohpAnalysis } from './cohp.js';
import { pdosWindow } from './pdos.js';
import { ooContacts, type ContactOptions, type ContactsResult } from './contacts.js';
import { vacancyClusters, type VacancyResult } from './vacancies.js';

/**
 * Everything known about each atom, grouped by the census class of each O (and by element for the other atoms):
 * charges, moments, bond sums, site potentials and states near E_F from the files of one run, plus O–O short
 * contacts and (with a reference) vacancy clusters in the TM layers. Every input array is in POSCAR order and must
 * name the same elements as the structure; a file of another run is a MismatchError, never a silent mix.
 */

export const QUANTITIES = [
  'mulliken', 'loewdin', 'pPopulation', 'magmom', 'bader', 'baderElectrons', 'sumMinusIcohp', 'sumIcobi', 'sitePotential', 'sitePotentialLoewdin', 'statesInWindow',
] as const;
export type Quantity = (typeof QUANTITIES)[number];

export const QUANTITY_UNITS: Record<Quantity, string> = {
  mulliken: 'e',
  loewdin: 'e',
  pPopulation: 'electrons (spins summed)',
  magmom: 'μB',
  bader: 'e',
  baderElectrons: 'electrons',
  sumMinusIcohp: 'eV (summed over the atom’s bonds)',
  sumIcobi: 'bond index (summed over the atom’s bonds)',
  sitePotential: 'eV',
  sitePotentialLoewdin: 'eV',
  statesInWindow: 'states (spins summed)',
};

export const QUANTITY_DEFINITIONS: Record<Quantity, string> = {
  mulliken: 'LOBSTER Mulliken charge (CHARGE.lobster), positive = electrons lost',
  loewdin: 'LOBSTER Löwdin charge (CHARGE.lobster), positive = electrons lost',
  pPopulation: 'Löwdin gross population of the atom’s p basis functions (GROSSPOP.lobster), spins summed; for O, 6 − pPopulation counts the O-2p holes',
  magmom: 'magnetic moment, OUTCAR `magnetization (x)` tot column of the last ionic step (non-collinear: the moment vector from the x, y, z tables projected on the direction of the largest moment); integrated in the PAW sphere',
  bader: 'Bader net charge = ZVAL − electrons in the Bader volume (ACF.dat; ZVAL from POTCAR/OUTCAR), positive = electrons lost',
  baderElectrons: 'electrons in the Bader volume (ACF.dat CHARGE column, valence only), as the file gives it',
  sumMinusIcohp: '−ICOHP at E_F summed over every ICOHPLIST line that has the atom in either column (each lattice translation once), spins summed; positive = bonding',
  sumIcobi: 'ICOBI summed over every ICOBILIST line that has the atom in either column, spins summed',
  sitePotential: 'LOBSTER Madelung site potential from Mulliken charges (SitePotentials.lobster)',
  sitePotentialLoewdin: 'LOBSTER Madelung site potential from Löwdin charges (SitePotentials.lobster)',
  statesInWindow: 'PDOS integrated over the window (E − E_F), spins summed: O sites their p orbitals, other sites all orbitals',
};

export interface SiteInputs {
  charges?: Charges;
  magnetization?: Magnetization;
  /** ACF.dat with ZVAL per element (from POTCAR/OUTCAR); without ZVAL only baderElectrons is given */
  bader?: { acf: BaderCharges; zval?: Record<string, number> };
  icohp?: IcohpList;
  icobi?: IcohpList;
  sitePotentials?: SitePotentials;
  grossPopulations?: GrossPopulations;
  dos?: Dos;
}

export interface SitesOptions {
  census?: Omit<CensusOptions, 'neighbours' | 'file'>;
  /** PDOS window, eV relative to E_F (default [−2, 0]) */
  window?: [number, number];
  contacts?: Omit<ContactOptions, 'cutoffs' | 'anion'>;
  /** in-plane adjacency of vacancies (Å), with a reference */
  vacancyCutoff?: number;
  /** keep only ICOHPLIST/ICOBILIST bonds up to this length (Å) for the per-O sums */
  maxBondLength?: number;
  /** file names for messages: key = input name (`charges`, `bader` …), value = path */
  files?: Partial<Record<keyof SiteInputs | 'structure', string>>;
}

export interface SiteRow {
  index: number;
  species: string;
  /** census class (O only) */
  class: string | null;
  nTM: number | null;
  nLi: number | null;
  values: Partial<Record<Quantity, number | null>>;
}

export interface Stats {
  count: number;
  mean: number | null;
  /** sample standard deviation (n − 1); null for fewer than two values */
  std: number | null;
  min: number | null;
  max: number | null;
}

export interface SiteGroup {
  name: string;
  by: 'class' | 'element';
  atoms: number;
  stats: Partial<Record<Quantity, Stats>>;
}

export interface SitesResult {
  file: string;
  nSites: number;
  /** quantities present (in table order) */
  quantities: Quantity[];
  sites: SiteRow[];
  groups: SiteGroup[];
  census: Omit<CensusResult, 'sites'> | null;
  contacts: ContactsResult;
  vacancies: VacancyResult | null;
  window: [number, number];
  warnings: string[];
  definitions: Record<string, string>;
  units: Record<string, string>;
}

const name = (o: SitesOptions, k: keyof SiteInputs | 'structure', fallback: string) => o.files?.[k] ?? fallback;

/** Elements of an input in POSCAR order must be the structure's. */
function checkElements(s: Structure, elements: string[], files: string[]): void {
  if (elements.length !== s.species.length) throw new MismatchError(files, `${elements.length} atoms vs ${s.species.length} sites in the structure`);
  const i = elements.findIndex((e, k) => e !== s.species[k]);
  if (i >= 0) throw new MismatchError(files, `atom ${i + 1} is ${elements[i]} there and ${s.species[i]} in the structure`);
}

export function stats(xs: number[]): Stats {
  const n = xs.length;
  if (n === 0) return { count: 0, mean: null, std: null, min: null, max: null };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : null;
  // a loop, not Math.min(...xs): spreading 10⁵ values overflows the call stack
  let min = Infinity, max = -Infinity;
  for (const x of xs) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { count: n, mean, std, min, max };
}

/** Largest minimum-image distance between the ACF.dat positions and the structure's sites (Å). */
function largestOffset(s: Structure, cart: Float64Array): number {
  const f = cartToFrac(s.lattice, cart);
  const d = new Float64Array(f.length);
  for (let k = 0; k < f.length; k++) {
    const x = f[k] - s.frac[k];
    d[k] = x - Math.round(x);
  }
  let worst = 0;
  const L = s.lattice;
  for (let i = 0; i < s.species.length; i++) {
    const a = d[3 * i], b = d[3 * i + 1], c = d[3 * i + 2];
    // fractional offsets wrapped to [−½, ½] are the minimum image for all but very skewed cells
    const x = a * L[0] + b * L[3] + c * L[6], y = a * L[1] + b * L[4] + c * L[7], z = a * L[2] + b * L[5] + c * L[8];
    worst = Math.max(worst, Math.hypot(x, y, z));
  }
  return worst;
}

/**
 * Moments per site: the tot column of `x` (collinear). Non-collinear: each moment vector projected on the direction
 * of the largest one, which keeps antiparallel (AFM) moments negative where |m| would not.
 */
function moments(m: Magnetization): { values: number[]; noncollinear: boolean } {
  const x = m.components.x!;
  const tot = m.columns.length - 1;
  const y = m.components.y, z = m.components.z;
  if (!y || !z) return { values: x.map((r) => r[tot]), noncollinear: false };
  const v = x.map((r, i) => [r[tot], y[i][tot], z[i][tot]]);
  const big = v.reduce((best, w) => (Math.hypot(...w) > Math.hypot(...best) ? w : best), [0, 0, 0]);
  const len = Math.hypot(...big);
  if (len === 0) return { values: v.map(() => 0), noncollinear: true };
  return { values: v.map((w) => (w[0] * big[0] + w[1] * big[1] + w[2] * big[2]) / len), noncollinear: true };
}

export function sitesAnalysis(s: Structure, inputs: SiteInputs, kernels: Kernels, options: SitesOptions = {}): SitesResult {
  const file = name(options, 'structure', s.comment);
  const n = s.species.length;
  const warnings: string[] = [];
  const window = options.window ?? [-2, 0];
  if (!(window[0] < window[1])) throw new AnalysisOptionError(`window ${window.join(',')}: expected a < b`);
  const hasO = s.species.includes('O');
  const c = hasO ? census(s, kernels, { ...options.census, file, neighbours: options.census?.reference !== undefined }) : undefined;
  const classOf = new Map((c?.sites ?? []).map((o) => [o.index, o]));
  const columns = new Map<Quantity, (number | null)[]>();
  const column = (q: Quantity) => {
    let col = columns.get(q);
    if (!col) {
      col = new Array<number | null>(n).fill(null);
      columns.set(q, col);
    }
    return col;
  };

  /** A LOBSTER per-atom file with a Mulliken and a Löwdin column (CHARGE.lobster, SitePotentials.lobster). */
  const mullikenLoewdin = (data: { elements: string[]; mulliken: Float64Array; loewdin: Float64Array }, key: keyof SiteInputs, fallback: string, qm: Quantity, ql: Quantity) => {
    checkElements(s, data.elements, [name(options, key, fallback), file]);
    const m = column(qm), l = column(ql);
    for (let i = 0; i < n; i++) {
      m[i] = data.mulliken[i];
      l[i] = data.loewdin[i];
    }
  };
  if (inputs.charges) mullikenLoewdin(inputs.charges, 'charges', 'CHARGE.lobster', 'mulliken', 'loewdin');

  if (inputs.grossPopulations) {
    const g = inputs.grossPopulations;
    checkElements(s, g.elements, [name(options, 'grossPopulations', 'GROSSPOP.lobster'), file]);
    const col = column('pPopulation');
    g.loewdin.forEach((orbitals, i) => {
      // basis functions are named like 2p_x, 3p_y, 4p (LOBSTER); the total row is not one of them
      const p = Object.entries(orbitals).filter(([o]) => /^\d*p(_|$)/.test(o));
      col[i] = p.length === 0 ? null : p.reduce((t, [, spins]) => t + spins.reduce((a, b) => a + b, 0), 0);
    });
  }

  if (inputs.magnetization) {
    const mag = inputs.magnetization;
    const f = name(options, 'magnetization', 'OUTCAR');
    if (mag.tables === 0 || !mag.components.x) {
      warnings.push(`${f} has no magnetization table (a non-spin-polarised run, ISPIN = 1): no magmom`);
    } else {
      if (mag.components.x.length !== n) throw new MismatchError([f, file], `magnetization for ${mag.components.x.length} ions vs ${n} sites in the structure`);
      const { values, noncollinear } = moments(mag);
      if (noncollinear) warnings.push(`${f}: non-collinear run; magmom is each moment (x, y, z tables) projected on the direction of the largest one`);
      const col = column('magmom');
      values.forEach((v, i) => (col[i] = v));
    }
  }

  if (inputs.bader) {
    const { acf, zval } = inputs.bader;
    const f = name(options, 'bader', 'ACF.dat');
    if (acf.electrons.length !== n) throw new MismatchError([f, file], `${acf.electrons.length} atoms vs ${n} sites in the structure`);
    const off = largestOffset(s, acf.cart);
    if (off > 0.5) throw new MismatchError([f, file], `atom positions differ by up to ${off.toFixed(2)} Å: the Bader analysis is of another structure`);
    if (off > 0.01) warnings.push(`${f}: atom positions differ from ${file} by up to ${off.toFixed(3)} Å`);
    const e = column('baderElectrons');
    for (let i = 0; i < n; i++) e[i] = acf.electrons[i];
    if (zval) {
      const missing = [...new Set(s.species.filter((x) => zval[x] === undefined))];
      if (missing.length > 0) warnings.push(`no ZVAL for ${missing.join(', ')}: their Bader net charge is left empty (electrons are given)`);
      const b = column('bader');
      for (let i = 0; i < n; i++) b[i] = zval[s.species[i]] === undefined ? null : zval[s.species[i]] - acf.electrons[i];
    } else {
      warnings.push(`${f}: no POTCAR or OUTCAR gave ZVAL, so only the electrons in each Bader volume are given (baderElectrons), not net charges`);
    }
  }

  const bondSums = (list: IcohpList, q: Quantity, key: keyof SiteInputs) => {
    const f = name(options, key, key === 'icohp' ? 'ICOHPLIST.lobster' : 'ICOBILIST.lobster');
    for (const b of list.bonds) {
      for (const a of b.atoms) {
        if (a.number > n || s.species[a.number - 1] !== a.element) throw new MismatchError([f, file], `atom ${a.label} is ${a.number > n ? 'not in' : `${s.species[a.number - 1]} in`} the structure`);
      }
    }
    const r = icohpAnalysis(list, kernels, { census: c, nSites: n, cutoff: options.maxBondLength });
    for (const w of r.warnings) warnings.push(`${f}: ${w}`);
    // every line counts once for each distinct site at its ends (as the per-O sums of cohp.ts), for every element
    const keys: number[] = [];
    const values: number[] = [];
    for (const b of r.bondList) {
      for (const site of new Set(b.sites)) {
        keys.push(site);
        values.push(b.value);
      }
    }
    const sums = kernels.segmentSums(Float64Array.from(values), Int32Array.from(keys), n);
    const col = column(q);
    for (let i = 0; i < n; i++) col[i] = sums.count[i] > 0 ? sums.sum[i] : null;
  };
  if (inputs.icohp) {
    if (inputs.icohp.kind !== 'cohp') throw new AnalysisOptionError(`${name(options, 'icohp', 'ICOHPLIST')}: expected an ICOHPLIST, found an ${inputs.icohp.kind.toUpperCase()} list`);
    bondSums(inputs.icohp, 'sumMinusIcohp', 'icohp');
  }
  if (inputs.icobi) {
    if (inputs.icobi.kind !== 'cobi') throw new AnalysisOptionError(`${name(options, 'icobi', 'ICOBILIST')}: expected an ICOBILIST, found an ${inputs.icobi.kind.toUpperCase()} list`);
    bondSums(inputs.icobi, 'sumIcobi', 'icobi');
  }

  if (inputs.sitePotentials) mullikenLoewdin(inputs.sitePotentials, 'sitePotentials', 'SitePotentials.lobster', 'sitePotential', 'sitePotentialLoewdin');

  if (inputs.dos) {
    const d = inputs.dos;
    const f = name(options, 'dos', 'DOS');
    if (d.nSites !== n) throw new MismatchError([f, file], `the DOS has ${d.nSites} sites, the structure ${n}`);
    if (d.species) checkElements(s, d.species, [f, file]);
    if (!d.pdos || d.orbitals.length === 0) {
      warnings.push(`${f} has no projected DOS: no statesInWindow`);
    } else {
      const col = column('statesInWindow');
      const run = (elements: string[] | undefined, orbitals: string[] | undefined, sites: number[]) => {
        if (sites.length === 0) return;
        // the moment window is not reported here: set to the window so that it raises no range warning of its own
        const r = pdosWindow(d, kernels, { groupBy: 'site', species: s.species, sites, orbitals, window, momentWindow: window, ...(elements ? { elements } : {}) });
        for (const w of r.warnings) if (!warnings.includes(`${f}: ${w}`)) warnings.push(`${f}: ${w}`);
        for (const g of r.groups) col[g.atoms[0]] = g.statesInWindow;
      };
      const oSites = s.species.flatMap((x, i) => (x === 'O' ? [i] : []));
      run(undefined, ['p'], oSites);
      run(undefined, undefined, s.species.flatMap((x, i) => (x === 'O' ? [] : [i])));
    }
  }

  const quantities = QUANTITIES.filter((q) => columns.has(q));
  const sites: SiteRow[] = s.species.map((species, index) => {
    const o = classOf.get(index);
    const values: SiteRow['values'] = {};
    for (const q of quantities) values[q] = columns.get(q)![index];
    return { index, species, class: o?.class ?? null, nTM: o?.nTM ?? null, nLi: o?.nLi ?? null, values };
  });

  // groups: each O class, then each other element
  const members = new Map<string, { by: SiteGroup['by']; atoms: number[] }>();
  for (const r of sites) {
    const key = r.class ?? r.species;
    const g = members.get(key) ?? { by: r.class ? 'class' : 'element', atoms: [] };
    g.atoms.push(r.index);
    members.set(key, g);
  }
  const order = [...members.keys()].sort((p, q) => {
    const bp = members.get(p)!.by, bq = members.get(q)!.by;
    return bp !== bq ? (bp === 'class' ? -1 : 1) : p.localeCompare(q, 'en', { numeric: true });
  });
  const groups: SiteGroup[] = order.map((key) => {
    const g = members.get(key)!;
    const st: SiteGroup['stats'] = {};
    for (const q of quantities) st[q] = stats(g.atoms.map((i) => sites[i].values[q]).filter((v): v is number => v !== null && v !== undefined));
    return { name: key, by: g.by, atoms: g.atoms.length, stats: st };
  });

  const contacts = ooContacts(s, kernels, c, { ...options.contacts, cutoffs: options.census?.cutoffs });
  const ref = options.census?.reference;
  const vacancies = ref && c ? vacancyClusters(s, ref, kernels, c, { tm: c.tm, alkali: c.alkali, inPlaneCutoff: options.vacancyCutoff }) : null;
  if (c?.reference && (c.reference.unassignedO.length > 0 || c.reference.unassignedCations.length > 0)) {
    warnings.push(`with the reference: ${c.reference.unassignedO.length} O and ${c.reference.unassignedCations.length} cations sit on no reference site within ${c.reference.siteTolerance} Å`);
  }
  let censusOut: SitesResult['census'] = null;
  if (c) {
    const { sites: _sites, ...rest } = c;
    censusOut = rest;
  }

  return {
    file,
    nSites: n,
    quantities,
    sites,
    groups,
    census: censusOut,
    contacts,
    vacancies,
    window,
    warnings,
    definitions: {
      ...Object.fromEntries(quantities.map((q) => [q, QUANTITY_DEFINITIONS[q]])),
      groups: 'per census class for O (O4 = OLi4TM2, O5 = OLi5TM1 …), per element for every other atom; statistics over the sites of the group that have the quantity',
      std: 'sample standard deviation (n − 1); null for a group of one',
      contacts: 'O–O pairs closer than the peroxo-like threshold, O2-like below the second one; sharing a cation = one cation atom within the cation–O cutoff of both',
      vacancies: 'with a reference: empty reference cation sites of TM layers, clustered by in-plane adjacency',
      index: 'site indices are 0-based in JSON (1-based in tables, as in POSCAR and LOBSTER labels)',
    },
    units: { ...Object.fromEntries(quantities.map((q) => [q, QUANTITY_UNITS[q]])), distance: 'Å', window: 'eV relative to E_F' },
  };
}

/** The sites analysis of one calculation in a report: everything but the per-site rows (those are `oxyscope sites`). */
export type SitesReport = Omit<SitesResult, 'sites'> & {
  /** input → file it was read from (relative to the report root) */
  files: Record<string, string>;
  zvalFrom: string | null;
  madelungEnergies: MadelungEnergies | null;
};
