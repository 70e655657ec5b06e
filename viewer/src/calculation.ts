import type { Kernels } from '../../src/kernels/types.js';
import type { Structure } from '../../src/model/structure.js';
import { baseName, detectFormat } from '../../src/io/formats.js';
import { group, type CalcFile } from '../../src/pipeline/group.js';
import { headText, inputOf, Inputs } from '../../src/pipeline/inputs.js';
import { analyseCalculation, type CalcEnv, type CalcReport } from '../../src/pipeline/calculation.js';
import { calculationSites } from '../../src/pipeline/sites.js';
import type { SiteInputs, SitesResult } from '../../src/analysis/sites.js';
import { ParseError } from '../../src/errors.js';
import { besideIn, blobSource, dirOf, INPUTS, SITE_DATA, siteData, type InputFile } from './load.js';
import { folderInputs } from './describe/quantity.js';

/**
 * The calculation a file belongs to, analysed by the calculation pipeline exactly as `oxyscope report` does: the
 * files of its folder grouped by src/pipeline/group.ts, read with their companions from the same folder. What the
 * panel's numbers show is this CalcReport; `sites` is the per-site result the scene colours atoms by (the rows the
 * report leaves out), from the same run.
 */
export async function calculationOf(
  file: string, files: InputFile[], kernels: Kernels, reference?: { file: string; structure: Structure },
): Promise<{ report: CalcReport; sites?: SitesResult } | undefined> {
  const folder = dirOf(file);
  const here = files.filter((f) => dirOf(f.path) === folder && !INPUTS.test(baseName(f.path)));
  const typed: CalcFile[] = [];
  for (const f of here) {
    const format = detectFormat(f.path, await headText(await blobSource(f.path, f.blob)));
    if (format) typed.push({ path: f.path, format: format.id });
  }
  const calc = group((p) => p || '.', folder, typed).find((c) => c.files.some((f) => f.path === file));
  if (!calc) return undefined;
  const byPath = new Map(here.map((f) => [f.path, f]));
  const open = async (path: string, format?: string) => inputOf(await blobSource(path, byPath.get(path)!.blob), path, besideIn(files, folder), format);
  let sites: SitesResult | undefined;
  const env: CalcEnv = {
    kernels,
    open,
    neb: async (path) => {
      throw new ParseError({ file: path, line: 0, expected: 'files of one calculation', found: 'an NEB folder (the viewer reads those as NEB datasets)' });
    },
    display: (p) => p,
    // the per-atom files of the folder (CHARGE.lobster, OUTCAR moments, ACF.dat …), read through the registry
    sites: async (structure, structureFile, dos, dosFile, options, notes) => {
      const inputs = new Inputs(kernels);
      const parts: { inputs: SiteInputs; zval?: Record<string, number> }[] = [];
      const read: Record<string, string> = {};
      for (const f of typed) {
        const format = f.format === 'icohplist' ? 'icohplist' : SITE_DATA[f.format] ? f.format : undefined;
        if (!format) continue;
        const input = await open(f.path, f.format);
        if (format === 'icohplist') {
          const bonds = await inputs.bonds(input);
          if (bonds.kind === 'list' && bonds.list.kind === 'cohp') parts.push({ inputs: { icohp: bonds.list } });
          read.icohp = f.path;
        } else {
          const part = await siteData(input, inputs);
          parts.push(part);
          for (const k of Object.keys(part.inputs)) read[k] = f.path;
        }
      }
      notes.push(...inputs.warnings);
      const siteInputs = folderInputs(parts);
      if (dos && dosFile) {
        siteInputs.dos = dos;
        read.dos = dosFile;
      }
      if (Object.keys(read).length === 0 && !structure.species.includes('O')) return undefined;
      const zvalFrom = parts.some((p) => p.zval) ? typed.find((f) => f.format === 'outcar')?.path : undefined;
      const r = calculationSites(structure, structureFile, { inputs: siteInputs, files: read, ...(siteInputs.bader?.zval && zvalFrom ? { zvalFrom } : {}) }, kernels, options, notes);
      sites = r.result;
      return r.report;
    },
  };
  const { report } = await analyseCalculation(calc, env, { reference });
  return { report, sites };
}
