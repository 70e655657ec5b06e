import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { framesOfStructures, type PathFrames } from '../analysis/path-census.js';
import { nebAnalysis } from '../analysis/neb.js';
import { structureFileIn } from './calc-folder.js';
import { statPath } from './fs-kind.js';
import { isNebFolder, Loader, openInput } from './load.js';

/**
 * The frames a path analysis runs over, from the command line: one NEB folder (its images, with the reaction
 * coordinate), one trajectory (an XDATCAR, or a calculation folder with one), or structure files (or calculation
 * folders: their CONTCAR, else POSCAR) in the order given. Each input is opened once (stdin `-` can be read only once).
 */
export async function loadPathFrames(args: string[], loader: Loader, format?: string): Promise<PathFrames> {
  if (args.length === 1 && args[0] !== '-' && (await isNebFolder(args[0]))) {
    const neb = await loader.nebAt(args[0]);
    const frames = framesOfStructures(neb.images, neb.names, 'neb', args[0]);
    return { ...frames, reactionCoordinate: nebAnalysis(neb, loader.kernels).reactionCoordinate };
  }
  if (args.length === 1) {
    const file = (await trajectoryIn(args[0])) ?? (await structureFileIn(args[0]));
    const input = await openInput(file, format);
    if (input.format?.as?.trajectory) {
      const t = await loader.trajectory(input);
      return { kind: 'trajectory', source: file, trajectory: t, names: Array.from(t.steps, (s) => `step ${s}`) };
    }
    return framesOfStructures([await loader.structure(input)], [file], 'structures', file);
  }
  const files: string[] = [];
  for (const a of args) files.push(await structureFileIn(a));
  const structures = [];
  for (const f of files) structures.push(await loader.structureAt(f, format));
  return framesOfStructures(structures, files, 'structures', files[0]);
}

/** The XDATCAR (plain or .gz) of a calculation folder; undefined for a file, stdin or a folder without one. */
async function trajectoryIn(path: string): Promise<string | undefined> {
  if (path === '-' || !(await statPath(path)).isDirectory()) return undefined;
  for (const name of ['XDATCAR', 'XDATCAR.gz']) {
    const p = join(path, name);
    if (await fs.stat(p).then((st) => st.isFile() && st.size > 0, () => false)) return p;
  }
  return undefined;
}
