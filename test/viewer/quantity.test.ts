import { describe, expect, it } from 'vitest';
import { makeStructure } from '../../src/model/structure.js';
import { jsKernels } from '../../src/kernels/index.js';
import type { Charges } from '../../src/model/lobster.js';
import { colourAt, colourScale, colourable, contactSegments, folderInputs, gradientCss, NO_VALUE, quantityLines } from '../../viewer/src/describe/quantity.js';
import type { BaderCharges } from '../../src/model/populations.js';
import type { SiteInputs } from '../../src/analysis/sites.js';
import { calculationSites } from '../../src/pipeline/sites.js';

/** The pipeline's per-site result (what the viewer colours by), no reference. */
const analyseSites = (s: typeof cell, inputs: SiteInputs) => calculationSites(s, 'dimer', { inputs, files: {} }, jsKernels, {}, []).result;

/** Mn bonded to two O 1.45 Å apart, a lone O far away: cubic 10 Å cell. */
const cell = makeStructure({
  comment: 'dimer',
  lattice: Float64Array.of(10, 0, 0, 0, 10, 0, 0, 0, 10),
  species: ['Mn', 'O', 'O', 'O'],
  frac: Float64Array.of(0.27, 0.1, 0.1725, 0.1, 0.1, 0.1, 0.1, 0.1, 0.245, 0.6, 0.6, 0.6),
});
const charges: Charges = { labels: ['Mn1', 'O2', 'O3', 'O4'], elements: ['Mn', 'O', 'O', 'O'], mulliken: Float64Array.of(1.2, -0.4, -0.4, -0.8), loewdin: Float64Array.of(1, -0.3, -0.3, -0.6) };

describe('viewer: colouring by a per-site quantity', () => {
  const r = analyseSites(cell, { charges });

  it('a diverging scale for values of both signs: red for the largest positive, blue for the most negative, white at 0', () => {
    const s = colourScale(r, 'mulliken');
    expect([s.min, s.max, s.kind, s.unit]).toEqual([-0.8, 1.2, 'diverging', 'e']);
    // symmetric around 0 with |max| = 1.2: +1.2 → the last stop, −0.8 → two thirds of the way to the first
    expect(Array.from(s.colors.subarray(0, 3)).map((x) => +x.toFixed(4))).toEqual([0.7, 0.09, 0.17]);
    expect(colourAt(s, 0)).toEqual([0.97, 0.97, 0.97]);
    const blue = colourAt(s, -1.2);
    expect(blue).toEqual([0.13, 0.4, 0.67]);
    // by hand: −0.8 → t = 0.5 − 0.8/2.4 = 1/6, ⅔ from stop 0 to stop 1 → (0.423, 0.647, 0.803)·255 = (108, 165, 205);
    // 0.2 → t = 7/12, ⅓ from stop 2 to stop 3 → (0.9667, 0.8633, 0.8167)·255 = (247, 220, 208)
    expect(gradientCss(s, 2)).toBe('linear-gradient(to right, rgb(108, 165, 205) 0.0%, rgb(247, 220, 208) 50.0%, rgb(179, 23, 43) 100.0%)');
  });

  it('a sequential scale for one-signed values; grey where a site has no value', () => {
    const acf: BaderCharges = { cart: Float64Array.from(cell.cart), electrons: Float64Array.of(11.4, 7.2, 7.1, 7.5), minDist: new Float64Array(4), volume: new Float64Array(4), vacuumCharge: 0, vacuumVolume: 0, totalElectrons: 33.2 };
    const rb = analyseSites(cell, { bader: { acf, zval: { O: 6 } } });
    expect(colourable(rb)).toEqual(['bader', 'baderElectrons']);
    const s = colourScale(rb, 'bader');
    // Mn has no ZVAL: no net charge, drawn grey; the O are −1.2, −1.1, −1.5 → sequential from −1.5 to −1.1
    expect(Array.from(s.colors.subarray(0, 3)).map((x) => +x.toFixed(2))).toEqual(NO_VALUE);
    expect([s.kind, s.min, s.max].map((x) => (typeof x === 'number' ? +x.toFixed(10) : x))).toEqual(['sequential', -1.5, -1.1]);
    expect(Array.from(s.colors.subarray(9, 12)).map((x) => +x.toFixed(4))).toEqual([0.27, 0, 0.33]);
  });

  it('O–O contacts as segments to the image of the second O; picked-atom lines with units', () => {
    expect(r.contacts.counts.total).toBe(1);
    const seg = Array.from(contactSegments(r, cell)).map((x) => +x.toFixed(6));
    expect(seg).toEqual([1, 1, 1, 1, 1, 2.45]);
    expect(quantityLines(r, 1)).toEqual(['mulliken -0.4000 e', 'loewdin -0.3000 e']);
    expect(quantityLines(r, 99)).toEqual([]);
  });

  it('a folder’s files merge into one input; the OUTCAR’s ZVAL reaches the Bader file', () => {
    const acf = { cart: new Float64Array(0) } as BaderCharges;
    const merged = folderInputs([{ inputs: { bader: { acf } } }, { inputs: { charges }, zval: { O: 6 } }]);
    expect(merged.charges).toBe(charges);
    expect(merged.bader).toEqual({ acf, zval: { O: 6 } });
  });
});
