import type { PathCensusResult, PathCation } from '../analysis/path-census.js';
import { fmt, pct, renderCsv, renderTable } from './render.js';

/**
 * Text, CSV and plot of a path census (census --path), shared by the CLI and `report`. Tables number frames and atoms
 * from 1 and say so; the JSON keeps 0-based indices.
 */

const cations = (xs: PathCation[]) => (xs.length ? xs.map((c) => `${c.species}${c.index + 1}`).join(' ') : '-');

function frameLabel(r: PathCensusResult, f: PathCensusResult['frames'][number]): string {
  return r.kind === 'trajectory' ? `${f.frame + 1}` : f.name;
}

export function renderPathText(r: PathCensusResult): string {
  const what = r.kind === 'neb' ? 'images' : r.kind === 'trajectory' ? 'frames' : 'structures';
  const out: string[] = [];
  out.push(`${r.source}: O census along the path, ${r.frames.length} of ${r.nFrames} ${what} analysed, ${r.nO} O (frames and atoms numbered from 1)`);
  const rc = r.kind === 'neb';
  const head = [r.kind === 'trajectory' ? 'frame' : r.kind === 'neb' ? 'image' : 'structure', ...(r.kind === 'trajectory' ? ['step'] : []), ...(rc ? ['x (Å)'] : []), ...r.classNames, 'changes'];
  const changes = new Map<number, number>();
  for (const e of r.events) changes.set(e.frame, (changes.get(e.frame) ?? 0) + 1);
  out.push(renderTable(head, r.frames.map((f) => [
    frameLabel(r, f), ...(r.kind === 'trajectory' ? [f.step ?? ''] : []), ...(rc ? [fmt(f.reactionCoordinate, 3)] : []),
    ...r.classNames.map((c) => `${f.classes[c] ?? 0} (${pct(f.fractions[c] ?? 0)})`), changes.get(f.frame) ?? 0,
  ])));
  out.push('');
  out.push(`class changes: ${r.events.length}${r.events.length ? ` (an O counted in another class than in the analysed ${what.slice(0, -1)} before; cations within the cutoffs${r.reference ? ', on the reference sites' : ''})` : ''}`);
  if (r.events.length) {
    out.push(renderTable([r.kind === 'neb' ? 'image' : r.kind === 'trajectory' ? 'frame' : 'structure', 'O atom', 'from', 'to', 'TM arrived', 'TM left'], r.events.map((e) => [
      r.kind === 'trajectory' ? e.frame + 1 : e.name, e.o + 1, e.from, e.to, cations(e.arrived), cations(e.left),
    ])));
  }
  if (r.reference?.unassigned.length) {
    out.push(`off the reference sites (> ${r.reference.siteTolerance} Å) in ${r.reference.unassigned.length} frame(s), e.g. frame ${r.reference.unassigned[0].frame + 1}: ${r.reference.unassigned[0].o} O, ${r.reference.unassigned[0].cations} cations`);
  }
  out.push('');
  out.push(`cation–O cutoffs (Å): ${r.cutoffs.map((c) => `${c.pair} ${c.cutoff}`).join(', ') || 'none (no O)'}; TM sites: ${r.tm.join(', ')}; alkali: ${r.alkali.join(', ')}`);
  return out.join('\n') + '\n';
}

export function renderPathCsv(r: PathCensusResult): string {
  const head = ['frame_1based', 'name', 'step', 'reaction_coordinate', 'nO', ...r.classNames.flatMap((c) => [`${c}_count`, `${c}_fraction`]), 'class_changes'];
  const changes = new Map<number, number>();
  for (const e of r.events) changes.set(e.frame, (changes.get(e.frame) ?? 0) + 1);
  return renderCsv(head, r.frames.map((f) => [
    f.frame + 1, f.name, f.step ?? '', f.reactionCoordinate ?? '', r.nO, ...r.classNames.flatMap((c) => [f.classes[c] ?? 0, f.fractions[c] ?? 0]), changes.get(f.frame) ?? 0,
  ]));
}

/** The class-fraction plot of a path census (d3 loads only when a plot is drawn). */
export async function pathCensusSvg(r: PathCensusResult, title?: string): Promise<string> {
  const { pathCensusPlot } = await import('../plot/path-plot.js');
  return pathCensusPlot(r, title);
}
