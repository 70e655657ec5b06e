import type { Structure } from '../../../src/model/structure.js';
import { stats, QUANTITY_UNITS, type Quantity, type SiteInputs, type SitesResult } from '../../../src/analysis/sites.js';

/**
 * Colouring atoms by a per-site quantity (charge, moment, Bader charge, bond sums, site potential, states near
 * E_F): the values come from the calculation pipeline's sites result (src/pipeline/sites.ts) on the files of the
 * structure's folder, the colours from a diverging scale centred on zero when the values change sign (charges,
 * moments) and a sequential one otherwise. Sites without a value are drawn grey. O–O short contacts come with the same analysis and are drawn as sticks.
 */

/** Quantities the colour menu offers for a result (those with at least one value). */
export function colourable(r: SitesResult): Quantity[] {
  return r.quantities.filter((q) => r.sites.some((s) => s.values[q] !== null && s.values[q] !== undefined));
}

export interface ColourScale {
  quantity: Quantity;
  unit: string;
  min: number;
  max: number;
  /** diverging (blue – white – red around 0) or sequential (dark blue – yellow) */
  kind: 'diverging' | 'sequential';
  /** RGB 0..1 per site, 3 floats each; NO_VALUE grey where the site has no value */
  colors: Float32Array;
}

export const NO_VALUE: [number, number, number] = [0.62, 0.64, 0.66];

/** Stops of the two scales (RGB 0..1), evenly spaced. */
const DIVERGING: [number, number, number][] = [[0.13, 0.4, 0.67], [0.57, 0.77, 0.87], [0.97, 0.97, 0.97], [0.96, 0.65, 0.51], [0.7, 0.09, 0.17]];
const SEQUENTIAL: [number, number, number][] = [[0.27, 0.0, 0.33], [0.23, 0.32, 0.55], [0.13, 0.57, 0.55], [0.37, 0.79, 0.38], [0.99, 0.91, 0.14]];

function along(stops: [number, number, number][], t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(x));
  const f = x - k;
  return [0, 1, 2].map((c) => stops[k][c] + f * (stops[k + 1][c] - stops[k][c])) as [number, number, number];
}

/** The colour of a value on a scale (also the colour bar's stops). */
export function colourAt(scale: Pick<ColourScale, 'min' | 'max' | 'kind'>, v: number): [number, number, number] {
  if (scale.kind === 'diverging') {
    const m = Math.max(Math.abs(scale.min), Math.abs(scale.max)) || 1;
    return along(DIVERGING, 0.5 + v / (2 * m));
  }
  const span = scale.max - scale.min;
  return along(SEQUENTIAL, span > 0 ? (v - scale.min) / span : 0.5);
}

export function colourScale(r: SitesResult, quantity: Quantity): ColourScale {
  const values = r.sites.map((s) => s.values[quantity]);
  const have = stats(values.filter((v): v is number => v !== null && v !== undefined));
  const min = have.min ?? 0;
  const max = have.max ?? 0;
  const kind = min < 0 && max > 0 ? 'diverging' : 'sequential';
  const colors = new Float32Array(3 * values.length);
  values.forEach((v, i) => colors.set(v === null || v === undefined ? NO_VALUE : colourAt({ min, max, kind }, v), 3 * i));
  return { quantity, unit: QUANTITY_UNITS[quantity], min, max, kind, colors };
}

/** CSS linear-gradient of a scale, left = min, right = max (the colour bar). */
export function gradientCss(scale: Pick<ColourScale, 'min' | 'max' | 'kind'>, steps = 8): string {
  const stops = Array.from({ length: steps + 1 }, (_, k) => {
    const v = scale.min + ((scale.max - scale.min) * k) / steps;
    const [r, g, b] = colourAt(scale, v).map((c) => Math.round(255 * c));
    return `rgb(${r}, ${g}, ${b}) ${((100 * k) / steps).toFixed(1)}%`;
  });
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

/** O–O contacts as segments (6 floats each, Å): from O a to the image of O b, in the unit cell's frame. */
export function contactSegments(r: SitesResult, structure: Structure): Float32Array {
  const out = new Float32Array(6 * r.contacts.contacts.length);
  const L = structure.lattice, c = structure.cart;
  r.contacts.contacts.forEach((x, k) => {
    for (let d = 0; d < 3; d++) {
      out[6 * k + d] = c[3 * x.a + d];
      out[6 * k + 3 + d] = c[3 * x.b + d] + x.image[0] * L[d] + x.image[1] * L[3 + d] + x.image[2] * L[6 + d];
    }
  });
  return out;
}

/** The per-atom inputs of one folder: site-data files, the DOS and the ICOHPLIST of the folder together. */
export function folderInputs(parts: { inputs: SiteInputs; zval?: Record<string, number> }[]): SiteInputs {
  const out: SiteInputs = {};
  let zval: Record<string, number> | undefined;
  for (const p of parts) {
    Object.assign(out, p.inputs);
    if (p.zval) zval = p.zval;
  }
  if (out.bader && zval) out.bader = { ...out.bader, zval };
  return out;
}

/** Lines for the picked-atom panel: each quantity the site has, with its unit. */
export function quantityLines(r: SitesResult, site: number): string[] {
  const row = r.sites[site];
  if (!row) return [];
  return r.quantities.flatMap((q) => {
    const v = row.values[q];
    return v === null || v === undefined ? [] : [`${q} ${v.toFixed(4)} ${QUANTITY_UNITS[q]}`];
  });
}
