import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import type { MadelungEnergies } from '../model/populations.js';
import { sitesAnalysis, type SiteInputs, type SitesReport, type SitesResult } from '../analysis/sites.js';
import { OxyError } from '../errors.js';
import type { CalcOptions } from './calculation.js';

/**
 * The per-atom quantities of a calculation, the same in Node and in the browser: each environment finds and reads
 * the files beside the structure (Node: src/node/site-inputs.ts on disk; the viewer: the dropped files), then both
 * run this. A reference whose cell does not match is dropped with a note, as for the census.
 */

export interface CalcSiteInputs {
  inputs: SiteInputs;
  /** input → file it was read from, as the result shows it */
  files: Record<string, string>;
  zvalFrom?: string;
  madelungEnergies?: MadelungEnergies;
}

/** The full result (one row per site: the viewer colours by it) and the report's summary of it (no rows). */
export function calculationSites(
  structure: Structure, structureFile: string, loaded: CalcSiteInputs, kernels: Kernels, options: CalcOptions, notes: string[],
): { result: SitesResult; report: SitesReport } {
  const run = (reference?: Structure) =>
    sitesAnalysis(structure, loaded.inputs, kernels, {
      census: { ...options.census, reference },
      window: options.window,
      files: { structure: structureFile, ...loaded.files },
    });
  let result: SitesResult;
  const ref = options.reference;
  if (!ref) result = run();
  else {
    try {
      result = run(ref.structure);
    } catch (e) {
      if (!(e instanceof OxyError)) throw e;
      notes.push(`sites without the reference ${ref.file}: ${e.message}`);
      result = run();
    }
  }
  const { sites: _rows, ...rest } = result;
  return { result, report: { ...rest, files: loaded.files, zvalFrom: loaded.zvalFrom ?? null, madelungEnergies: loaded.madelungEnergies ?? null } };
}
