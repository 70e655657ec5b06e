import { renderXY } from './svg.js';

export interface CohpCurves {
  /** E − E_F, eV (LOBSTER energies are already relative to E_F) */
  energies: ArrayLike<number>;
  /** −pCOHP per bond (eV per bond, spins summed or one spin as the label says); positive = bonding */
  bonds: { label: string; minusCohp: ArrayLike<number> }[];
  /** what the curves are: 'COHP' | 'COOP' | 'COBI' (COOP/COBI are plotted as they are, positive = bonding) */
  kind?: string;
}

export interface CohpPlotOptions {
  title?: string;
  note?: string;
  /** energy range shown, eV relative to E_F (default: all) */
  range?: [number, number];
}

/** −COHP of chosen bonds against E − E_F: bonding above zero, antibonding below, E_F marked. */
export function cohpPlot(curves: CohpCurves, options: CohpPlotOptions = {}): string {
  const kind = curves.kind ?? 'COHP';
  const e = curves.energies;
  const lo = options.range?.[0] ?? e[0];
  const hi = options.range?.[1] ?? e[e.length - 1];
  const yLabel = kind === 'COHP' ? '−pCOHP (eV per bond)' : `p${kind} (per bond)`;
  return renderXY({
    title: options.title ?? `−${kind === 'COHP' ? 'COHP' : kind} of selected bonds`,
    note: options.note ?? 'above 0: bonding · below 0: antibonding',
    x: { label: 'E − E_F (eV)', domain: [lo, hi] },
    y: { label: yLabel, zero: true },
    refs: [
      { axis: 'x', value: 0, label: 'E_F' },
      { axis: 'y', value: 0, color: '#333333', dash: '1 0' },
    ],
    lines: curves.bonds.map((b) => ({ x: e, y: b.minusCohp, label: b.label })),
  });
}
