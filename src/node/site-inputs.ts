import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import type { MadelungEnergies, PotcarValence } from '../model/populations.js';
import type { OutcarSummary } from '../model/neb.js';
import { ParseError } from '../errors.js';
import type { SiteInputs } from '../analysis/sites.js';
import { formatById, readFormat } from '../io/formats.js';
import { loadDos } from './load.js';
import { openSource } from './files.js';

/**
 * The per-atom files of one run for `oxyscope sites` and `report`: the paths given, else the standard names beside
 * the structure. Each input keeps the path it was read from (named in output and in mismatch messages).
 */
export interface SitePaths {
  charges?: string;
  outcar?: string;
  potcar?: string;
  bader?: string;
  icohp?: string;
  icobi?: string;
  madelung?: string;
  madelungEnergies?: string;
  grosspop?: string;
  dos?: string;
}

/** Standard file names per input, first match wins (`.gz` accepted). */
export const STANDARD_NAMES: Record<keyof SitePaths, string[]> = {
  charges: ['CHARGE.lobster'],
  outcar: ['OUTCAR'],
  potcar: ['POTCAR'],
  bader: ['ACF.dat'],
  icohp: ['ICOHPLIST.lobster'],
  icobi: ['ICOBILIST.lobster'],
  madelung: ['SitePotentials.lobster'],
  madelungEnergies: ['MadelungEnergies.lobster'],
  grosspop: ['GROSSPOP.lobster'],
  dos: ['DOSCAR', 'vasprun.xml', 'DOSCAR.lobster'],
};

async function isFile(p: string): Promise<boolean> {
  return fs.stat(p).then((s) => s.isFile(), () => false);
}

/** The given paths, completed by standard names found in the folder of `structurePath` (unless `find` is false). */
export async function findSitePaths(structurePath: string | undefined, given: SitePaths, find = true): Promise<SitePaths> {
  const out: SitePaths = { ...given };
  if (!find || structurePath === undefined || structurePath === '-') return out;
  const dir = dirname(structurePath);
  for (const key of Object.keys(STANDARD_NAMES) as (keyof SitePaths)[]) {
    if (out[key] !== undefined) continue;
    search: for (const n of STANDARD_NAMES[key]) {
      for (const candidate of [n, `${n}.gz`]) {
        const p = join(dir, candidate);
        if (await isFile(p)) {
          out[key] = p;
          break search;
        }
      }
    }
  }
  return out;
}

export interface LoadedSiteInputs {
  inputs: SiteInputs;
  madelungEnergies?: MadelungEnergies;
  /** input → path it was read from */
  files: Record<string, string>;
  /** where ZVAL came from (POTCAR or OUTCAR), when the Bader net charge could be formed */
  zvalFrom?: string;
  /** what the readers said about the files (each naming its file) */
  warnings: string[];
}

/**
 * Reads every path of `paths` through the format registry (each input as the format its key names, whatever the
 * file is called); ZVAL for Bader from the POTCAR, else from the OUTCAR's POTCAR headers.
 */
export async function loadSiteInputs(paths: SitePaths, structure: Structure, structureFile: string, kernels: Kernels): Promise<LoadedSiteInputs> {
  const inputs: SiteInputs = {};
  const files: Record<string, string> = {};
  const warnings: string[] = [];
  const readAs = async <T>(format: string, path: string): Promise<T> => {
    const r = await readFormat(formatById(format), await openSource(path), { kernels });
    warnings.push(...r.warnings);
    return r.value as T;
  };
  /** Reads `path` (when given) as `format`, noting it under `key`. */
  const read = async <T>(key: string, path: string | undefined, format: string): Promise<T | undefined> => {
    if (!path) return undefined;
    files[key] = path;
    return readAs<T>(format, path);
  };
  inputs.charges = await read('charges', paths.charges, 'charge-lobster');
  const outcar = await read<OutcarSummary>('magnetization', paths.outcar, 'outcar');
  inputs.magnetization = outcar?.magnetization;
  let zvalFrom: string | undefined;
  const acf = await read<NonNullable<SiteInputs['bader']>['acf']>('bader', paths.bader, 'bader-acf');
  if (acf) {
    let zval: Record<string, number> | undefined;
    // a POTCAR without headers is not a valence source: the OUTCAR's copy of them is tried next
    const potcar = paths.potcar ? await readAs<PotcarValence[]>('potcar', paths.potcar).catch((e: unknown) => (e instanceof ParseError ? [] : Promise.reject(e))) : [];
    for (const [p, list] of [[paths.potcar, potcar], [paths.outcar, outcar?.zval ?? []]] as const) {
      if (!p || list.length === 0) continue;
      zval = Object.fromEntries(list.map((v) => [v.element, v.zval]));
      zvalFrom = p;
      break;
    }
    inputs.bader = { acf, zval };
  }
  inputs.icohp = await read('icohp', paths.icohp, 'icohplist');
  inputs.icobi = await read('icobi', paths.icobi, 'icobilist');
  inputs.sitePotentials = await read('sitePotentials', paths.madelung, 'sitepotentials-lobster');
  inputs.grossPopulations = await read('grossPopulations', paths.grosspop, 'grosspop-lobster');
  const madelungEnergies = await read<MadelungEnergies>('madelungEnergies', paths.madelungEnergies, 'madelung-lobster');
  if (paths.dos) {
    inputs.dos = (await loadDos(paths.dos, kernels, { structure, structureFile })).dos;
    files.dos = paths.dos;
  }
  // inputs not given stay absent (not `undefined` keys), so the JSON and `in` checks see only what was read
  for (const k of Object.keys(inputs) as (keyof SiteInputs)[]) if (inputs[k] === undefined) delete inputs[k];
  return { inputs, madelungEnergies, files, warnings, ...(zvalFrom ? { zvalFrom } : {}) };
}
