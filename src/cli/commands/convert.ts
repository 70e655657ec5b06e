import { Command, Option } from 'commander';
import { withEngine, withFormat, withSpecies, type EngineOpts, type FormatOpts, type HintOpts } from '../options.js';
import { finish, type OutputOpts } from '../output.js';
import { loadKernels } from '../../node/kernels.js';
import { isNebFolder, Loader, openInput } from '../../node/load.js';
import { writeAtomic } from '../../node/write.js';
import { writeExtxyz, writePoscar } from '../../io/vasp/poscar-write.js';
import { frameStructure } from '../../model/trajectory.js';
import type { Structure } from '../../model/structure.js';
import { UsageError } from '../../errors.js';

type ConvertOpts = EngineOpts & HintOpts & FormatOpts & Pick<OutputOpts, 'strict'> & { to: 'extxyz' | 'poscar'; out?: string; frame?: number; force?: boolean };

/** Frames of the input: one structure, every XDATCAR frame, or every NEB image in order. */
async function framesOf(path: string, loader: Loader, format?: string): Promise<Structure[]> {
  if (path !== '-' && (await isNebFolder(path))) return (await loader.nebAt(path)).images;
  const input = await openInput(path, format);
  if (input.format?.as?.trajectory) {
    const t = await loader.trajectory(input);
    return Array.from({ length: t.nFrames }, (_, i) => frameStructure(t, i));
  }
  return [await loader.structure(input)];
}

function parseFrame(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--frame takes a frame or image number from 1 (got "${v}")`);
  return n;
}

export function convertCommand(): Command {
  return withEngine(withFormat(withSpecies(
    new Command('convert')
      .summary('write structures, XDATCAR frames or NEB images as extended XYZ or POSCAR')
      .description('convert a structure (POSCAR/CONTCAR/vasprun.xml), an XDATCAR or an NEB folder to extended XYZ (OVITO, ASE) or VASP 5 POSCAR')
      .argument('<path>', 'POSCAR/CONTCAR/vasprun.xml, XDATCAR, or an NEB folder (00..NN); - reads stdin')
      .addOption(new Option('--to <format>', 'output format').choices(['extxyz', 'poscar']).default('extxyz'))
      .option('--frame <n>', 'only this frame or image (1-based); POSCAR output of a trajectory needs it', parseFrame)
      .option('--out <file>', 'write here (atomically) instead of stdout')
      .option('--force', 'replace an existing --out file')
      .addHelpText('after', '\nExamples:\n  oxyscope convert XDATCAR --out md.extxyz\n  oxyscope convert neb/ --to extxyz > path.xyz\n  oxyscope convert XDATCAR --frame 10 --to poscar --out POSCAR.10'),
  ))).action(async (path: string, opts: ConvertOpts) => {
    const loader = new Loader(await loadKernels(opts.engine), opts);
    let frames = await framesOf(path, loader, opts.format);
    if (opts.frame !== undefined) {
      if (opts.frame > frames.length) throw new UsageError(`--frame ${opts.frame}: ${path} has ${frames.length} frame${frames.length === 1 ? '' : 's'}`);
      frames = [frames[opts.frame - 1]];
    }
    if (opts.to === 'poscar' && frames.length > 1) throw new UsageError(`${path} has ${frames.length} frames: choose one with --frame for POSCAR output`);
    const text = opts.to === 'poscar' ? writePoscar(frames[0]) : writeExtxyz(frames);
    if (opts.out) await writeAtomic(opts.out, text, opts.force);
    else process.stdout.write(text);
    finish(opts, loader.warnings);
  });
}
