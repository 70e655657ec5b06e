import type { Kernels } from '../kernels/types.js';
import type { FormatId } from '../io/detect.js';
import type { Structure } from '../model/structure.js';
import type { Dos } from '../model/dos.js';
import type { Cohp, IcohpList } from '../model/cohp.js';
import { readAll } from '../io/source.js';
import { parsePoscar } from '../io/vasp/poscar.js';
import { readDoscar } from '../io/vasp/doscar.js';
import { readVasprun, type Vasprun } from '../io/vasp/vasprun.js';
import { readDoscarLobster } from '../io/lobster/doscar-lobster.js';
import { parseIcohplist } from '../io/lobster/icohplist.js';
import { readCohpcar } from '../io/lobster/cohpcar.js';
import { openSource } from './files.js';
import { ParseError } from '../errors.js';

/** Whole-file readers by path (gzip undone by openSource), for commands that take several files of one run. */

export async function loadStructure(path: string, kernels: Kernels): Promise<Structure> {
  return parsePoscar(await readAll(await openSource(path)), path, { kernels });
}

/**
 * A DOS from a DOSCAR, vasprun.xml or DOSCAR.lobster. A VASP DOSCAR names no atoms: `structure` (a POSCAR/CONTCAR of
 * the same run, read from `structureFile`) names them, and a site-count mismatch names both files. A vasprun.xml
 * also gives its final structure.
 */
export async function loadDos(path: string, format: FormatId, kernels: Kernels, structure?: Structure, structureFile?: string): Promise<{ dos: Dos; structure?: Structure }> {
  const source = await openSource(path);
  if (format === 'doscar') return { dos: await readDoscar(source, { kernels, structure, speciesFrom: structureFile }) };
  if (format === 'doscar-lobster') return { dos: await readDoscarLobster(source, { kernels }) };
  if (format === 'vasprun') {
    const run = await loadVasprun(path, kernels);
    if (!run.dos) throw new ParseError({ file: path, line: 0, expected: 'a <dos> block (the run wrote no DOS)', found: `${run.ionicSteps} ionic steps without one` });
    return { dos: run.dos, structure: run.structures.final };
  }
  throw new ParseError({ file: path, line: 0, expected: 'a DOSCAR, vasprun.xml or DOSCAR.lobster', found: format });
}

export async function loadVasprun(path: string, kernels: Kernels): Promise<Vasprun> {
  return readVasprun(await openSource(path), { kernels });
}

export async function loadIcohplist(path: string): Promise<IcohpList> {
  return parseIcohplist(await readAll(await openSource(path)), path);
}

export async function loadCohpcar(path: string, kernels: Kernels): Promise<Cohp> {
  return readCohpcar(await openSource(path), { kernels });
}
