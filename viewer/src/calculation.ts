import type { Kernels } from '../../src/kernels/types.js';
import type { Structure } from '../../src/model/structure.js';
import { baseName, detectFormat } from '../../src/io/formats.js';
import { group, type CalcFile } from '../../src/pipeline/group.js';
import { headText, inputOf } from '../../src/pipeline/inputs.js';
import { analyseCalculation, type CalcReport } from '../../src/pipeline/calculation.js';
import { ParseError } from '../../src/errors.js';
import { besideIn, blobSource, dirOf, INPUTS, type InputFile } from './load.js';

/**
 * The calculation a file belongs to, analysed by the calculation pipeline exactly as `oxyscope report` does: the
 * files of its folder grouped by src/pipeline/group.ts, read with their companions from the same folder. What the
 * panel's numbers show is this CalcReport.
 */
export async function calculationOf(file: string, files: InputFile[], kernels: Kernels, reference?: { file: string; structure: Structure }): Promise<CalcReport | undefined> {
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
  const { report } = await analyseCalculation(
    calc,
    {
      kernels,
      open: async (path, format) => inputOf(await blobSource(path, byPath.get(path)!.blob), path, besideIn(files, folder), format),
      neb: async (path) => {
        throw new ParseError({ file: path, line: 0, expected: 'files of one calculation', found: 'an NEB folder (the viewer reads those as NEB datasets)' });
      },
      display: (p) => p,
    },
    { reference },
  );
  return report;
}
