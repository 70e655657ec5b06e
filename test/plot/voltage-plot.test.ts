import { describe, expect, it } from 'vitest';
import { SaxesParser } from 'saxes';
import { voltagePlot } from '../../src/plot/voltage-plot.js';

function ids(svg: string): string[] {
  const out: string[] = [];
  const p = new SaxesParser();
  p.on('error', (e) => {
    throw e;
  });
  p.on('opentag', (t) => {
    const id = (t.attributes as Record<string, string>).id;
    if (id) out.push(id);
  });
  p.write(svg).close();
  return out;
}

const data = {
  steps: [{ x1: 0, x2: 0.5, voltage: 4.5 }, { x1: 0.5, x2: 1, voltage: 3.9 }],
  points: [
    { x: 0, onHull: true, classes: { O4: 1 } },
    { x: 0.5, onHull: true, classes: { O4: 0.8, O5: 0.2 } },
    { x: 0.5, onHull: false, classes: { O4: 1 } },
    { x: 1, onHull: true, classes: { O4: 1 } },
  ],
  classNames: ['O4', 'O5'],
};

describe('voltage plot', () => {
  it('two panels on one x axis: well-formed, unique clip ids, the step curve, one class line per class', () => {
    const svg = voltagePlot(data, { xLabel: 'x in LixMnO2' });
    expect(ids(svg)).toEqual(['plot-area-0', 'plot-area-1']);
    const paths = [...svg.matchAll(/<path class="series" d="([^"]+)"[^>]*stroke="([^"]+)"/g)];
    // step curve: 4 vertices (x1,V1) (x2,V1) (x2,V2) (x3,V2): a horizontal, a vertical, a horizontal segment
    const step = paths[0][1].match(/-?\d+(\.\d+)?/g)!.map(Number);
    expect(step).toHaveLength(8);
    expect(step[1]).toBe(step[3]);
    expect(step[2]).toBe(step[4]);
    expect(step[5]).toBe(step[7]);
    expect(step[5]).toBeGreaterThan(step[1]); // lower voltage is lower on the page (larger y)
    expect(paths).toHaveLength(3);
    expect(svg).toContain('x in LixMnO2');
    expect(svg).toContain('O5 (hull points)');
    // one x-axis label set, under the lower panel only
    expect(svg.match(/x in LixMnO2/g)).toHaveLength(1);
    expect(voltagePlot(data, { xLabel: 'x' })).toBe(voltagePlot(data, { xLabel: 'x' }));
  });

  it('without voltages: the class panel and a line saying why', () => {
    const svg = voltagePlot({ ...data, steps: data.steps.map((s) => ({ ...s, voltage: null })) }, { xLabel: 'x' });
    expect(svg).toContain('no Li energy: no voltages');
  });
});
