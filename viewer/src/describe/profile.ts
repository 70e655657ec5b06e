import { scaleLinear } from 'd3-scale';
import { line, curveLinear } from 'd3-shape';
import type { NebAnalysis } from '../../../src/analysis/neb.js';

/**
 * The NEB energy profile as SVG geometry (no DOM): the force-aware spline, one point per image with an energy,
 * ticks, and where the marker of each image goes. Energies in eV relative to the reference image, reaction
 * coordinate in Å.
 */
export interface ProfileDrawing {
  width: number;
  height: number;
  /** path `d` of the spline, or '' without one */
  curve: string;
  /** one entry per image; `y` is null where the image has no energy */
  images: { name: string; x: number; y: number | null; energy: number | null }[];
  xTicks: { x: number; label: string }[];
  yTicks: { y: number; label: string }[];
  /** plot area: left, top, right, bottom (px) */
  frame: [number, number, number, number];
}

const MARGIN = { left: 46, right: 10, top: 12, bottom: 34 };

export function profileDrawing(neb: NebAnalysis, width = 320, height = 200): ProfileDrawing {
  const xs = neb.reactionCoordinate;
  const es = [...neb.energies.filter((e): e is number => e !== null), ...(neb.spline?.energy ?? [])];
  const xMax = Math.max(xs[xs.length - 1] ?? 0, 1e-9);
  const eLo = es.length ? Math.min(...es) : 0;
  const eHi = es.length ? Math.max(...es) : 1;
  const pad = Math.max((eHi - eLo) * 0.1, 0.01);
  const x = scaleLinear().domain([0, xMax]).range([MARGIN.left, width - MARGIN.right]);
  const y = scaleLinear().domain([eLo - pad, eHi + pad]).range([height - MARGIN.bottom, MARGIN.top]).nice(4);
  const curve = neb.spline
    ? (line<number>().x((_, i) => x(neb.spline!.x[i])).y((e) => y(e)).curve(curveLinear)(neb.spline.energy) ?? '')
    : '';
  return {
    width,
    height,
    curve,
    images: neb.images.map((im, i) => ({ name: im.name, x: x(xs[i]), y: neb.energies[i] === null ? null : y(neb.energies[i]!), energy: neb.energies[i] })),
    xTicks: x.ticks(4).map((t) => ({ x: x(t), label: String(t) })),
    yTicks: y.ticks(4).map((t) => ({ y: y(t), label: y.tickFormat(4)(t) })),
    frame: [MARGIN.left, MARGIN.top, width - MARGIN.right, height - MARGIN.bottom],
  };
}
