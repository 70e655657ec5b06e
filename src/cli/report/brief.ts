import type { CalcReport } from '../../pipeline/calculation.js';

/**
 * A calculation's report without its per-site and per-layer lists (census sites, environments and histogram, the
 * migration's TM sites and layers, the sites analysis): what the summary on stdout, the summary rows, the ensembles
 * and the voltage read, at a fifth of the size. `report --cache` parses it instead of the whole report when only
 * JSONL lines (written from the stored text) and the summary are made.
 */
export function briefReport(r: CalcReport): CalcReport {
  const { sites: _, ...rest } = r;
  return {
    ...rest,
    ...(r.census && { census: { ...r.census, sites: [], environments: [], histogram: [] } }),
    ...(r.migration && { migration: { ...r.migration, tm: [], layers: [] } }),
  };
}
