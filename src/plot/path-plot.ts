import type { PathCensusResult } from '../analysis/path-census.js';
import { PALETTE, renderXY } from './svg.js';
import { classCss } from './class-colors.js';

export interface PathFractions {
  /** x of each analysed frame: the frame number (1-based) or the NEB reaction coordinate (Å) */
  x: ArrayLike<number>;
  /** class → fraction of O (0–1) per frame; a class absent from a frame counts 0 there */
  frames: { fractions: Record<string, number> }[];
  classNames: string[];
  /** NEB image names, printed at the markers (few frames only) */
  names?: readonly string[];
}

export interface PathPlotOptions {
  title?: string;
  note?: string;
  /** x axis: frames of a trajectory or the reaction coordinate of an NEB (default frames) */
  axis?: 'frame' | 'reaction-coordinate';
}

/** Markers (with image names) are drawn up to this many frames; a long trajectory is drawn as lines only. */
const MARKER_LIMIT = 60;

/** Class fractions (%) along a path: one line per O class, against the frame number or the NEB reaction coordinate. */
export function pathFractionPlot(p: PathFractions, options: PathPlotOptions = {}): string {
  const x = Array.from(p.x);
  const share = (c: string) => p.frames.map((f) => 100 * (f.fractions[c] ?? 0));
  const few = x.length <= MARKER_LIMIT;
  // each class in its viewer colour (O4 purple, O5 yellow …)
  const color = (c: string, k: number) => classCss(c) ?? PALETTE[k % PALETTE.length];
  return renderXY({
    title: options.title ?? 'O environments along the path',
    note: options.note,
    x: { label: options.axis === 'reaction-coordinate' ? 'Reaction coordinate (Å)' : 'frame (1-based)' },
    y: { label: 'share of O (%)', domain: [0, 105] },
    lines: p.classNames.map((c, k) => ({ x, y: share(c), label: c, color: color(c, k) })),
    markers: few ? p.classNames.map((c, k) => ({ x, y: share(c), color: color(c, k), ...(k === 0 && p.names ? { text: [...p.names] } : {}) })) : [],
  });
}

/** The plot of a path census: against the reaction coordinate for an NEB, the frame number otherwise. */
export function pathCensusPlot(r: PathCensusResult, title?: string): string {
  const neb = r.kind === 'neb' && r.frames.every((f) => f.reactionCoordinate !== undefined);
  return pathFractionPlot(
    { x: r.frames.map((f) => (neb ? f.reactionCoordinate! : f.frame + 1)), frames: r.frames, classNames: r.classNames, names: r.kind === 'neb' ? r.frames.map((f) => f.name) : undefined },
    {
      title,
      axis: neb ? 'reaction-coordinate' : 'frame',
      note: `${r.nO} O, ${r.frames.length} of ${r.nFrames} ${r.kind === 'neb' ? 'images' : 'frames'}; ${r.events.length} class change${r.events.length === 1 ? '' : 's'}${neb ? '; x = cumulative minimum-image path length' : ''}`,
    },
  );
}
