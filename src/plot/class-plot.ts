import { renderBars } from './svg.js';

export interface ClassHistogram {
  /** one entry per structure (or state), e.g. `pristine`, `4.8 V` */
  label: string;
  /** class name → number of O in that class */
  classes: Record<string, number>;
}

export interface ClassPlotOptions {
  title?: string;
  note?: string;
  /** plot fractions of all O (default) or raw counts */
  as?: 'fraction' | 'count';
}

/** O-environment census as grouped bars: one group per class (O3, O4, O5 …), one bar per structure. */
export function classPlot(histograms: ClassHistogram[], options: ClassPlotOptions = {}): string {
  const as = options.as ?? 'fraction';
  const names = [...new Set(histograms.flatMap((h) => Object.keys(h.classes)))].sort((p, q) => p.localeCompare(q, 'en', { numeric: true }));
  const series = histograms.map((h) => {
    const total = Object.values(h.classes).reduce((s, v) => s + v, 0);
    return {
      label: h.label,
      values: names.map((c) => {
        const v = h.classes[c] ?? 0;
        return as === 'fraction' ? (total > 0 ? (100 * v) / total : 0) : v;
      }),
    };
  });
  return renderBars({
    title: options.title ?? 'O environments (census)',
    note: options.note,
    categories: names,
    series,
    x: { label: 'O class (O(6 − nTM): number of non-TM octahedral sites)' },
    y: { label: as === 'fraction' ? 'share of O (%)' : 'number of O' },
    valueFormat: as === 'fraction' ? (v) => `${v.toFixed(1)}%` : (v) => String(v),
  });
}
