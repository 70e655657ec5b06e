import { renderXY } from './svg.js';

export interface NebProfile {
  /** reaction coordinate of each image (Å) */
  x: ArrayLike<number>;
  /** image energies relative to the reference image (eV); null/NaN where an image has no energy */
  energies: ArrayLike<number | null>;
  /** image folder names (default 00, 01, …) */
  names?: readonly string[];
  /** name of the image the energies are relative to (default the first): image 00 may have no energy */
  reference?: string;
  /** the fitted curve (force-aware spline), sampled; empty when there is none */
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
}

export interface NebPlotOptions {
  title?: string;
  note?: string;
  /** forward barrier (eV) to mark with a dashed line */
  barrier?: number;
  /** whether any image with an energy has a tangential force (default true); without, the spline has no force slopes */
  forces?: boolean;
}

/** NEB energy profile: the images as numbered markers and the spline through them. */
export function nebPlot(profile: NebProfile, options: NebPlotOptions = {}): string {
  const text = Array.from({ length: profile.x.length }, (_, i) => profile.names?.[i] ?? String(i).padStart(2, '0'));
  const reference = profile.reference ?? text[0] ?? '00';
  const energies = Array.from({ length: profile.energies.length }, (_, i) => profile.energies[i] ?? NaN);
  // headroom above the barrier keeps the legend and the image labels clear of the curve
  const ys = [...energies, ...Array.from(profile.ys)].filter(Number.isFinite);
  const lo = Math.min(0, ...ys);
  const hi = Math.max(0, ...ys);
  const span = hi - lo || 1;
  return renderXY({
    title: options.title ?? 'NEB energy profile',
    note: options.note,
    x: { label: 'Reaction coordinate (Å)' },
    y: { label: `E − E(image ${reference}) (eV)`, domain: [lo - 0.05 * span, hi + 0.3 * span] },
    lines: [{ x: profile.xs, y: profile.ys, label: options.forces === false ? 'spline without forces (no F∥ in the files)' : 'force-aware spline', color: '#0072B2' }],
    markers: [{ x: profile.x, y: energies, label: 'images', color: '#D55E00', text }],
    refs: options.barrier !== undefined && Number.isFinite(options.barrier)
      ? [{ axis: 'y', value: options.barrier, label: `barrier ${options.barrier.toFixed(3)} eV`, color: '#555555' }]
      : [],
  });
}
