import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import type { Dos } from '../model/dos.js';
import type { Cohp, IcohpList } from '../model/cohp.js';
import { fromBytes, readAll, textOf, type ByteSource } from '../io/source.js';
import { detectFormat, FORMAT_NAMES, type FormatId } from '../io/detect.js';
import { LineCursor } from '../io/text/lines.js';
import { parsePoscar, readPoscarHeader } from '../io/vasp/poscar.js';
import { readDoscar, type DoscarOptions } from '../io/vasp/doscar.js';
import { readVasprun } from '../io/vasp/vasprun.js';
import { readDoscarLobster } from '../io/lobster/doscar-lobster.js';
import { readIcohplist } from '../io/lobster/icohplist.js';
import { readCohpcar } from '../io/lobster/cohpcar.js';
import { openSource, headText } from './files.js';
import { MismatchError, OxyError, ParseError } from '../errors.js';

export { readNebFolder as loadNeb, isNebFolder } from './neb.js';

/**
 * Paths (or `-` = stdin) → models: the one place commands, `info` and `report` read their inputs. gzip is undone by
 * openSource; stdin is read once into memory, so its head can be sniffed and the whole still parsed.
 */

export interface Input {
  source: ByteSource;
  /** the file on disk, where companions (POTCAR, CONTCAR …) are looked for; none for stdin */
  path?: string;
  format?: FormatId;
}

export async function openInput(path: string): Promise<Input> {
  let source = await openSource(path);
  if (path === '-') source = fromBytes(source.name, await readAll(source));
  const onDisk = path === '-' ? undefined : path;
  return { source, path: onDisk, format: detectFormat(onDisk ?? '', await headText(source)) };
}

/** The first of `names` (plain, then `.gz`) in the folder of `path`. */
async function beside(path: string | undefined, names: string[]): Promise<string | undefined> {
  if (path === undefined) return undefined;
  for (const name of names) {
    for (const candidate of [name, `${name}.gz`]) {
      const p = join(dirname(path), candidate);
      if (await fs.stat(p).then((s) => s.isFile(), () => false)) return p;
    }
  }
  return undefined;
}

/** A VASP 4 POSCAR has no species line: the POTCAR of the run, beside it, names the species (read only then). */
async function potcarFor(bytes: Uint8Array, path: string | undefined, name: string): Promise<string | undefined> {
  let vasp4: boolean;
  try {
    vasp4 = readPoscarHeader(new LineCursor(textOf(bytes.subarray(0, 1 << 16)), name)).labels === undefined;
  } catch {
    return undefined; // parsePoscar reports what is wrong with the header
  }
  const potcar = vasp4 ? await beside(path, ['POTCAR']) : undefined;
  return potcar ? textOf(await readAll(await openSource(potcar))) : undefined;
}

/** What a file cannot say about itself and the user can (`--species`, `--layout`). */
export interface ReadHints {
  /** species per group in POSCAR order (`Li,Mn,O`, matching the counts line), for VASP 4 POSCARs; ignored when the file names them */
  species?: string[];
  /** the projected layout of an ambiguous (17-column) DOSCAR */
  layout?: DoscarOptions['layout'];
}

/** A POSCAR/CONTCAR from a source (`path` on disk locates its POTCAR); a vasprun.xml gives its final structure. */
export async function structureOf(input: Input, kernels: Kernels, hints: ReadHints = {}): Promise<Structure> {
  const { source, path } = input;
  if (input.format === 'vasprun') return (await readVasprun(source, { kernels })).structures.final;
  const bytes = await readAll(source);
  if (hints.species) return parsePoscar(bytes, source.name, { kernels, species: hints.species });
  return parsePoscar(bytes, source.name, { kernels, potcar: await potcarFor(bytes, path, source.name) });
}

export async function loadStructure(path: string, kernels: Kernels, hints: ReadHints = {}): Promise<Structure> {
  return structureOf(await openInput(path), kernels, hints);
}

/** The structure of a run and the file it came from (named in mismatch messages and output). */
export interface RunStructure {
  structure?: Structure;
  structureFile?: string;
}

/** DOSCAR flags that settle its ambiguous column layouts (17 columns: lm non-spin or l non-collinear). */
export interface DoscarFlags {
  noncollinear?: boolean;
  ispin?: 1 | 2;
}

/** LNONCOLLINEAR/LSORBIT from the INCAR beside a DOSCAR, else from the head of the vasprun.xml beside it. */
async function noncollinearHint(dosPath: string | undefined): Promise<boolean | undefined> {
  const incar = await beside(dosPath, ['INCAR']);
  if (incar) {
    const t = textOf(await readAll(await openSource(incar))).replace(/[#!].*$/gm, '');
    return /^\s*(LSORBIT|LNONCOLLINEAR)\s*=\s*\.?T/im.test(t);
  }
  const vr = await beside(dosPath, ['vasprun.xml']);
  if (!vr) return undefined;
  const dec = new TextDecoder('latin1');
  let text = '';
  for await (const c of (await openSource(vr)).chunks()) {
    text += dec.decode(c, { stream: true });
    if (text.includes('</parameters>') || text.length > 1 << 24) break;
  }
  const m = /name="LNONCOLLINEAR">\s*(\S)/.exec(text.slice(text.indexOf('<parameters')));
  return m ? m[1] === 'T' : undefined;
}

/**
 * What names the atoms of a VASP DOSCAR (it does not itself): CONTCAR, POSCAR or vasprun.xml beside it, in that
 * order, and the run's flags. A companion that does not read is skipped: the DOSCAR is what was asked for.
 */
export async function doscarCompanion(dosPath: string | undefined, kernels: Kernels): Promise<RunStructure & { flags: DoscarFlags }> {
  const skipUnreadable = (e: unknown) => {
    if (!(e instanceof OxyError)) throw e;
    return undefined;
  };
  for (const name of ['CONTCAR', 'POSCAR']) {
    const p = await beside(dosPath, [name]);
    const structure = p ? await loadStructure(p, kernels).catch(skipUnreadable) : undefined;
    if (structure) return { structure, structureFile: p, flags: { noncollinear: await noncollinearHint(dosPath) } };
  }
  const vr = await beside(dosPath, ['vasprun.xml']);
  const run = vr ? await readVasprun(await openSource(vr), { kernels }).catch(skipUnreadable) : undefined;
  if (run) {
    const ispin = run.ispin === 1 || run.ispin === 2 ? run.ispin : undefined;
    return { structure: run.structures.final, structureFile: vr, flags: { noncollinear: run.noncollinear, ispin } };
  }
  return { flags: { noncollinear: await noncollinearHint(dosPath) } };
}

/** A structure of another run (other atoms) must not name the DOS's atoms: a MismatchError names both files. */
function checkSites(dos: Dos, given: RunStructure, dosFile: string): void {
  const { structure } = given;
  if (!structure) return;
  const files = [dosFile, given.structureFile ?? 'structure'];
  if (structure.species.length !== dos.nSites) throw new MismatchError(files, `the DOS has ${dos.nSites} sites, the structure ${structure.species.length}`);
  const i = dos.species ? dos.species.findIndex((s, k) => s !== structure.species[k]) : -1;
  if (i >= 0) throw new MismatchError(files, `site ${i + 1} is ${dos.species![i]} in the DOS and ${structure.species[i]} in the structure`);
}

/**
 * A DOS from a DOSCAR, vasprun.xml or DOSCAR.lobster, with the structure of the same run: the one given, else the
 * vasprun.xml's own final structure, else a companion beside a VASP DOSCAR (see doscarCompanion).
 */
export async function dosOf(input: Input, kernels: Kernels, given: RunStructure = {}, hints: ReadHints = {}): Promise<{ dos: Dos } & RunStructure> {
  const { source, format, path } = input;
  let run: RunStructure = given;
  let dos: Dos;
  if (format === 'vasprun') {
    const v = await readVasprun(source, { kernels });
    if (!v.dos) throw new ParseError({ file: source.name, line: 0, expected: 'a <dos> block (the run wrote no DOS)', found: `${v.ionicSteps} ionic steps without one` });
    dos = v.dos;
    if (!run.structure) run = { structure: v.structures.final, structureFile: source.name };
  } else if (format === 'doscar-lobster') {
    dos = await readDoscarLobster(source, { kernels });
  } else if (format === 'doscar') {
    const companion = run.structure ? { ...run, flags: { noncollinear: await noncollinearHint(path) } } : await doscarCompanion(path, kernels);
    run = { structure: companion.structure, structureFile: companion.structureFile };
    dos = await readDoscar(source, { kernels, structure: run.structure, speciesFrom: run.structureFile, ...companion.flags, layout: hints.layout });
  } else {
    throw new ParseError({ file: source.name, line: 1, expected: 'a DOSCAR, vasprun.xml or DOSCAR.lobster', found: format ? FORMAT_NAMES[format] : 'an unknown format' });
  }
  checkSites(dos, run, source.name);
  return { dos, ...run };
}

/** A DOS by path; `structurePath` (e.g. `--structure`) names its atoms, else see dosOf. */
export async function loadDos(path: string, kernels: Kernels, structure: RunStructure | string = {}, hints: ReadHints = {}): Promise<{ dos: Dos } & RunStructure> {
  const given = typeof structure === 'string' ? { structure: await loadStructure(structure, kernels), structureFile: structure } : structure;
  return dosOf(await openInput(path), kernels, given, hints);
}

/** LOBSTER bond data: an ICOHPLIST-family list (values at E_F) or COHPCAR-family curves. */
export type Bonds = { kind: 'list'; list: IcohpList } | { kind: 'curves'; cohp: Cohp };

const LISTS: FormatId[] = ['icohplist', 'icooplist', 'icobilist'];
const CURVES: FormatId[] = ['cohpcar', 'coopcar', 'cobicar'];

export async function loadBonds(path: string, kernels: Kernels): Promise<Bonds> {
  const { source, format } = await openInput(path);
  if (format && LISTS.includes(format)) return { kind: 'list', list: await readIcohplist(source) };
  if (format && CURVES.includes(format)) return { kind: 'curves', cohp: await readCohpcar(source, { kernels }) };
  throw new ParseError({ file: source.name, line: 1, expected: 'an ICOHPLIST/ICOOPLIST/ICOBILIST or COHPCAR/COOPCAR/COBICAR', found: format ? FORMAT_NAMES[format] : 'an unknown format' });
}
