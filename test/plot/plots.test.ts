import { describe, expect, it } from 'vitest';
import { SaxesParser } from 'saxes';
import { renderBars, renderXY, esc } from '../../src/plot/svg.js';
import { dosPlot } from '../../src/plot/dos-plot.js';
import { cohpPlot } from '../../src/plot/cohp-plot.js';
import { nebPlot } from '../../src/plot/neb-plot.js';
import { classPlot } from '../../src/plot/class-plot.js';
import { pathFractionPlot } from '../../src/plot/path-plot.js';

/** Element names and attributes of an SVG string; throws when it is not well-formed XML. */
function parse(svg: string): { name: string; attributes: Record<string, string> }[] {
  const out: { name: string; attributes: Record<string, string> }[] = [];
  const p = new SaxesParser();
  p.on('error', (e) => {
    throw e;
  });
  p.on('opentag', (t) => out.push({ name: t.name, attributes: t.attributes as Record<string, string> }));
  p.write(svg).close();
  return out;
}

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
const byClass = (els: ReturnType<typeof parse>, cls: string) => els.filter((e) => e.attributes.class === cls);

describe('svg kit', () => {
  it('an x–y chart: well-formed, axes with unit labels, band, lines, markers, legend; deterministic', () => {
    const chart = {
      title: 'A & B <test>',
      x: { label: 'E − E_F (eV)' },
      y: { label: 'PDOS (states/eV)' },
      bands: [{ from: -2, to: 0, label: 'window' }],
      lines: [{ x: [-3, -2, -1, 0, 1], y: [0, 1, 2, 1, 0], label: 'O' }, { x: [-3, 1], y: [0.5, 0.5], label: 'Mn', dash: '4 3' }],
      markers: [{ x: [0], y: [1], label: 'E_F point', text: ['here'] }],
      refs: [{ axis: 'x' as const, value: 0, label: 'E_F' }],
    };
    const svg = renderXY(chart);
    const els = parse(svg);
    expect(els[0]).toMatchObject({ name: 'svg', attributes: { width: '640', height: '400' } });
    expect(byClass(els, 'series')).toHaveLength(2);
    expect(byClass(els, 'band')).toHaveLength(1);
    expect(byClass(els, 'marker')).toHaveLength(1);
    expect(byClass(els, 'ref')).toHaveLength(1);
    const t = texts(svg);
    expect(t).toContain('A &amp; B &lt;test&gt;');
    expect(t).toEqual(expect.arrayContaining(['E − E_F (eV)', 'PDOS (states/eV)', 'window', 'O', 'Mn', 'E_F point', 'here', 'E_F']));
    // d3 tick labels use the typographic minus
    expect(t).toContain('−2.0');
    expect(renderXY(chart)).toBe(svg);
  });

  it('skips non-finite points and fits the domain to the finite ones', () => {
    const svg = renderXY({ x: { label: 'x' }, y: { label: 'y' }, lines: [{ x: [0, 1, 2, 3], y: [0, NaN, 10, Infinity] }] });
    const d = /class="series" d="([^"]+)"/.exec(svg)![1];
    expect(d.split('L')).toHaveLength(2);
    expect(texts(svg)).toContain('10');
  });

  it('grouped bars: one rect per finite value, category labels, legend only for several series', () => {
    const svg = renderBars({
      categories: ['O3', 'O4', 'O5'],
      series: [{ label: 'a', values: [1, 2, 3] }, { label: 'b', values: [3, NaN, 1] }],
      x: { label: 'class' },
      y: { label: 'count' },
      valueFormat: (v) => `${v}!`,
    });
    const els = parse(svg);
    expect(byClass(els, 'bar')).toHaveLength(5);
    expect(texts(svg)).toEqual(expect.arrayContaining(['O3', 'O4', 'O5', 'a', 'b', '3!']));
    expect(esc('"x"')).toBe('&quot;x&quot;');
  });
});

describe('plot builders', () => {
  it('dosPlot: per-atom curves by group, window shaded, y fitted to the shown range', () => {
    const energies = Float64Array.from({ length: 201 }, (_, i) => -15 + i * 0.1);
    // a huge peak at −14 eV lies outside the shown range and must not set the y scale
    const o = energies.map((e) => (Math.abs(e + 14) < 0.05 ? 100 : Math.exp(-((e + 1) ** 2))));
    const svg = dosPlot({ energies, spin: 'both', groups: [{ name: 'O5', atoms: [1], perAtom: o }, { name: 'O4', atoms: [2, 3], perAtom: o.map((v) => v / 2) }] }, { window: [-2, 0] });
    const els = parse(svg);
    expect(byClass(els, 'series')).toHaveLength(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['O5 (1 atom)', 'O4 (2 atoms)', 'window [−2, 0] eV', 'PDOS (states/eV per atom)', 'E − E_F (eV)']));
    expect(texts(svg)).not.toContain('100');
    const band = byClass(els, 'band')[0].attributes;
    expect(Number(band.width)).toBeGreaterThan(0);
  });

  it('cohpPlot: −COHP with the zero line and E_F', () => {
    const svg = cohpPlot({ energies: [-2, -1, 0, 1], bonds: [{ label: 'Mn1–O5 (1.931 Å)', minusCohp: [0.1, 0.3, -0.2, 0] }] });
    expect(byClass(parse(svg), 'ref')).toHaveLength(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['Mn1–O5 (1.931 Å)', '−pCOHP (eV per bond)', 'above 0: bonding · below 0: antibonding']));
  });

  it('nebPlot: numbered image markers (images without energy left out), spline, barrier line', () => {
    const svg = nebPlot({ x: [0, 1, 2, 3], energies: [null, 0.3, 0.6, 0.1], xs: [0, 1.5, 3], ys: [0, 0.62, 0.1] }, { barrier: 0.62 });
    const els = parse(svg);
    expect(byClass(els, 'marker')).toHaveLength(3);
    expect(byClass(els, 'series')).toHaveLength(1);
    expect(texts(svg)).toEqual(expect.arrayContaining(['01', '02', '03', 'barrier 0.620 eV', 'Reaction coordinate (Å)', 'E − E(image 00) (eV)']));
  });

  it('nebPlot: the y label names the reference image the energies are relative to, markers the image folders', () => {
    const svg = nebPlot({ x: [0, 1, 2], energies: [null, 0, 0.2], names: ['00', '01', '02'], reference: '01', xs: [], ys: [] });
    expect(texts(svg)).toEqual(expect.arrayContaining(['E − E(image 01) (eV)', '01', '02']));
    expect(texts(svg)).not.toContain('E − E(image 00) (eV)');
  });

  it('classPlot: shares in % per structure, classes in numeric order', () => {
    const svg = classPlot([{ label: 'pristine', classes: { O4: 72 } }, { label: 'migrated', classes: { O5: 6, O4: 60, O3: 6 } }]);
    const t = texts(svg);
    expect(t.filter((s) => /^O\d$/.test(s))).toEqual(['O3', 'O4', 'O5']);
    expect(t).toEqual(expect.arrayContaining(['100.0%', '83.3%', '8.3%', 'share of O (%)', 'pristine', 'migrated']));
    expect(byClass(parse(svg), 'bar')).toHaveLength(6);
  });

  it('pathFractionPlot: each class in its viewer colour (O4 purple, O5 yellow), whichever classes are present', () => {
    const svg = pathFractionPlot({ x: [1, 2], frames: [{ fractions: { O4: 1 } }, { fractions: { O4: 0.5, O5: 0.5 } }], classNames: ['O4', 'O5'] });
    const strokes = parse(svg).filter((e) => e.attributes.class === 'series').map((e) => e.attributes.stroke);
    expect(strokes).toEqual(['#9c36b5', '#fcc419']);
    const alone = pathFractionPlot({ x: [1], frames: [{ fractions: { O5: 1 } }], classNames: ['O5'] });
    expect(parse(alone).filter((e) => e.attributes.class === 'series').map((e) => e.attributes.stroke)).toEqual(['#fcc419']);
  });
});
