import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/node/paths.js';
import { formatById, readFormat } from '../src/io/formats.js';
import { jsKernels } from '../src/kernels/js.js';
import { openSource } from '../src/node/files.js';
import type { Structure } from '../src/model/structure.js';
import { writePoscar } from '../src/io/vasp/poscar-write.js';
import { makeStructure } from '../src/model/structure.js';

/**
 * Many small calculation folders for the report bench and the SLURM test: `calc-0000/POSCAR` … each one of the
 * three bundled LRLO model structures (120–144 atoms) with every fractional coordinate moved by up to ±0.002
 * (≈ 0.02 Å), so every folder has its own bytes and hash but the same analyses apply.
 */
// from the package folder: this module also runs compiled from dist-bench/
const MODELS = ['pristine', 'delithiated', 'migrated'].map((m) => join(packageRoot(), 'examples', 'lrlo', 'model', m, 'POSCAR'));

export async function writeCalcFolders(dir: string, n: number): Promise<string[]> {
  const models: Structure[] = [];
  for (const u of MODELS) models.push((await readFormat(formatById('poscar'), await openSource(u), { kernels: jsKernels })).value as Structure);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const base = models[i % models.length];
    const frac = base.frac.map((x) => x + (Math.random() - 0.5) * 0.004);
    const id = `calc-${String(i).padStart(4, '0')}`;
    mkdirSync(join(dir, id), { recursive: true });
    writeFileSync(join(dir, id, 'POSCAR'), writePoscar(makeStructure({ ...base, frac, cart: undefined })));
    ids.push(id);
  }
  return ids;
}
