import { isElement } from '../../model/elements.js';
import { UsageError } from '../../errors.js';

/**
 * Composition of an SQS on the two sublattices of an O3 layered oxide, rounded to whole sites.
 *
 * The formula is read per O2 (one TM-layer and one Li-layer site per formula unit): all TM go to the TM layer,
 * which Li fills up to one site (TM-layer Li = 1 − ΣTM); the remaining Li must fill the Li layer. Counts are the
 * per-site shares × the number of sites, rounded by largest remainder (Hamilton) so every site is filled; ties go
 * to the species listed first. Delithiation removes `delithiate` Li per O2 (× sites, rounded), of it the share
 * `tmLayerLi` of the TM-layer Li (rounded), by default TM-layer Li first; the rest from the Li layer.
 */
export const VACANCY = 'Va';

export interface SublatticeCounts {
  sites: number;
  /** species → number of sites, in formula order; vacancies as VACANCY */
  counts: Record<string, number>;
  /** species → requested (unrounded) number */
  requested: Record<string, number>;
}

export interface SqsComposition {
  tmLayer: SublatticeCounts;
  liLayer: SublatticeCounts;
  delithiation?: { requested: number; removed: number; tmLayer: { requested: number; removed: number }; liLayer: number };
  /** the model's cation composition per O2 (vacancies omitted) */
  perO2: Record<string, number>;
  /** one line saying how the composition was rounded */
  rounding: string;
}

/** `Li1.2Mn0.54Ni0.13Co0.13O2` → element amounts in order (amount 1 when omitted). */
export function parseFormula(formula: string): [string, number][] {
  const out: [string, number][] = [];
  const re = /([A-Z][a-z]?)(\d*\.?\d*(?:[eE][-+]?\d+)?)/gy;
  let at = 0;
  for (let m = re.exec(formula); m && m[0] !== ''; m = re.exec(formula)) {
    if (!isElement(m[1])) throw new UsageError(`composition ${formula}: unknown element ${m[1]}`);
    const x = m[2] === '' ? 1 : Number(m[2]);
    if (!(x > 0 && Number.isFinite(x))) throw new UsageError(`composition ${formula}: bad amount "${m[2]}" for ${m[1]}`);
    const prev = out.find((e) => e[0] === m[1]);
    if (prev) prev[1] += x;
    else out.push([m[1], x]);
    at = re.lastIndex;
  }
  if (at !== formula.length || out.length === 0) throw new UsageError(`composition ${formula}: expected a formula like Li1.2Mn0.54Ni0.13Co0.13O2`);
  return out;
}

/** Largest-remainder rounding of `shares` (summing to 1) onto `n` whole sites. */
export function apportion(shares: number[], n: number): number[] {
  const exact = shares.map((x) => x * n);
  const out = exact.map(Math.floor);
  let left = n - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((p, q) => q.r - p.r || p.i - q.i);
  for (let k = 0; left > 0; k++, left--) out[order[k % order.length].i]++;
  return out;
}

const fmt = (x: number) => String(Math.round(x * 1e4) / 1e4);
/** requested counts as stored: products like (1/3)·27 = 9.000000000000002 read as what they mean */
const clean = (x: number) => Math.round(x * 1e9) / 1e9;

export function sqsComposition(
  formula: string, sites: { tm: number; li: number },
  delith?: { delithiate: number; tmLayerLi?: number },
): SqsComposition {
  const elements = parseFormula(formula);
  const o = elements.find((e) => e[0] === 'O')?.[1];
  if (!o) throw new UsageError(`composition ${formula}: no O`);
  const per = (x: number) => (2 * x) / o;
  const tmSpecies = elements.filter(([e]) => e !== 'O' && e !== 'Li').map(([e, x]) => [e, per(x)] as [string, number]);
  const li = per(elements.find((e) => e[0] === 'Li')?.[1] ?? 0);
  const sumTM = tmSpecies.reduce((a, [, x]) => a + x, 0);
  if (sumTM > 1 + 1e-6) throw new UsageError(`composition ${formula}: ${fmt(sumTM)} TM per O2 is more than the one TM-layer site`);
  const liTM = Math.max(0, 1 - sumTM);
  if (Math.abs(li - liTM - 1) > 0.01) {
    throw new UsageError(`composition ${formula}: ${fmt(li)} Li per O2, but a pristine O3 layered oxide with ${fmt(sumTM)} TM has ${fmt(1 + liTM)} (use --delithiate for less)`);
  }
  if (sites.tm !== sites.li) throw new UsageError(`the parent has ${sites.tm} TM-layer and ${sites.li} Li-layer sites; an O3 layered oxide has as many of each`);
  const tmNames = ['Li', ...tmSpecies.map(([e]) => e)];
  const shares = [liTM, ...tmSpecies.map(([, x]) => x)];
  const rounded = apportion(shares, sites.tm);
  const tmLayer: SublatticeCounts = { sites: sites.tm, counts: {}, requested: {} };
  tmNames.forEach((e, k) => {
    tmLayer.counts[e] = rounded[k];
    tmLayer.requested[e] = clean(shares[k] * sites.tm);
  });
  const liLayer: SublatticeCounts = { sites: sites.li, counts: { Li: sites.li }, requested: { Li: sites.li } };
  const parts = [`TM layer (${sites.tm} sites): ${tmNames.map((e) => `${e} ${fmt(tmLayer.requested[e])} → ${tmLayer.counts[e]}`).join(', ')} (largest remainder)`, `Li layer (${sites.li} sites): Li ${sites.li}`];

  let delithiation: SqsComposition['delithiation'];
  if (delith) {
    const { delithiate, tmLayerLi } = delith;
    const haveTM = tmLayer.counts.Li;
    const wanted = delithiate * sites.tm;
    const removed = Math.round(wanted);
    const tmWanted = tmLayerLi === undefined ? Math.min(removed, haveTM) : tmLayerLi * haveTM;
    const tmRemoved = Math.round(tmWanted);
    const liRemoved = removed - tmRemoved;
    if (tmRemoved > removed) throw new UsageError(`--tm-layer-li ${tmLayerLi}: ${tmRemoved} TM-layer Li is more than the ${removed} Li removed by --delithiate ${delithiate}`);
    if (liRemoved > sites.li) throw new UsageError(`--delithiate ${delithiate}: ${removed} Li to remove, but only ${haveTM + sites.li} Li in the cell`);
    tmLayer.counts.Li -= tmRemoved;
    tmLayer.counts[VACANCY] = tmRemoved;
    tmLayer.requested[VACANCY] = clean(tmWanted);
    liLayer.counts.Li -= liRemoved;
    liLayer.counts[VACANCY] = liRemoved;
    liLayer.requested[VACANCY] = clean(wanted - tmWanted);
    delithiation = { requested: clean(wanted), removed, tmLayer: { requested: clean(tmWanted), removed: tmRemoved }, liLayer: liRemoved };
    parts.push(`delithiation ${delithiate} Li per O2 × ${sites.tm} = ${fmt(wanted)} → ${removed} Li removed: ${tmRemoved} from the TM layer (${fmt(tmWanted)} → ${tmRemoved}) and ${liRemoved} from the Li layer`);
  }
  const perO2: Record<string, number> = {};
  for (const L of [tmLayer, liLayer]) {
    for (const [e, c] of Object.entries(L.counts)) if (e !== VACANCY) perO2[e] = (perO2[e] ?? 0) + c / sites.tm;
  }
  const model = Object.entries(perO2).map(([e, x]) => `${e}${fmt(x)}`).join('') + 'O2';
  parts.push(`model ${model}`);
  return { tmLayer, liLayer, delithiation, perO2, rounding: parts.join('; ') };
}
