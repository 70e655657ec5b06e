import { promises as fs } from 'node:fs';
import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import { readAll, textOf } from '../io/source.js';
import { isBlank, type NebEnergyKind } from '../io/vasp/neb.js';
import { formatById, readFormat, type Read } from '../io/formats.js';
import type { OszicarSummary } from '../io/vasp/oszicar.js';
import type { Vasprun } from '../io/vasp/vasprun.js';
import { unconvergedReason, type OutcarSummary } from '../model/neb.js';
import { parseEnergyTable, type EnergyRow } from '../io/energy-table.js';
import { MismatchError, ParseError } from '../errors.js';
import { openSource } from './files.js';
import { FolderFiles } from './folder-files.js';
import { loadStructure } from './load.js';

/**
 * One calculation of a series (voltage): its final structure and final energy, read from a folder (CONTCAR, else
 * POSCAR, else the vasprun.xml's final structure; energy from OUTCAR, else vasprun.xml, else OSZICAR) or given by
 * an energy table.
 */

export type EnergyField = NebEnergyKind;

export interface CalcEnergy {
  /** eV per cell */
  value: number;
  /** the file it came from (the table for a table row) */
  file: string;
  field: EnergyField;
  from: 'OUTCAR' | 'vasprun.xml' | 'OSZICAR' | 'table';
}

export interface SeriesCalculation {
  /** the path as given */
  path: string;
  structure: Structure;
  structureFile: string;
  energy: CalcEnergy;
  warnings: string[];
}

/** OSZICAR and vasprun.xml hold F (= TOTEN) and E0 (= energy(sigma->0)), not the energy without entropy. */
const OSZICAR_FIELD = { energySigma0: 'lastE0', energy: 'lastF' } as const;

/** `path` read as the registry's format `id` (the file's role in the folder says which); its warnings go to `warnings`. */
async function readAs<T>(id: string, path: string, kernels: Kernels, warnings?: string[]): Promise<T> {
  const r = (await readFormat(formatById(id), await openSource(path), { kernels })) as Read<T>;
  warnings?.push(...r.warnings);
  return r.value;
}

/** `base` or `base.gz` in a folder, plain first. */
function inFolder(dir: string, base: string, folders: FolderFiles): string | undefined {
  return folders.file(dir, base) ?? folders.file(dir, `${base}.gz`);
}

async function folderStructure(dir: string, kernels: Kernels): Promise<{ structure: Structure; file: string }> {
  const folders = new FolderFiles();
  for (const base of ['CONTCAR', 'POSCAR']) {
    const p = inFolder(dir, base, folders);
    if (p && !isBlank(await readAll(await openSource(p)))) return { structure: await loadStructure(p, kernels), file: p };
  }
  const vr = inFolder(dir, 'vasprun.xml', folders);
  if (vr) return { structure: (await readAs<Vasprun>('vasprun', vr, kernels)).structures.final, file: vr };
  throw new ParseError({ file: dir, line: 0, expected: 'a CONTCAR, POSCAR or vasprun.xml in the calculation folder', found: 'none' });
}

/** The final energy of the run in `dir` (see the module comment); undefined when no file there has one. */
export async function folderEnergy(dir: string, nSites: number, field: EnergyField, kernels: Kernels, warnings: string[], folders = new FolderFiles()): Promise<CalcEnergy | undefined> {
  const outcar = inFolder(dir, 'OUTCAR', folders);
  if (outcar) {
    const out = await readAs<OutcarSummary>('outcar', outcar, kernels, warnings);
    if (out.nions !== nSites) throw new MismatchError([outcar, dir], `NIONS ${out.nions} but the structure has ${nSites} sites`);
    if (Number.isFinite(out[field])) {
      if (!out.finished) warnings.push(`${outcar}: the run did not finish (no timing block): its last energy is used`);
      else if (!out.converged) warnings.push(`${outcar}: the run did not reach the required accuracy: ${unconvergedReason(out)}`);
      return { value: out[field], file: outcar, field, from: 'OUTCAR' };
    }
  }
  if (field === 'energyWithoutEntropy') return undefined;
  const vr = inFolder(dir, 'vasprun.xml', folders);
  if (vr) {
    const run = await readAs<Vasprun>('vasprun', vr, kernels, warnings);
    if (run.atoms.length !== nSites) throw new MismatchError([vr, dir], `${run.atoms.length} atoms but the structure has ${nSites} sites`);
    if (run.finalEnergy) return { value: run.finalEnergy[field], file: vr, field, from: 'vasprun.xml' };
  }
  const osz = inFolder(dir, 'OSZICAR', folders);
  if (osz) {
    const value = (await readAs<OszicarSummary>('oszicar', osz, kernels, warnings))[OSZICAR_FIELD[field]];
    if (Number.isFinite(value)) return { value, file: osz, field, from: 'OSZICAR' };
  }
  return undefined;
}

/**
 * A calculation folder, or a structure file with its energy from the table (a vasprun.xml file also carries its
 * own). `table` is the energy given for this path by `--energies`, which wins over the files.
 */
export async function readSeriesCalculation(path: string, kernels: Kernels, field: EnergyField, table?: { value: number; file: string }): Promise<SeriesCalculation> {
  const st = await fs.stat(path).catch(() => undefined);
  if (!st) throw new ParseError({ file: path, line: 0, expected: 'a calculation folder or structure file', found: 'no such file or folder' });
  const warnings: string[] = [];
  const { structure, file } = st.isDirectory() ? await folderStructure(path, kernels) : { structure: await loadStructure(path, kernels), file: path };
  const tabled: CalcEnergy | undefined = table ? { ...table, field, from: 'table' } : undefined;
  let energy = tabled ?? (st.isDirectory() ? await folderEnergy(path, structure.species.length, field, kernels, warnings) : undefined);
  if (!energy && !st.isDirectory() && /vasprun/i.test(path)) {
    const run = await readAs<Vasprun>('vasprun', path, kernels, warnings);
    if (run.finalEnergy && field !== 'energyWithoutEntropy') energy = { value: run.finalEnergy[field], file: path, field, from: 'vasprun.xml' };
  }
  if (!energy) {
    const which = field === 'energyWithoutEntropy' ? 'an OUTCAR (only it has the energy without entropy)' : 'an OUTCAR, vasprun.xml or OSZICAR with a final energy';
    throw new ParseError({ file: path, line: 0, expected: `${which}, or a row for it in --energies`, found: 'none' });
  }
  return { path, structure, structureFile: file, energy, warnings };
}

/** An energy table (`--energies`); its paths are relative to the table's folder. */
export async function loadEnergyTable(path: string): Promise<EnergyRow[]> {
  return parseEnergyTable(textOf(await readAll(await openSource(path)), path), path);
}
