import { scaleBand, scaleLinear, type ScaleLinear } from 'd3-scale';
import { line as d3line, area as d3area, curveLinear } from 'd3-shape';

/**
 * A small SVG chart kit, pure strings (no DOM), shared by every plot of oxyscope: x–y charts with lines,
 * shaded x-ranges, markers, reference lines and a legend, and grouped bar charts. d3-scale gives the scales
 * and ticks, d3-shape the path data.
 */

/** Okabe–Ito colours: distinguishable with the common colour-vision deficiencies, and in greyscale print. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

const FONT = 'font-family="Helvetica, Arial, sans-serif"';
const AXIS = '#333333';
const GRID = '#e5e5e5';

export interface AxisSpec {
  /** axis title with its unit, e.g. `E − E_F (eV)` */
  label: string;
  /** fixed domain; otherwise fitted to the data (and rounded to nice ticks) */
  domain?: [number, number];
  /** include 0 in a fitted domain */
  zero?: boolean;
}

export interface LineSeries {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  label?: string;
  color?: string;
  /** stroke-dasharray, e.g. `4 3` */
  dash?: string;
  width?: number;
  /** fill between the curve and y = 0 with a light tint of the line colour */
  fill?: boolean;
}

export interface Band {
  /** x-range to shade */
  from: number;
  to: number;
  label?: string;
  color?: string;
}

export interface MarkerSeries {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  label?: string;
  color?: string;
  /** text printed next to each marker */
  text?: string[];
}

export interface RefLine {
  /** vertical line at x = value, or horizontal at y = value */
  axis: 'x' | 'y';
  value: number;
  label?: string;
  color?: string;
  dash?: string;
}

export interface XYChart {
  title?: string;
  width?: number;
  height?: number;
  x: AxisSpec;
  y: AxisSpec;
  bands?: Band[];
  lines?: LineSeries[];
  markers?: MarkerSeries[];
  refs?: RefLine[];
  /** a note under the title (provenance, window) */
  note?: string;
}

export interface BarChart {
  title?: string;
  width?: number;
  height?: number;
  categories: string[];
  /** one series per group of bars (e.g. one per structure); values (and error half-lengths, drawn as whiskers) align with `categories` */
  series: { label: string; values: number[]; errors?: number[]; color?: string }[];
  x: { label: string };
  y: AxisSpec;
  note?: string;
  /** format of the value printed on top of each bar; no labels when absent */
  valueFormat?: (v: number) => string;
}

/** XML-escaped text for SVG content and attributes. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A number for labels with a typographic minus sign. */
export function signed(v: number): string {
  return String(v).replace('-', '−');
}

/** Short decimal for coordinates: keeps files small and byte-stable. */
function n(v: number): string {
  return Number.isFinite(v) ? String(Math.round(v * 100) / 100) : '0';
}

const MARGIN = { top: 44, right: 20, bottom: 52, left: 68 };

function extent(values: Iterable<number>, fallback: [number, number]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo > hi) return fallback;
  if (lo === hi) return [lo - 1, hi + 1];
  return [lo, hi];
}

function* arrayValues(...arrays: ArrayLike<number>[]): Iterable<number> {
  for (const a of arrays) for (let i = 0; i < a.length; i++) yield a[i];
}

function fitScale(spec: AxisSpec, data: Iterable<number>, range: [number, number]): ScaleLinear<number, number> {
  if (spec.domain) return scaleLinear().domain(spec.domain).range(range);
  let [lo, hi] = extent(data, [0, 1]);
  if (spec.zero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  return scaleLinear().domain([lo, hi]).range(range).nice(6);
}

/** Text cut to `max` characters with an ellipsis in the middle (file paths keep their ends). */
function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = Math.max(4, Math.floor(max) - 1);
  return `${text.slice(0, Math.ceil(keep / 2))}…${text.slice(text.length - Math.floor(keep / 2))}`;
}

function frame(width: number, height: number, title: string | undefined, note: string | undefined): string[] {
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (title) out.push(`<text x="${n(width / 2)}" y="18" text-anchor="middle" font-size="14" font-weight="bold" fill="${AXIS}">${esc(fit(title, width / 8))}</text>`);
  if (note) out.push(`<text x="${n(width / 2)}" y="34" text-anchor="middle" font-size="11" fill="#666666">${esc(note)}</text>`);
  return out;
}

function xAxis(x: ScaleLinear<number, number>, y0: number, yTop: number, label: string): string[] {
  const fmt = x.tickFormat(8);
  const out: string[] = [];
  for (const t of x.ticks(8)) {
    const px = n(x(t));
    out.push(`<line x1="${px}" x2="${px}" y1="${n(yTop)}" y2="${n(y0)}" stroke="${GRID}"/>`);
    out.push(`<line x1="${px}" x2="${px}" y1="${n(y0)}" y2="${n(y0 + 5)}" stroke="${AXIS}"/>`);
    out.push(`<text x="${px}" y="${n(y0 + 18)}" text-anchor="middle" fill="${AXIS}">${esc(fmt(t))}</text>`);
  }
  const [r0, r1] = x.range();
  out.push(`<line x1="${n(r0)}" x2="${n(r1)}" y1="${n(y0)}" y2="${n(y0)}" stroke="${AXIS}"/>`);
  out.push(`<text x="${n((r0 + r1) / 2)}" y="${n(y0 + 38)}" text-anchor="middle" font-size="13" fill="${AXIS}">${esc(label)}</text>`);
  return out;
}

function yAxis(y: ScaleLinear<number, number>, x0: number, xRight: number, label: string): string[] {
  const fmt = y.tickFormat(6);
  const out: string[] = [];
  for (const t of y.ticks(6)) {
    const py = n(y(t));
    out.push(`<line x1="${n(x0)}" x2="${n(xRight)}" y1="${py}" y2="${py}" stroke="${GRID}"/>`);
    out.push(`<line x1="${n(x0 - 5)}" x2="${n(x0)}" y1="${py}" y2="${py}" stroke="${AXIS}"/>`);
    out.push(`<text x="${n(x0 - 8)}" y="${py}" dy="0.32em" text-anchor="end" fill="${AXIS}">${esc(fmt(t))}</text>`);
  }
  const [r0, r1] = y.range();
  out.push(`<line x1="${n(x0)}" x2="${n(x0)}" y1="${n(r0)}" y2="${n(r1)}" stroke="${AXIS}"/>`);
  const cy = n((r0 + r1) / 2);
  out.push(`<text transform="translate(${n(x0 - 50)},${cy}) rotate(-90)" text-anchor="middle" font-size="13" fill="${AXIS}">${esc(label)}</text>`);
  return out;
}

type LegendEntry = { label: string; color: string; kind: 'line' | 'band' | 'bar' | 'marker'; dash?: string };

const ROW_H = 16;

function legendSize(entries: LegendEntry[]): { w: number; h: number } {
  return { w: 34 + Math.max(...entries.map((e) => e.label.length)) * 6.6, h: entries.length * ROW_H + 8 };
}

/**
 * The plot corner whose legend box covers the fewest data points (pixel coordinates), so the legend does not hide
 * the peak or the barrier.
 */
function legendCorner(entries: LegendEntry[], area: { x0: number; x1: number; y0: number; y1: number }, points: [number, number][]): { x: number; y: number } {
  const { w, h } = legendSize(entries);
  const corners = [
    { x: area.x1 - w - 4, y: area.y0 + 4 },
    { x: area.x0 + 4, y: area.y0 + 4 },
    { x: area.x1 - w - 4, y: area.y1 - h - 4 },
    { x: area.x0 + 4, y: area.y1 - h - 4 },
  ];
  let best = corners[0];
  let fewest = Infinity;
  for (const c of corners) {
    let hits = 0;
    for (const [px, py] of points) if (px >= c.x && px <= c.x + w && py >= c.y && py <= c.y + h) hits++;
    if (hits < fewest) {
      fewest = hits;
      best = c;
    }
  }
  return best;
}

function legend(entries: LegendEntry[], at: { x: number; y: number }): string[] {
  if (entries.length === 0) return [];
  const { w, h } = legendSize(entries);
  const x0 = at.x + 6;
  const out = [`<g class="legend"><rect x="${n(at.x)}" y="${n(at.y)}" width="${n(w)}" height="${n(h)}" fill="#ffffff" fill-opacity="0.85" stroke="${GRID}"/>`];
  entries.forEach((e, i) => {
    const cy = at.y + 4 + ROW_H * i + ROW_H / 2;
    if (e.kind === 'line') {
      out.push(`<line x1="${n(x0)}" x2="${n(x0 + 18)}" y1="${n(cy)}" y2="${n(cy)}" stroke="${e.color}" stroke-width="2"${e.dash ? ` stroke-dasharray="${e.dash}"` : ''}/>`);
    } else if (e.kind === 'marker') {
      out.push(`<circle cx="${n(x0 + 9)}" cy="${n(cy)}" r="4" fill="${e.color}"/>`);
    } else {
      out.push(`<rect x="${n(x0 + 2)}" y="${n(cy - 5)}" width="14" height="10" fill="${e.color}" fill-opacity="${e.kind === 'band' ? 0.35 : 1}"/>`);
    }
    out.push(`<text x="${n(x0 + 24)}" y="${n(cy)}" dy="0.32em" fill="${AXIS}">${esc(e.label)}</text>`);
  });
  out.push('</g>');
  return out;
}

/** The data of one x–y panel (everything but the frame and the x axis' extent). */
export type XYPanel = Pick<XYChart, 'y' | 'bands' | 'lines' | 'markers' | 'refs'>;

const seriesOf = (p: XYPanel) => ({ lines: p.lines ?? [], markers: p.markers ?? [] });

function xValues(panels: XYPanel[]): Iterable<number> {
  return arrayValues(...panels.flatMap((p) => [...(p.lines ?? []).map((l) => l.x), ...(p.markers ?? []).map((k) => k.x)]));
}

/** One panel drawn in `area` with the shared x scale; `xLabel` undefined draws the x grid but no tick labels. */
function drawPanel(p: XYPanel, x: ScaleLinear<number, number>, area: { top: number; bottom: number }, clipId: string, xLabel: string | undefined): string[] {
  const [left, right] = x.range();
  const yr: [number, number] = [area.bottom, area.top];
  const { lines, markers } = seriesOf(p);
  const bands = p.bands ?? [];
  const refs = p.refs ?? [];
  const y = fitScale(p.y, arrayValues(...lines.map((l) => l.y), ...markers.map((k) => k.y)), yr);
  const out: string[] = [];
  out.push(`<defs><clipPath id="${clipId}"><rect x="${n(left)}" y="${n(yr[1])}" width="${n(right - left)}" height="${n(yr[0] - yr[1])}"/></clipPath></defs>`);
  out.push(...yAxis(y, left, right, p.y.label));
  if (xLabel !== undefined) out.push(...xAxis(x, yr[0], yr[1], xLabel));
  else {
    for (const t of x.ticks(8)) out.push(`<line x1="${n(x(t))}" x2="${n(x(t))}" y1="${n(yr[1])}" y2="${n(yr[0])}" stroke="${GRID}"/>`);
    out.push(`<line x1="${n(left)}" x2="${n(right)}" y1="${n(yr[0])}" y2="${n(yr[0])}" stroke="${AXIS}"/>`);
  }
  const entries: LegendEntry[] = [];
  out.push(`<g clip-path="url(#${clipId})">`);
  for (const b of bands) {
    const color = b.color ?? '#999999';
    const x0 = x(Math.min(b.from, b.to));
    const x1 = x(Math.max(b.from, b.to));
    out.push(`<rect class="band" x="${n(x0)}" y="${n(yr[1])}" width="${n(x1 - x0)}" height="${n(yr[0] - yr[1])}" fill="${color}" fill-opacity="0.18"/>`);
    if (b.label) entries.push({ label: b.label, color, kind: 'band' });
  }
  for (const r of refs) {
    const color = r.color ?? '#777777';
    const dash = r.dash ?? '5 4';
    if (r.axis === 'x') {
      out.push(`<line class="ref" x1="${n(x(r.value))}" x2="${n(x(r.value))}" y1="${n(yr[0])}" y2="${n(yr[1])}" stroke="${color}" stroke-dasharray="${dash}"/>`);
      if (r.label) out.push(`<text x="${n(x(r.value) + 4)}" y="${n(yr[0] - 6)}" font-size="11" fill="${color}">${esc(r.label)}</text>`);
    } else {
      out.push(`<line class="ref" x1="${n(left)}" x2="${n(right)}" y1="${n(y(r.value))}" y2="${n(y(r.value))}" stroke="${color}" stroke-dasharray="${dash}"/>`);
      if (r.label) out.push(`<text x="${n(left + 4)}" y="${n(y(r.value) - 4)}" font-size="11" fill="${color}">${esc(r.label)}</text>`);
    }
  }
  lines.forEach((l, i) => {
    const color = l.color ?? PALETTE[i % PALETTE.length];
    const idx = Array.from({ length: Math.min(l.x.length, l.y.length) }, (_, k) => k).filter((k) => Number.isFinite(l.x[k]) && Number.isFinite(l.y[k]));
    if (l.fill) {
      const d = d3area<number>().x((k) => x(l.x[k])).y0(y(0)).y1((k) => y(l.y[k])).curve(curveLinear)(idx);
      if (d) out.push(`<path d="${d}" fill="${color}" fill-opacity="0.15" stroke="none"/>`);
    }
    const d = d3line<number>().x((k) => x(l.x[k])).y((k) => y(l.y[k])).digits(2)(idx);
    if (d) out.push(`<path class="series" d="${d}" fill="none" stroke="${color}" stroke-width="${l.width ?? 1.6}" stroke-linejoin="round"${l.dash ? ` stroke-dasharray="${l.dash}"` : ''}/>`);
    if (l.label) entries.push({ label: l.label, color, kind: 'line', dash: l.dash });
  });
  // markers are drawn unclipped: end-point images sit on the axes
  out.push('</g>');
  markers.forEach((k, i) => {
    const color = k.color ?? PALETTE[(lines.length + i) % PALETTE.length];
    for (let j = 0; j < Math.min(k.x.length, k.y.length); j++) {
      if (!Number.isFinite(k.x[j]) || !Number.isFinite(k.y[j])) continue;
      out.push(`<circle class="marker" cx="${n(x(k.x[j]))}" cy="${n(y(k.y[j]))}" r="4.5" fill="${color}" stroke="#ffffff" stroke-width="1"/>`);
      const t = k.text?.[j];
      if (t) out.push(`<text x="${n(x(k.x[j]))}" y="${n(y(k.y[j]) - 9)}" text-anchor="middle" font-size="10" fill="${AXIS}">${esc(t)}</text>`);
    }
    if (k.label) entries.push({ label: k.label, color, kind: 'marker' });
  });
  const points: [number, number][] = [];
  for (const s of [...lines, ...markers]) {
    const step = Math.max(1, Math.floor(s.x.length / 400));
    for (let j = 0; j < Math.min(s.x.length, s.y.length); j += step) points.push([x(s.x[j]), y(s.y[j])]);
  }
  if (entries.length > 0) out.push(...legend(entries, legendCorner(entries, { x0: left, x1: right, y0: yr[1], y1: yr[0] }, points)));
  return out;
}

/** An x–y chart as an SVG document string. */
export function renderXY(chart: XYChart): string {
  const width = chart.width ?? 640;
  const height = chart.height ?? 400;
  const top = chart.note ? MARGIN.top + 10 : MARGIN.top;
  const x = fitScale(chart.x, xValues([chart]), [MARGIN.left, width - MARGIN.right]);
  const out = frame(width, height, chart.title, chart.note);
  out.push(...drawPanel(chart, x, { top, bottom: height - MARGIN.bottom }, 'plot-area', chart.x.label));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Panels stacked top to bottom on one shared x axis (labelled under the last), as one SVG document string. */
export function renderStack(chart: { title?: string; note?: string; width?: number; x: AxisSpec; panels: (XYPanel & { height?: number })[] }): string {
  const width = chart.width ?? 640;
  const gap = 18;
  const top = chart.note ? MARGIN.top + 10 : MARGIN.top;
  const heights = chart.panels.map((p) => p.height ?? 240);
  const height = top + heights.reduce((s, h) => s + h, 0) + gap * (chart.panels.length - 1) + MARGIN.bottom;
  const x = fitScale(chart.x, xValues(chart.panels), [MARGIN.left, width - MARGIN.right]);
  const out = frame(width, height, chart.title, chart.note);
  let y0 = top;
  chart.panels.forEach((p, i) => {
    const last = i === chart.panels.length - 1;
    out.push(...drawPanel(p, x, { top: y0, bottom: y0 + heights[i] }, `plot-area-${i}`, last ? chart.x.label : undefined));
    y0 += heights[i] + gap;
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** A grouped bar chart as an SVG document string; with several series the legend stands right of the bars (it never hides one). */
export function renderBars(chart: BarChart): string {
  const entries: LegendEntry[] = chart.series.length > 1 ? chart.series.map((s, i) => ({ label: s.label, color: s.color ?? PALETTE[i % PALETTE.length], kind: 'bar' })) : [];
  const legendW = entries.length > 0 ? legendSize(entries).w + 16 : 0;
  const width = (chart.width ?? 640) + legendW;
  const height = Math.max(chart.height ?? 400, entries.length > 0 ? legendSize(entries).h + MARGIN.top + MARGIN.bottom + 20 : 0);
  const m = { ...MARGIN, top: chart.note ? MARGIN.top + 10 : MARGIN.top };
  const xr: [number, number] = [m.left, width - m.right - legendW];
  const yr: [number, number] = [height - m.bottom, m.top];
  const outer = scaleBand().domain(chart.categories).range(xr).paddingInner(0.2).paddingOuter(0.1);
  const inner = scaleBand().domain(chart.series.map((_, i) => String(i))).range([0, outer.bandwidth()]).padding(0.08);
  const tip = (s: BarChart['series'][number], j: number) => s.values[j] + Math.abs(s.errors?.[j] ?? 0);
  const y = fitScale({ ...chart.y, zero: true }, chart.series.flatMap((s) => s.values.map((_, j) => tip(s, j))), yr);
  const out = frame(width, height, chart.title, chart.note);
  out.push(...yAxis(y, xr[0], xr[1], chart.y.label));
  out.push(`<line x1="${n(xr[0])}" x2="${n(xr[1])}" y1="${n(y(0))}" y2="${n(y(0))}" stroke="${AXIS}"/>`);
  for (const c of chart.categories) {
    const cx = (outer(c) ?? 0) + outer.bandwidth() / 2;
    out.push(`<text x="${n(cx)}" y="${n(yr[0] + 18)}" text-anchor="middle" fill="${AXIS}">${esc(c)}</text>`);
  }
  out.push(`<text x="${n((xr[0] + xr[1]) / 2)}" y="${n(yr[0] + 38)}" text-anchor="middle" font-size="13" fill="${AXIS}">${esc(chart.x.label)}</text>`);
  chart.series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    chart.categories.forEach((c, j) => {
      const v = s.values[j];
      if (!Number.isFinite(v)) return;
      const bx = (outer(c) ?? 0) + (inner(String(i)) ?? 0);
      const top = Math.min(y(v), y(0));
      const h = Math.abs(y(v) - y(0));
      out.push(`<rect class="bar" x="${n(bx)}" y="${n(top)}" width="${n(inner.bandwidth())}" height="${n(h)}" fill="${color}"/>`);
      const err = Math.abs(s.errors?.[j] ?? 0);
      const cx = bx + inner.bandwidth() / 2;
      if (err > 0) {
        const [lo, hi] = [y(v - err), y(v + err)];
        const cap = Math.min(6, inner.bandwidth() / 3);
        out.push(`<path class="error" d="M${n(cx)},${n(lo)}V${n(hi)}M${n(cx - cap)},${n(lo)}H${n(cx + cap)}M${n(cx - cap)},${n(hi)}H${n(cx + cap)}" stroke="${AXIS}" fill="none"/>`);
      }
      // a value label wider than its bar would run into the next one: then the bar goes without (the tables have the numbers)
      const text = chart.valueFormat?.(v);
      if (text !== undefined && text.length * 6 <= inner.bandwidth()) {
        out.push(`<text x="${n(cx)}" y="${n(Math.min(top, y(tip(s, j))) - 4)}" text-anchor="middle" font-size="10" fill="${AXIS}">${esc(text)}</text>`);
      }
    });
  });
  if (entries.length > 0) out.push(...legend(entries, { x: xr[1] + 12, y: m.top }));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
