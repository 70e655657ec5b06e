import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import type { Dos } from '../model/dos.js';
import type { NebPath } from '../model/neb.js';
import type { Bonds } from '../io/formats.js';
import { fromBytes, readAll } from '../io/source.js';
import { Inputs, inputOf, nothingBeside, type Beside, type FrameChoice, type FrameOf, type Input, type ReadHints, type RunStructure } from '../pipeline/inputs.js';
import { openSource } from './files.js';
import { isNebFolder, readNebFolder } from './neb.js';
import type { NebOptions } from '../io/vasp/neb.js';

export { isNebFolder };
export type { Bonds, FrameChoice, FrameOf, Input, ReadHints, RunStructure };

/**
 * Paths (or `-` = stdin) → models: the Node side of src/pipeline/inputs.ts (files beside an input are looked up on
 * disk). gzip is undone by openSource; stdin is read once into memory, so its head can be sniffed and the whole
 * still parsed.
 */

/** The file `name` (plain, then `.gz`) in the folder of `path`. */
function besideOnDisk(path: string): Beside {
  return async (name) => {
    for (const candidate of [name, `${name}.gz`]) {
      const p = join(dirname(path), candidate);
      if (await fs.stat(p).then((s) => s.isFile(), () => false)) return openSource(p);
    }
    return undefined;
  };
}

/** A path as an input: its format (`format` = `--format` decides, else detected) and the files beside it. */
export async function openInput(path: string, format?: string): Promise<Input> {
  if (path === '-') {
    const stdin = await openSource(path);
    return inputOf(fromBytes(stdin.name, await readAll(stdin)), '-', nothingBeside, format);
  }
  return inputOf(await openSource(path), path, besideOnDisk(path), format);
}

/**
 * Reads paths through the format registry; every warning of every read (companions included) lands in
 * `warnings`, for the command to print and put in its JSON.
 */
export class Loader extends Inputs {
  constructor(kernels: Kernels, hints: ReadHints = {}) {
    super(kernels, hints);
  }

  async structureAt(path: string, format?: string): Promise<Structure> {
    return this.structure(await openInput(path, format));
  }

  /** A structure, or one frame of a trajectory (see Inputs.structureOrFrame). */
  async structureOrFrameAt(path: string, format?: string, frame?: FrameChoice): Promise<{ structure: Structure; frame?: FrameOf }> {
    return this.structureOrFrame(await openInput(path, format), frame);
  }

  /** A DOS by path; `given` (e.g. `--structure`) names its atoms, else see Inputs.dos. */
  async dosAt(path: string, given: RunStructure | string = {}, format?: string): Promise<{ dos: Dos } & RunStructure> {
    const run = typeof given === 'string' ? { structure: await this.structureAt(given), structureFile: given } : given;
    return this.dos(await openInput(path, format), run);
  }

  async bondsAt(path: string, format?: string): Promise<Bonds> {
    return this.bonds(await openInput(path, format));
  }

  async nebAt(path: string, options: NebOptions = {}): Promise<NebPath> {
    return this.neb(await readNebFolder(path, this.kernels, options));
  }
}

/** One structure by path (`hints.warnings` collects the warnings). */
export function loadStructure(path: string, kernels: Kernels, hints: ReadHints = {}): Promise<Structure> {
  return new Loader(kernels, hints).structureAt(path);
}

/** One DOS by path with the structure of its run (`hints.warnings` collects the warnings). */
export function loadDos(path: string, kernels: Kernels, structure: RunStructure | string = {}, hints: ReadHints = {}): Promise<{ dos: Dos } & RunStructure> {
  return new Loader(kernels, hints).dosAt(path, structure);
}

/** LOBSTER bond data by path (`hints.warnings` collects the warnings). */
export function loadBonds(path: string, kernels: Kernels, hints: ReadHints = {}): Promise<Bonds> {
  return new Loader(kernels, hints).bondsAt(path);
}

/** An NEB folder (`hints.warnings` collects the warnings). */
export function loadNeb(path: string, kernels: Kernels, options: NebOptions = {}, hints: ReadHints = {}): Promise<NebPath> {
  return new Loader(kernels, hints).nebAt(path, options);
}
