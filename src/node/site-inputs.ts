import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import type { MadelungEnergies } from '../model/populations.js';
import type { SiteInputs } from '../analysis/sites.js';
import { readCharge } from '../io/lobster/charge.js';
import { readIcohplist } from '../io/lobster/icohplist.js';
import { readMadelungEnergies, readSitePotentials } from '../io/lobster/sitepotentials.js';
import { readGrossPop } from '../io/lobster/grosspop.js';
import { readAcf } from '../io/bader/acf.js';
import { readMagnetization } from '../io/vasp/magnetization.js';
import { readZval } from '../io/vasp/zval.js';
import { loadDos } from './load.js';
import { openSource } from './files.js';
import type { ByteSource } from '../io/source.js';

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
}

/** Reads every path of `paths`; ZVAL for Bader from the POTCAR, else from the OUTCAR. */
export async function loadSiteInputs(paths: SitePaths, structure: Structure, structureFile: string, kernels: Kernels): Promise<LoadedSiteInputs> {
  const inputs: SiteInputs = {};
  const files: Record<string, string> = {};
  /** Reads `path` (when given) with `reader`, noting it under `key`. */
  const read = async <T>(key: string, path: string | undefined, reader: (source: ByteSource) => Promise<T>): Promise<T | undefined> => {
    if (!path) return undefined;
    files[key] = path;
    return reader(await openSource(path));
  };
  inputs.charges = await read('charges', paths.charges, readCharge);
  inputs.magnetization = await read('magnetization', paths.outcar, readMagnetization);
  let zvalFrom: string | undefined;
  const acf = await read('bader', paths.bader, readAcf);
  if (acf) {
    let zval: Record<string, number> | undefined;
    for (const p of [paths.potcar, paths.outcar]) {
      if (!p) continue;
      const list = await readZval(await openSource(p));
      if (list.length === 0) continue;
      zval = Object.fromEntries(list.map((v) => [v.element, v.zval]));
      zvalFrom = p;
      break;
    }
    inputs.bader = { acf, zval };
  }
  inputs.icohp = await read('icohp', paths.icohp, readIcohplist);
  inputs.icobi = await read('icobi', paths.icobi, readIcohplist);
  inputs.sitePotentials = await read('sitePotentials', paths.madelung, readSitePotentials);
  inputs.grossPopulations = await read('grossPopulations', paths.grosspop, readGrossPop);
  const madelungEnergies = await read('madelungEnergies', paths.madelungEnergies, readMadelungEnergies);
  if (paths.dos) {
    inputs.dos = (await loadDos(paths.dos, kernels, { structure, structureFile })).dos;
    files.dos = paths.dos;
  }
  // inputs not given stay absent (not `undefined` keys), so the JSON and `in` checks see only what was read
  for (const k of Object.keys(inputs) as (keyof SiteInputs)[]) if (inputs[k] === undefined) delete inputs[k];
  return { inputs, madelungEnergies, files, ...(zvalFrom ? { zvalFrom } : {}) };
}
