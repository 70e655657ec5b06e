import { renderBars } from './svg.js';

export interface ClassHistogram {
  /** one entry per structure (or state), e.g. `pristine`, `4.8 V` */
  label: string;
  /** class name → number of O in that class */
  classes: Record<string, number>;
}

/** Class fractions (0–1) of one structure, or the mean of an ensemble with its sample standard deviation. */
export interface ClassSeries {
  label: string;
  fractions: Record<string, number>;
  std?: Record<string, number>;
}

export interface ClassPlotOptions {
  title?: string;
  note?: string;
  /** plot fractions of all O (default) or raw counts */
  as?: 'fraction' | 'count';
}

const byClass = (p: string, q: string) => p.localeCompare(q, 'en', { numeric: true });
const X_LABEL = 'O class (O(6 − nTM): number of non-TM octahedral sites)';

/** O-environment census as grouped bars: one group per class (O3, O4, O5 …), one bar per structure. */
export function classPlot(histograms: ClassHistogram[], options: ClassPlotOptions = {}): string {
  if ((options.as ?? 'fraction') === 'fraction') {
    const series = histograms.map((h) => {
      const total = Object.values(h.classes).reduce((s, v) => s + v, 0);
      return { label: h.label, fractions: Object.fromEntries(Object.entries(h.classes).map(([c, v]) => [c, total > 0 ? v / total : 0])) };
    });
    return classFractionPlot(series, options);
  }
  const names = [...new Set(histograms.flatMap((h) => Object.keys(h.classes)))].sort(byClass);
  return renderBars({
    title: options.title ?? 'O environments (census)',
    note: options.note,
    categories: names,
    series: histograms.map((h) => ({ label: h.label, values: names.map((c) => h.classes[c] ?? 0) })),
    x: { label: X_LABEL },
    y: { label: 'number of O' },
    valueFormat: (v) => String(v),
  });
}

/** Class shares in %, one bar per series; an ensemble's bar is its mean with a ± one sample std whisker. */
export function classFractionPlot(series: ClassSeries[], options: Omit<ClassPlotOptions, 'as'> = {}): string {
  const names = [...new Set(series.flatMap((s) => Object.keys(s.fractions)))].sort(byClass);
  return renderBars({
    title: options.title ?? 'O environments (census)',
    note: options.note,
    categories: names,
    series: series.map((s) => ({
      label: s.label,
      values: names.map((c) => 100 * (s.fractions[c] ?? 0)),
      ...(s.std ? { errors: names.map((c) => 100 * (s.std![c] ?? 0)) } : {}),
    })),
    x: { label: X_LABEL },
    y: { label: 'share of O (%)' },
    valueFormat: (v) => `${v.toFixed(1)}%`,
  });
}
