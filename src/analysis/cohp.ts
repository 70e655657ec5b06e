import type { BondAtom, Cohp, CohpKind, IcohpBond, IcohpList } from '../model/cohp.js';
import { bondTotals, cohpChannel } from '../model/cohp.js';
import type { Kernels } from '../kernels/types.js';
import type { CensusResult } from './census.js';
import { AnalysisOptionError } from '../errors.js';

/**
 * Bond strengths from LOBSTER: −ICOHP (or ICOOP / ICOBI) per bond, grouped by element pair and by the census class of
 * the O in the bond, summed per O; and, from a COHPCAR, the ICOHP integrated up to E_F compared with the file's own
 * integrated column.
 *
 * Sign: COHP < 0 is bonding, so bond strengths are reported as −ICOHP (positive = bonding). COOP and COBI are
 * positive for bonding already and are reported as they are. Values are eV per bond (COHP) and per spin unless the
 * field says summed; spin-polarised values are summed over both spins (LobsterPy/pymatgen `summed_icohp`).
 */

/** Anions, written last in pair names (`Mn-O`, `K-F`, `Na-Cl`). */
const ANIONS = ['O', 'S', 'Se', 'Te', 'N', 'P', 'As', 'Sb', 'F', 'Cl', 'Br', 'I'];

/** Order-independent pair name: cation first, anion last, otherwise alphabetical. */
export function pairName(a: string, b: string): string {
  const ia = ANIONS.indexOf(a);
  const ib = ANIONS.indexOf(b);
  if (ia >= 0 && ib < 0) return `${b}-${a}`;
  if (ib >= 0 && ia < 0) return `${a}-${b}`;
  return [a, b].sort().join('-');
}

/** What the numbers are, with the sign that makes bonding positive. */
function quantityOf(kind: CohpKind): { name: string; sign: number; unit: string } {
  if (kind === 'cohp') return { name: '−ICOHP', sign: -1, unit: 'eV' };
  return kind === 'coop' ? { name: 'ICOOP', sign: 1, unit: 'electrons' } : { name: 'ICOBI', sign: 1, unit: 'bond index (dimensionless)' };
}

export interface IcohpOptions {
  /** census of the same structure (per-O class and the TM set) to group O–TM bonds by the class of the O */
  census?: Pick<CensusResult, 'sites' | 'tm'>;
  /** number of sites of the structure the census ran on (labels beyond it are an error) */
  nSites?: number;
  /** keep only bonds with length ≤ cutoff (Å) */
  cutoff?: number;
}

export interface BondRow {
  /** LOBSTER bond number (COHP# / No.k) */
  index: number;
  label: string;
  /** sites of the two atoms, 0-based (LOBSTER numbers atoms 1-based in POSCAR order) */
  sites: [number, number];
  elements: [string, string];
  /** Å */
  length: number;
  translation?: [number, number, number];
  /** the bond-strength quantity (−ICOHP for COHP) per bond, spins summed */
  value: number;
  /** the same per spin (spin-polarised runs) */
  bySpin?: number[];
  /** 'lobster-2' layout: the value is averaged over this many symmetry-equivalent bonds */
  nBondsAveraged: number;
}

/**
 * A multi-centre entry (LOBSTER ≥ 4.1 COBI between n atoms: a COBICAR/ICOBILIST entry with more than two centres,
 * or any entry of NcICOBILIST.lobster). Its value is the n-centre ICOBI of the interaction (dimensionless), spins
 * summed; it has no bond length.
 */
export interface MultiCentreRow {
  /** LOBSTER number (COBI# / No.k) */
  index: number;
  /** the chain with the cell of each centre when the file gives them (`B1[0 0 0]->H7[0 0 0]->B2[0 0 1]`) */
  label: string;
  /** the centres in chain order */
  atoms: string[];
  /** sites of the centres, 0-based */
  sites: number[];
  elements: string[];
  /** lattice translation of each centre, when the file gives them */
  translations?: ([number, number, number] | null)[];
  nCentres: number;
  /** n-centre ICOBI at E_F (COBICAR: its file column at E_F), spins summed */
  value: number;
  /** the same per spin (spin-polarised runs) */
  bySpin?: number[];
}

export interface BondGroup {
  name: string;
  /**
   * 'pair' = by element pair; 'class' = by census class of the O (`O5-TM`, `O4-Li` …); 'multi-centre' = n-centre
   * COBI entries by their element chain (`B-H-B (3 centres)`), never mixed into the pairs
   */
  by: 'pair' | 'class' | 'multi-centre';
  /** bonds in the group (each LOBSTER line once per translation; 'lobster-2' lines count nBondsAveraged times) */
  count: number;
  /** mean over the group's bonds, spins summed (eV per bond for COHP) */
  meanMinusIcohp: number;
  /** sum over the group's bonds, spins summed (eV for COHP) */
  sumMinusIcohp: number;
  /** per spin: mean and sum over the group's bonds (spin-polarised runs) */
  spins?: { mean: number; sum: number }[];
}

export interface PerO {
  /** site of the O, 0-based */
  index: number;
  label: string;
  /** census class, when a census is given */
  class?: string;
  /** bonds of this O (found in either column) */
  nBonds: number;
  /** sum over this O's bonds, spins summed */
  sumMinusIcohp: number;
  /** bonds to TM cations (census TM set) and their sum; with a census only */
  nTMBonds?: number;
  sumMinusIcohpTM?: number;
}

/** Why LCFO bond labels are not grouped like atoms (errors and warnings say it). */
export const LCFO_LABELS =
  'the labels are LCFO fragments (local fragment orbitals: AlN_1, Al_2 …), not atoms: a fragment may span several atoms and its number is not a site of the structure';

export interface IcohpResult {
  kind: CohpKind;
  /** atoms, or LCFO fragments (ICOHPLIST.LCFO: `sites` are then fragment numbers − 1 and `elements` fragment names) */
  basis: 'atoms' | 'lcfo';
  /** the reported quantity: '−ICOHP', 'ICOOP' or 'ICOBI' (positive = bonding) */
  quantity: string;
  layout: IcohpList['layout'];
  nspin: 1 | 2;
  /** 'summed' = both spins added; per-spin values are under `spins` / `bySpin` */
  spin: 'summed' | 'single';
  /** two-centre bonds analysed (each LOBSTER line once, after the cutoff) */
  bonds: number;
  cutoff: number | null;
  groups: BondGroup[];
  /** per O site (element O in the labels); with a census also its class and TM bonds */
  perO: PerO[];
  bondList: BondRow[];
  /** multi-centre entries (their own groups, by: 'multi-centre'); the cutoff does not apply (they have no length) */
  multiCentre: MultiCentreRow[];
  warnings: string[];
  definitions: Record<string, string>;
  units: Record<string, string>;
}

/** Sums of several value columns by key with the segmentSums kernel. */
function sumsBy(kernels: Kernels, keys: Int32Array, nKeys: number, columns: Float64Array[]): Float64Array[] {
  return columns.map((c) => kernels.segmentSums(c, keys, nKeys).sum);
}

interface KeyTable {
  names: string[];
  index: Map<string, number>;
}

function keyOf(t: KeyTable, name: string): number {
  let k = t.index.get(name);
  if (k === undefined) {
    k = t.names.length;
    t.names.push(name);
    t.index.set(name, k);
  }
  return k;
}

function twoCentre(b: IcohpBond): boolean {
  return !b.multiCentre && b.atoms.length === 2;
}

/** −ICOHP (ICOOP, ICOBI) by bond, element pair, O class and O site. */
export function icohpAnalysis(list: IcohpList, kernels: Kernels, options: IcohpOptions = {}): IcohpResult {
  const q = quantityOf(list.kind);
  const warnings: string[] = [];
  const cutoff = options.cutoff ?? null;
  if (cutoff !== null && !(cutoff > 0)) throw new AnalysisOptionError(`cutoff ${cutoff}: expected a positive length in Å`);
  const lcfo = list.basis === 'lcfo';
  if (lcfo && options.census) throw new AnalysisOptionError(`no O-class grouping on LCFO labels: ${LCFO_LABELS}`);
  if (lcfo) warnings.push(`${LCFO_LABELS}: grouped by fragment-name pair only (no per-O sums, no O classes)`);
  const multiEntries = list.bonds.filter((b) => !twoCentre(b));
  let bonds = list.bonds.filter(twoCentre);
  if (cutoff !== null) bonds = bonds.filter((b) => b.length <= cutoff);
  if (bonds.length === 0 && multiEntries.length === 0) throw new AnalysisOptionError(cutoff !== null ? `no bond is shorter than the cutoff ${cutoff} Å` : 'the list holds no bonds');
  if (options.nSites !== undefined) {
    for (const b of [...bonds, ...multiEntries]) {
      for (const a of b.atoms) {
        if (a.number > options.nSites) throw new AnalysisOptionError(`bond ${b.label}: atom ${a.label} does not exist in the ${options.nSites}-site structure`);
      }
    }
  }
  if (list.layout === 'lobster-2') {
    warnings.push("old LOBSTER layout: each line is averaged over 'avg. over # bonds' symmetry-equivalent bonds; group counts and sums weight it by that number, per-O sums take the listed pair once");
  }

  const nspin = list.nspin;
  const n = bonds.length;
  const rows: BondRow[] = bonds.map((b) => ({
    index: b.index,
    label: b.label,
    sites: [b.atoms[0].number - 1, b.atoms[1].number - 1],
    elements: [b.atoms[0].element, b.atoms[1].element],
    length: b.length,
    ...(b.translation ? { translation: b.translation } : {}),
    value: q.sign * b.summed,
    ...(nspin === 2 ? { bySpin: b.values.map((v) => q.sign * v) } : {}),
    nBondsAveraged: b.nBondsAveraged,
  }));

  // value columns: weight, summed·weight, then each spin·weight
  const weight = Float64Array.from(rows, (r) => r.nBondsAveraged);
  const columns = [weight, Float64Array.from(rows, (r) => r.value * r.nBondsAveraged)];
  if (nspin === 2) for (let s = 0; s < 2; s++) columns.push(Float64Array.from(rows, (r) => r.bySpin![s] * r.nBondsAveraged));

  const groups: BondGroup[] = [];
  const addGroups = (by: BondGroup['by'], table: KeyTable, keys: Int32Array) => {
    const sums = sumsBy(kernels, keys, table.names.length, columns);
    const order = table.names.map((_, k) => k).sort((p, r) => table.names[p].localeCompare(table.names[r], 'en', { numeric: true }));
    for (const k of order) {
      const count = sums[0][k];
      groups.push({
        name: table.names[k],
        by,
        count,
        meanMinusIcohp: sums[1][k] / count,
        sumMinusIcohp: sums[1][k],
        ...(nspin === 2 ? { spins: [0, 1].map((s) => ({ mean: sums[2 + s][k] / count, sum: sums[2 + s][k] })) } : {}),
      });
    }
  };

  const pairs: KeyTable = { names: [], index: new Map() };
  addGroups('pair', pairs, Int32Array.from(rows, (r) => keyOf(pairs, pairName(r.elements[0], r.elements[1]))));
  const multiCentre = multiEntries.map((b) => multiCentreRow(b.index, b.atoms, q.sign * b.summed, nspin === 2 ? b.values.map((v) => q.sign * v) : undefined));
  groups.push(...multiCentreGroups(multiCentre, kernels, nspin));

  const census = options.census;
  const classOf = new Map<number, string>();
  if (census) for (const s of census.sites) classOf.set(s.index, s.class);
  const tm = new Set(census?.tm ?? []);
  if (census) {
    const classes: KeyTable = { names: [], index: new Map() };
    let unclassified = 0;
    const keys = Int32Array.from(rows, (r) => {
      const c0 = classOf.get(r.sites[0]);
      const c1 = classOf.get(r.sites[1]);
      // O–O (both classified) and bonds without an O say nothing about one O's environment
      if ((c0 === undefined) === (c1 === undefined)) {
        if (c0 === undefined && r.elements.includes('O')) unclassified++;
        return -1;
      }
      const [cls, other] = c0 !== undefined ? [c0, r.elements[1]] : [c1!, r.elements[0]];
      return keyOf(classes, `${cls}-${tm.has(other) ? 'TM' : other}`);
    });
    if (unclassified > 0) warnings.push(`${unclassified} bonds name an O that the census did not classify`);
    if (classes.names.length > 0) addGroups('class', classes, keys);
    else if (census.sites.length > 0) warnings.push('no bond joins a census-classified O to a cation');
  }

  // per O: every line counts for both of its atoms (LOBSTER lists each pair once per translation)
  // a fragment named O (`O_3`) is still no O site
  const oSites = lcfo ? [] : [...new Set(rows.flatMap((r) => r.sites.filter((_, i) => r.elements[i] === 'O')))].sort((p, r) => p - r);
  const oKey = new Map(oSites.map((s, k) => [s, k]));
  const perO: PerO[] = [];
  if (oSites.length > 0) {
    const nO = oSites.length;
    // one entry per (bond, O end); an O–O bond with two different O sites counts for both
    const ends: { key: number; value: number; tmBond: boolean }[] = [];
    for (const r of rows) {
      const seen = new Set<number>();
      r.sites.forEach((site, i) => {
        if (r.elements[i] !== 'O' || seen.has(site)) return;
        seen.add(site);
        ends.push({ key: oKey.get(site)!, value: r.value, tmBond: tm.has(r.elements[1 - i]) });
      });
    }
    const keys = Int32Array.from(ends, (e) => e.key);
    const all = kernels.segmentSums(Float64Array.from(ends, (e) => e.value), keys, nO);
    const tmOnly = census ? kernels.segmentSums(Float64Array.from(ends, (e) => (e.tmBond ? e.value : 0)), Int32Array.from(ends, (e) => (e.tmBond ? e.key : -1)), nO) : undefined;
    oSites.forEach((site, k) => {
      perO.push({
        index: site,
        label: `O${site + 1}`,
        ...(census ? { class: classOf.get(site) } : {}),
        nBonds: all.count[k],
        sumMinusIcohp: all.sum[k],
        ...(tmOnly ? { nTMBonds: tmOnly.count[k], sumMinusIcohpTM: tmOnly.sum[k] } : {}),
      });
    });
  }

  return {
    kind: list.kind,
    basis: lcfo ? 'lcfo' : 'atoms',
    quantity: q.name,
    layout: list.layout,
    nspin,
    spin: nspin === 2 ? 'summed' : 'single',
    bonds: n,
    cutoff,
    groups,
    perO,
    bondList: rows,
    multiCentre,
    warnings,
    definitions: {
      value: `${q.name} at E_F as LOBSTER lists it, ${q.sign < 0 ? 'sign flipped so that ' : ''}positive = bonding; spin-polarised: spin up + spin down`,
      ...(multiCentre.length > 0 ? { multiCentre: MULTI_CENTRE_DEFINITION } : {}),
      count: 'bonds in the group: each ICOHPLIST line once (LOBSTER lists each pair once per lattice translation)',
      meanMinusIcohp: 'sum over the group’s bonds divided by their count (per bond)',
      sumMinusIcohp: 'sum over the group’s bonds',
      classGroups: 'with a census: the class of the O in the bond and the other atom (TM = the census TM set), e.g. O5-TM',
      perO: 'sum over the bonds that have the O in either column',
      cutoff: 'bonds longer than the cutoff (Å) are left out',
    },
    units: {
      value: list.kind === 'cohp' ? 'eV per bond (spins summed)' : `${q.unit} per bond (spins summed)`,
      meanMinusIcohp: list.kind === 'cohp' ? 'eV per bond' : `${q.unit} per bond`,
      sumMinusIcohp: list.kind === 'cohp' ? 'eV (summed over bonds)' : `${q.unit} (summed over bonds)`,
      length: 'Å',
      ...(multiCentre.length > 0 ? { multiCentre: MULTI_CENTRE_UNIT } : {}),
    },
  };
}

const MULTI_CENTRE_DEFINITION =
  'n-centre COBI entries (3, 4 … atoms; NcICOBILIST lists 2-centre ones too): the ICOBI of the whole n-centre interaction at E_F, spins summed, one value per entry; grouped by element chain (a chain and its reverse are one group), never with the pairs; no length, so the cutoff does not apply';
const MULTI_CENTRE_UNIT = 'ICOBI per multi-centre entry (dimensionless, spins summed); group sums over the entries';

function multiCentreRow(index: number, atoms: BondAtom[], value: number, bySpin?: number[]): MultiCentreRow {
  const withCells = atoms.some((a) => a.translation);
  return {
    index,
    // the cells say which periodic images join: Ge3[0 0 1] is not Ge3
    label: atoms.map((a) => (a.translation ? `${a.label}[${a.translation.join(' ')}]` : a.label)).join('->'),
    atoms: atoms.map((a) => a.label),
    sites: atoms.map((a) => a.number - 1),
    elements: atoms.map((a) => a.element),
    ...(withCells ? { translations: atoms.map((a) => a.translation ?? null) } : {}),
    nCentres: atoms.length,
    value,
    ...(bySpin ? { bySpin } : {}),
  };
}

/** Groups of multi-centre entries by element chain (`B-H-B (3 centres)`); a chain and its reverse are one group. */
function multiCentreGroups(rows: MultiCentreRow[], kernels: Kernels, nspin: 1 | 2): BondGroup[] {
  if (rows.length === 0) return [];
  const table: KeyTable = { names: [], index: new Map() };
  const keys = Int32Array.from(rows, (r) => {
    const fwd = r.elements.join('-');
    const back = [...r.elements].reverse().join('-');
    return keyOf(table, `${fwd < back ? fwd : back} (${r.nCentres} centres)`);
  });
  const columns = [Float64Array.from(rows, (r) => r.value)];
  if (nspin === 2) for (let s = 0; s < 2; s++) columns.push(Float64Array.from(rows, (r) => r.bySpin![s]));
  return keyedGroups(kernels, table.names, keys, columns, 'multi-centre', (a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * One group per name: count, mean and sum of each column by key (column 0 the value summed over spins, then one
 * column per spin when there are two), in the order `compare` gives the names.
 */
function keyedGroups(kernels: Kernels, names: string[], keys: Int32Array, columns: Float64Array[], by: BondGroup['by'], compare: (a: string, b: string) => number): BondGroup[] {
  const sums = columns.map((c) => kernels.segmentSums(c, keys, names.length));
  const order = names.map((_, k) => k).sort((p, r) => compare(names[p], names[r]));
  return order.map((k) => {
    const count = sums[0].count[k];
    return {
      name: names[k],
      by,
      count,
      meanMinusIcohp: sums[0].sum[k] / count,
      sumMinusIcohp: sums[0].sum[k],
      ...(columns.length === 3 ? { spins: [1, 2].map((c) => ({ mean: sums[c].sum[k] / count, sum: sums[c].sum[k] })) } : {}),
    };
  });
}

export interface CohpIntegrationRow {
  index: number;
  /** the atoms of the bond, `Fe8->Fe7` */
  label: string;
  sites: number[];
  /** Å */
  length: number;
  /** ∫ COHP from the first energy of the file to E_F (cumulative trapezoid, interpolated at E = 0), spins summed */
  integrated: number;
  /** the file's own ICOHP column at E_F (interpolated at E = 0), spins summed */
  file: number;
  /** file − integrated: the file's column includes states below the first energy of the curve */
  difference: number;
  /** the file's ICOHP column at the first energy (what the curve does not cover) */
  fileAtFirstEnergy: number;
  /** per spin: integrated and file values */
  bySpin?: { integrated: number; file: number }[];
  /** the file has no summed line for this bond: its curves are the sums of its orbital pairs */
  summedFromOrbitals?: true;
}

export interface CohpcarResult {
  kind: CohpKind;
  /** atoms, or LCFO fragments (COHPCAR.LCFO: group names are fragment-name pairs) */
  basis: 'atoms' | 'lcfo';
  quantity: string;
  nspin: 1 | 2;
  spin: 'summed' | 'single';
  /** absolute Fermi level of the DFT run (eV); energies are E − E_F */
  efermi: number;
  energyRange: [number, number];
  nPoints: number;
  /** two-centre bond totals (orbital-resolved entries not counted) */
  bonds: number;
  /** groups by element pair, from the file's ICOHP column at E_F (the value LOBSTER states); multi-centre entries in their own groups */
  groups: BondGroup[];
  /** multi-centre totals (COBICAR of LOBSTER ≥ 4.1): value = the file's ICOBI column at E_F, spins summed */
  multiCentre: MultiCentreRow[];
  integration: CohpIntegrationRow[];
  /** largest |difference| over the bonds */
  maxDifference: number;
  warnings: string[];
  definitions: Record<string, string>;
  units: Record<string, string>;
}

/** Value of a sampled curve at E = 0 by linear interpolation (clamped to the ends). */
function atZero(energies: Float64Array, y: Float64Array, offset: number, n: number): number {
  if (0 <= energies[0]) return y[offset];
  if (0 >= energies[n - 1]) return y[offset + n - 1];
  let i = 1;
  while (energies[i] < 0) i++;
  const t = (0 - energies[i - 1]) / (energies[i] - energies[i - 1]);
  return y[offset + i - 1] + t * (y[offset + i] - y[offset + i - 1]);
}

/** A COHPCAR: ICOHP up to E_F integrated from the curves, against the file's integrated column, plus pair groups. */
export function cohpcarAnalysis(cohp: Cohp, kernels: Kernels, options: { cutoff?: number } = {}): CohpcarResult {
  const q = quantityOf(cohp.kind);
  const warnings: string[] = [];
  if (cohp.basis === 'lcfo') warnings.push(`${LCFO_LABELS}: groups are fragment-name pairs`);
  const cutoff = options.cutoff;
  const all = bondTotals(cohp.bonds);
  const multiTotals = all.filter((i) => cohp.bonds[i].atoms.length > 2);
  let totals = all.filter((i) => cohp.bonds[i].atoms.length === 2);
  if (cutoff !== undefined) totals = totals.filter((i) => cohp.bonds[i].length <= cutoff);
  if (totals.length === 0 && multiTotals.length === 0) throw new AnalysisOptionError('the COHPCAR holds no bond totals' + (cutoff !== undefined ? ` shorter than ${cutoff} Å` : ''));
  const { nspin, nPoints, energies } = cohp;
  const multiCentre = multiTotals.map((b) => {
    const bond = cohp.bonds[b];
    const bySpin = Array.from({ length: nspin }, (_, s) => q.sign * atZero(energies, cohpChannel(cohp, b, s, 'icohp'), 0, nPoints));
    return multiCentreRow(bond.index, bond.atoms, bySpin.reduce((t, v) => t + v, 0), nspin === 2 ? bySpin : undefined);
  });
  if (energies[0] > 0 || energies[nPoints - 1] < 0) warnings.push('the energy grid does not reach E_F; values are taken at the nearest end');

  // the curves of the selected bonds, one channel per (bond, spin)
  const channels = new Float64Array(totals.length * nspin * nPoints);
  totals.forEach((b, k) => {
    for (let s = 0; s < nspin; s++) channels.set(cohpChannel(cohp, b, s), (k * nspin + s) * nPoints);
  });
  const running = kernels.cumulative(energies, channels, totals.length * nspin);

  const integration: CohpIntegrationRow[] = totals.map((b, k) => {
    const bond = cohp.bonds[b];
    const spins = Array.from({ length: nspin }, (_, s) => {
      const ch = (k * nspin + s) * nPoints;
      const file = cohpChannel(cohp, b, s, 'icohp');
      return { integrated: q.sign * atZero(energies, running, ch, nPoints), file: q.sign * atZero(energies, file, 0, nPoints), first: q.sign * file[0] };
    });
    const integrated = spins.reduce((t, s) => t + s.integrated, 0);
    const file = spins.reduce((t, s) => t + s.file, 0);
    return {
      index: bond.index,
      label: bond.atoms.map((a) => a.label).join('->'),
      sites: bond.atoms.map((a) => a.number - 1),
      length: bond.length,
      integrated,
      file,
      difference: file - integrated,
      fileAtFirstEnergy: spins.reduce((t, s) => t + s.first, 0),
      ...(nspin === 2 ? { bySpin: spins.map((s) => ({ integrated: s.integrated, file: s.file })) } : {}),
      ...(bond.summedFromOrbitals ? { summedFromOrbitals: true as const } : {}),
    };
  });

  const pairs: KeyTable = { names: [], index: new Map() };
  const keys = Int32Array.from(totals, (b) => keyOf(pairs, pairName(cohp.bonds[b].atoms[0].element, cohp.bonds[b].atoms[1].element)));
  const columns = [Float64Array.from(integration, (r) => r.file)];
  if (nspin === 2) for (let s = 0; s < 2; s++) columns.push(Float64Array.from(integration, (r) => r.bySpin![s].file));
  const groups = keyedGroups(kernels, pairs.names, keys, columns, 'pair', (a, b) => a.localeCompare(b));

  return {
    kind: cohp.kind,
    basis: cohp.basis === 'lcfo' ? 'lcfo' : 'atoms',
    quantity: q.name,
    nspin,
    spin: nspin === 2 ? 'summed' : 'single',
    efermi: cohp.efermi,
    energyRange: [energies[0], energies[nPoints - 1]],
    nPoints,
    bonds: totals.length,
    groups: [...groups, ...multiCentreGroups(multiCentre, kernels, nspin)],
    multiCentre,
    integration,
    maxDifference: integration.reduce((m, r) => Math.max(m, Math.abs(r.difference)), 0),
    warnings,
    definitions: {
      integrated: `∫ pCOHP dE from the first energy of the file up to E_F (cumulative trapezoid kernel, linear interpolation at E = 0), ${q.sign < 0 ? 'sign flipped, ' : ''}spins summed`,
      file: "the file's own integrated column at E_F (linear interpolation at E = 0), spins summed",
      difference: 'file − integrated; LOBSTER integrates over all states, so the file column starts at the integral below the first energy (fileAtFirstEnergy)',
      groups: "by element pair, from the file's integrated column at E_F",
      ...(multiCentre.length > 0 ? { multiCentre: MULTI_CENTRE_DEFINITION } : {}),
    },
    units: {
      integrated: cohp.kind === 'cohp' ? 'eV per bond' : `${q.unit} per bond`,
      file: cohp.kind === 'cohp' ? 'eV per bond' : `${q.unit} per bond`,
      meanMinusIcohp: cohp.kind === 'cohp' ? 'eV per bond' : `${q.unit} per bond`,
      sumMinusIcohp: cohp.kind === 'cohp' ? 'eV (summed over bonds)' : `${q.unit} (summed over bonds)`,
      energy: 'eV relative to E_F',
      ...(multiCentre.length > 0 ? { multiCentre: MULTI_CENTRE_UNIT } : {}),
    },
  };
}

/**
 * −COHP curves (COOP/COBI as they are) of chosen bonds for plotting, spins summed. `indices` are LOBSTER bond numbers
 * (No.k of the bond totals); by default the `top` bonds with the largest bond-strength value at E_F.
 */
export function cohpCurves(cohp: Cohp, indices?: number[], top = 4): { energies: Float64Array; kind: string; bonds: { index: number; label: string; minusCohp: Float64Array }[] } {
  const q = quantityOf(cohp.kind);
  const totals = bondTotals(cohp.bonds);
  let chosen: number[];
  if (indices && indices.length > 0) {
    chosen = indices.map((k) => {
      const b = totals.find((i) => cohp.bonds[i].index === k);
      if (b === undefined) throw new AnalysisOptionError(`no bond No.${k} in the COHPCAR (bonds ${cohp.bonds[totals[0]]?.index ?? '–'}…${cohp.bonds[totals[totals.length - 1]]?.index ?? '–'})`);
      return b;
    });
  } else {
    const strength = (b: number) => {
      let v = 0;
      for (let s = 0; s < cohp.nspin; s++) v += q.sign * atZero(cohp.energies, cohpChannel(cohp, b, s, 'icohp'), 0, cohp.nPoints);
      return v;
    };
    chosen = [...totals].sort((p, r) => strength(r) - strength(p)).slice(0, top);
  }
  return {
    energies: cohp.energies,
    kind: cohp.kind.toUpperCase(),
    bonds: chosen.map((b) => {
      const y = new Float64Array(cohp.nPoints);
      for (let s = 0; s < cohp.nspin; s++) {
        const c = cohpChannel(cohp, b, s);
        for (let e = 0; e < cohp.nPoints; e++) y[e] += q.sign * c[e];
      }
      const bond = cohp.bonds[b];
      const label = `No.${bond.index} ${bond.atoms.map((a) => a.label).join('–')}${Number.isFinite(bond.length) ? ` (${bond.length.toFixed(3)} Å)` : ''}`;
      return { index: bond.index, label, minusCohp: y };
    }),
  };
}
