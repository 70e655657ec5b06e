import { PALETTE, renderStack, type LineSeries, type MarkerSeries } from './svg.js';

export interface VoltagePlotData {
  /** the hull steps: x₁ < x₂ (Li per formula unit) and their average voltage (V) */
  steps: { x1: number; x2: number; voltage: number | null }[];
  /** every calculation: x, on the hull or not, and its census class fractions (0..1) */
  points: { x: number; onHull: boolean; classes: Record<string, number> | null }[];
  /** the classes to draw (O3, O4, O5 …) */
  classNames: string[];
}

export interface VoltagePlotOptions {
  title?: string;
  note?: string;
  /** x-axis label, e.g. `x in LixMn0.6Ni0.2O2` */
  xLabel: string;
}

/**
 * The voltage profile (the step curve of the hull segments) above the share of O in each census class, on one x
 * axis of Li content. Class lines join the hull points; every structure is a marker.
 */
export function voltagePlot(data: VoltagePlotData, options: VoltagePlotOptions): string {
  const stepX: number[] = [];
  const stepV: number[] = [];
  for (const s of data.steps) {
    if (s.voltage === null) continue;
    stepX.push(s.x1, s.x2);
    stepV.push(s.voltage, s.voltage);
  }
  const hull = data.points.filter((p) => p.onHull).sort((a, b) => a.x - b.x);
  const off = data.points.filter((p) => !p.onHull);
  const classLines: LineSeries[] = [];
  const classMarkers: MarkerSeries[] = [];
  data.classNames.forEach((c, i) => {
    const color = PALETTE[i % PALETTE.length];
    const pct = (p: (typeof data.points)[number]) => (p.classes ? 100 * (p.classes[c] ?? 0) : NaN);
    classLines.push({ x: hull.map((p) => p.x), y: hull.map(pct), label: `${c} (hull points)`, color });
    classMarkers.push({ x: [...hull, ...off].map((p) => p.x), y: [...hull, ...off].map(pct), color });
  });
  // the steps of one profile differ by tenths of a volt: a domain from 0 would flatten them
  const vs = stepV.length > 0 ? stepV : [0];
  const pad = Math.max(0.25, 0.5 * (Math.max(...vs) - Math.min(...vs)));
  const lo = Math.min(...vs) - pad;
  const hi = Math.max(...vs) + pad;
  return renderStack({
    title: options.title ?? 'Voltage profile and O environments',
    note: options.note,
    x: { label: options.xLabel },
    panels: [
      {
        y: { label: 'average voltage (V vs Li/Li⁺)', domain: [lo, hi] },
        lines: stepV.length > 0 ? [{ x: stepX, y: stepV, label: 'hull steps', color: '#000000', width: 2 }] : [],
        refs: stepV.length === 0 ? [{ axis: 'y', value: 0, label: 'no Li energy: no voltages' }] : [],
      },
      { y: { label: 'share of O (%)', domain: [0, 100] }, lines: classLines, markers: classMarkers, height: 220 },
    ],
  });
}
