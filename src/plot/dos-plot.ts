import type { PdosCurves } from '../analysis/pdos.js';
import { renderXY, signed, type LineSeries } from './svg.js';

export interface DosPlotOptions {
  /** shaded integration window, eV relative to E_F */
  window: [number, number];
  /** energy range shown, eV relative to E_F (default: 6 eV below the window to 3 eV above it, within the data) */
  range?: [number, number];
  title?: string;
  /** e.g. the orbitals and spin shown */
  note?: string;
}

/** PDOS per atom of each group against E − E_F, the integration window shaded and E_F marked. */
export function dosPlot(curves: PdosCurves, options: DosPlotOptions): string {
  const e = curves.energies;
  const [wa, wb] = options.window;
  const lo = Math.max(options.range?.[0] ?? wa - 6, e[0]);
  const hi = Math.min(options.range?.[1] ?? wb + 3, e[e.length - 1]);
  // fit the y axis to what is on screen, not to peaks outside the shown range
  let ymax = 0;
  for (const g of curves.groups) {
    for (let i = 0; i < e.length; i++) if (e[i] >= lo && e[i] <= hi && g.perAtom[i] > ymax) ymax = g.perAtom[i];
  }
  const lines: LineSeries[] = curves.groups.map((g) => ({
    x: e,
    y: g.perAtom,
    label: `${g.name} (${g.atoms.length} atom${g.atoms.length === 1 ? '' : 's'})`,
    fill: curves.groups.length <= 3,
  }));
  return renderXY({
    title: options.title ?? 'Projected DOS by group',
    note: options.note,
    x: { label: 'E − E_F (eV)', domain: [lo, hi] },
    y: { label: 'PDOS (states/eV per atom)', domain: [0, ymax > 0 ? ymax * 1.08 : 1] },
    bands: [{ from: wa, to: wb, label: `window [${signed(wa)}, ${signed(wb)}] eV`, color: '#888888' }],
    refs: [{ axis: 'x', value: 0, label: 'E_F' }],
    lines,
  });
}
