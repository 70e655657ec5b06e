import { framesOfStructures, type PathFrames } from '../analysis/path-census.js';
import { nebAnalysis } from '../analysis/neb.js';
import { structureFileIn } from './calc-folder.js';
import { isNebFolder, Loader } from './load.js';

/**
 * The frames a path analysis runs over, from the command line: one NEB folder (its images, with the reaction
 * coordinate), one trajectory (XDATCAR), or several structure files (or calculation folders) in the order given.
 */
export async function loadPathFrames(args: string[], loader: Loader, format?: string): Promise<PathFrames> {
  if (args.length === 1 && args[0] !== '-' && (await isNebFolder(args[0]))) {
    const neb = await loader.nebAt(args[0]);
    const frames = framesOfStructures(neb.images, neb.names, 'neb', args[0]);
    return { ...frames, reactionCoordinate: nebAnalysis(neb, loader.kernels).reactionCoordinate };
  }
  if (args.length === 1) {
    const t = await loader.trajectoryAt(args[0], format);
    if (t) return { kind: 'trajectory', source: args[0], trajectory: t, names: Array.from(t.steps, (s) => `step ${s}`) };
  }
  const files: string[] = [];
  for (const a of args) files.push(await structureFileIn(a));
  const structures = [];
  for (const f of files) structures.push(await loader.structureAt(f, format));
  return framesOfStructures(structures, files, 'structures', files[0]);
}
