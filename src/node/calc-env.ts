import { relative, sep } from 'node:path';
import type { Kernels } from '../kernels/types.js';
import type { CalcEnv } from '../pipeline/calculation.js';
import { openInput } from './load.js';
import { readNebFolder } from './neb.js';
import { sitesForCalculation } from './report-sites.js';

/** The calculation pipeline on disk: files opened with their companions beside them, paths shown relative to `root`. */
export function nodeCalcEnv(root: string, kernels: Kernels): CalcEnv {
  const display = (p: string) => relative(root, p).split(sep).join('/') || '.';
  return {
    kernels,
    open: (path, format) => openInput(path, format),
    neb: (path) => readNebFolder(path, kernels),
    display,
    sites: (structure, file, dos, dosFile, options, notes) => sitesForCalculation(structure, file, dos, dosFile, kernels, { ...options, rel: display }, notes),
  };
}
