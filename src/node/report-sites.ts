import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import type { Dos } from '../model/dos.js';
import type { CutoffOverrides } from '../analysis/cutoffs.js';
import type { SitesReport } from '../analysis/sites.js';
import { calculationSites } from '../pipeline/sites.js';
import { findSitePaths, loadSiteInputs } from './site-inputs.js';

export interface SitesCalcOptions {
  reference?: { file: string; structure: Structure };
  window?: [number, number];
  census?: { tm?: string[]; alkali?: string[]; cutoffs?: CutoffOverrides };
  /** path → name shown in the report */
  rel: (path: string) => string;
}

/**
 * Per-atom quantities by O class, O–O contacts and vacancy clusters for a report calculation: the files beside its
 * structure (CHARGE.lobster, OUTCAR, ACF.dat …) and the DOS the report already read. Undefined when the structure
 * has no O and no per-atom file is there. A reference whose cell does not match is dropped with a note, as for the census.
 */
export async function sitesForCalculation(
  structure: Structure, structureFile: string, dos: Dos | undefined, dosFile: string | undefined,
  kernels: Kernels, options: SitesCalcOptions, notes: string[],
): Promise<SitesReport | undefined> {
  const paths = await findSitePaths(structureFile, {});
  delete paths.dos;
  const perAtom = paths.charges || paths.outcar || paths.bader || paths.icohp || paths.icobi || paths.madelung || paths.grosspop;
  if (!perAtom && !structure.species.includes('O')) return undefined;
  const loaded = await loadSiteInputs(paths, structure, structureFile, kernels);
  notes.push(...loaded.warnings);
  if (dos && dosFile) {
    loaded.inputs.dos = dos;
    loaded.files.dos = dosFile;
  }
  const files = Object.fromEntries(Object.entries(loaded.files).map(([k, p]) => [k, options.rel(p)]));
  const loadedShown = { ...loaded, files, zvalFrom: loaded.zvalFrom ? options.rel(loaded.zvalFrom) : undefined };
  return calculationSites(structure, options.rel(structureFile), loadedShown, kernels, { reference: options.reference, window: options.window, census: options.census }, notes).report;
}
