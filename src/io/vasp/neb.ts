import { MismatchError, ParseError } from '../../errors.js';
import { readAll, type ByteSource } from '../source.js';
import type { NebPath, OutcarSummary } from '../../model/neb.js';
import type { Structure } from '../../model/structure.js';
import type { Kernels } from '../../kernels/types.js';
import { jsKernels } from '../../kernels/js.js';
import { parsePoscar } from './poscar.js';
import { readOutcar } from './outcar.js';
import { parseOszicar } from './oszicar.js';

/** The files found in one image folder (`00`, `01`, …). */
export interface NebImageFiles {
  name: string;
  poscar?: ByteSource;
  contcar?: ByteSource;
  outcar?: ByteSource;
  oszicar?: ByteSource;
}

export type NebEnergyKind = 'energySigma0' | 'energy' | 'energyWithoutEntropy';

export interface NebOptions {
  /** which OUTCAR energy to use (default energy(sigma->0), as pymatgen; VTST nebef.pl uses energy without entropy) */
  energy?: NebEnergyKind;
}

/** OSZICAR holds F (= TOTEN) and E0 (= energy(sigma->0)) but not the energy without entropy. */
const OSZICAR_FIELD: Record<NebEnergyKind, 'lastF' | 'lastE0' | undefined> = {
  energySigma0: 'lastE0',
  energy: 'lastF',
  energyWithoutEntropy: undefined,
};

/** Only whitespace: VASP leaves an empty CONTCAR behind when a run dies before its first ionic step. */
export function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 32 && b !== 10 && b !== 13 && b !== 9) return false;
  return true;
}

/**
 * The structure of one image: POSCAR at the end points (the NEB job does not move them), CONTCAR inside when it
 * holds a structure. VASP leaves an empty CONTCAR behind when a run dies before its first ionic step: then the
 * POSCAR is used, and the warning says so (that image's geometry is the starting guess, not a relaxed one).
 */
async function imageStructure(image: NebImageFiles, end: boolean, folder: string, kernels: Kernels, warnings: string[]): Promise<{ s: Structure; file: string }> {
  const order = end ? [image.poscar, image.contcar] : [image.contcar, image.poscar];
  let blank: string | undefined;
  for (const src of order) {
    if (!src) continue;
    const bytes = await readAll(src);
    if (isBlank(bytes)) {
      blank ??= src.name;
      continue;
    }
    if (blank && !end) warnings.push(`image ${image.name}: ${blank} is empty (the image's run stopped before its first ionic step); its starting geometry ${src.name} is used`);
    return { s: parsePoscar(bytes, src.name, { kernels }), file: src.name };
  }
  throw new ParseError({ file: `${folder}/${image.name}`, line: 0, expected: 'a POSCAR or CONTCAR in the image folder', found: blank ? `only the empty ${blank}` : 'none' });
}

/** The structures of an NEB's images, the file each came from, and what their reading had to say. */
export interface ImageStructures {
  structures: Structure[];
  files: string[];
  warnings: string[];
}

/** The image structures in order (see imageStructure), checked to hold the same atoms in the same order. */
export async function readImageStructures(folder: string, images: NebImageFiles[], kernels: Kernels = jsKernels): Promise<ImageStructures> {
  const warnings: string[] = [];
  const structures: Structure[] = [];
  const files: string[] = [];
  for (let i = 0; i < images.length; i++) {
    const { s, file } = await imageStructure(images[i], i === 0 || i === images.length - 1, folder, kernels, warnings);
    structures.push(s);
    files.push(file);
  }
  return { structures, files, warnings };
}

/**
 * An NEB path from its image folders in order. Energies come from each image's OUTCAR (or OSZICAR), NaN where
 * neither exists: the end points of an NEB job are not computed by it, so their OUTCARs must be copied in.
 * `read`: the image structures when the caller has read them already (readImageStructures of the same files).
 */
export async function assembleNeb(folder: string, images: NebImageFiles[], kernels: Kernels = jsKernels, options: NebOptions = {}, read?: ImageStructures): Promise<NebPath> {
  if (images.length < 3) {
    throw new ParseError({ file: folder, line: 0, expected: 'at least 3 image folders (00, 01, 02 …)', found: `${images.length}` });
  }
  const kind = options.energy ?? 'energySigma0';
  const n = images.length;
  const energies = new Float64Array(n).fill(NaN);
  const tangentForces = new Float64Array(n).fill(NaN);
  const maxForces = new Float64Array(n).fill(NaN);
  const converged: (boolean | null)[] = [];
  let fromOutcar = 0;
  let fromOszicar = 0;
  const { structures, files, warnings: readWarnings } = read ?? (await readImageStructures(folder, images, kernels));
  const warnings = [...readWarnings];
  for (let i = 1; i < n; i++) {
    const [ref, s] = [structures[0], structures[i]];
    if (s.species.length !== ref.species.length || s.species.some((x, k) => x !== ref.species[k])) {
      throw new MismatchError([files[0], files[i]], `images differ in atoms (${ref.species.length} vs ${s.species.length} sites, or a different species order)`);
    }
  }
  for (let i = 0; i < n; i++) {
    const image = images[i];
    const [s, file] = [structures[i], files[i]];
    let out: OutcarSummary | undefined;
    if (image.outcar) {
      out = await readOutcar(image.outcar);
      if (out.nions !== s.species.length) {
        throw new MismatchError([file, image.outcar.name], `NIONS ${out.nions} but the structure has ${s.species.length} sites`);
      }
      energies[i] = out[kind];
      tangentForces[i] = out.tangentForce;
      maxForces[i] = out.maxForce;
      if (!Number.isNaN(energies[i])) fromOutcar++;
    }
    const field = OSZICAR_FIELD[kind];
    if (Number.isNaN(energies[i]) && image.oszicar && field) {
      energies[i] = parseOszicar(await readAll(image.oszicar), image.oszicar.name)[field];
      if (!Number.isNaN(energies[i])) fromOszicar++;
    }
    converged.push(out ? out.converged : null);
  }
  return {
    folder,
    names: images.map((im) => im.name),
    images: structures,
    energies,
    energyKind: fromOszicar > 0 && fromOutcar === 0 && kind === 'energySigma0' ? 'oszicar-E0' : kind,
    tangentForces,
    maxForces,
    converged,
    warnings,
  };
}
