import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, cpSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assembleNeb } from '../../../src/io/vasp/neb.js';
import { isNebFolder, readNebFolder } from '../../../src/node/neb.js';
import { fromBytes } from '../../../src/io/source.js';
import { jsKernels } from '../../../src/kernels/js.js';
import { MismatchError, ParseError } from '../../../src/errors.js';
import { REAL, asyncErrorOf, fixture } from './helpers.js';

const NEB = join(REAL, 'neb/aiida-vasp__neb');

describe('NEB folder (aiida-vasp NH3 inversion, IMAGES=3)', () => {
  it('is recognised; its parent folder is not', async () => {
    expect(await isNebFolder(NEB)).toBe(true);
    expect(await isNebFolder(join(REAL, 'neb'))).toBe(false);
    expect(await isNebFolder(join(NEB, '01'))).toBe(false);
  });

  it('reads images, energies from the inner OUTCARs, NaN at the end points (no OUTCAR there)', async () => {
    const p = await readNebFolder(NEB, jsKernels);
    expect(p.names).toEqual(['00', '01', '02', '03', '04']);
    expect(p.images.map((s) => s.species.join(' '))).toEqual(Array(5).fill('H H H N'));
    // energy(sigma->0) of the last ionic step of 01, 02, 03 (OUTCAR lines 16205, …)
    expect(Array.from(p.energies)).toEqual([NaN, -19.49550593, -19.27978461, -19.4955073, NaN]);
    expect(p.energyKind).toBe('energySigma0');
    expect(Array.from(p.tangentForces)).toEqual([NaN, 0.00532, -0.000001, -0.007243, NaN]);
    expect(p.converged).toEqual([null, true, true, true, null]); // no OUTCAR at the end points: unknown
    // inner images use CONTCAR (N moved to z = 0.5241041212472834 in 01), end points POSCAR
    expect(p.images[1].frac[2]).toBe(0.5241041212472834);
    expect(p.images[0].frac[2]).toBe(0.5491645);
    expect(p.images[4].frac[2]).toBe(0.4508355);
  });

  it('the energy kind can be chosen', async () => {
    const p = await readNebFolder(NEB, jsKernels, { energy: 'energyWithoutEntropy' });
    expect(p.energyKind).toBe('energyWithoutEntropy');
    expect(p.energies[2]).toBe(-19.28751515);
  });

  it('gz files, OSZICAR fallback and an empty CONTCAR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oxy-neb-'));
    try {
      cpSync(NEB, dir, { recursive: true });
      rmSync(join(dir, '02/OUTCAR'));
      writeFileSync(join(dir, '01/OUTCAR.gz'), gzipSync(fixture('neb/aiida-vasp__neb/01/OUTCAR')));
      rmSync(join(dir, '01/OUTCAR'));
      writeFileSync(join(dir, '02/OSZICAR'), '   1 F= -.19275919E+02 E0= -.19279785E+02  d E =-.1E+02\n');
      writeFileSync(join(dir, '03/CONTCAR'), '');
      const p = await readNebFolder(dir, jsKernels);
      expect(p.energies[1]).toBe(-19.49550593);
      expect(p.energies[2]).toBe(-19.279785);
      // 03/POSCAR (the CONTCAR is empty): N at z = 0.47541775
      expect(p.images[3].frac[2]).toBe(0.47541775);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an image folder without a structure, and images that differ, are named in the error', async () => {
    const src = (rel: string) => fromBytes(rel, fixture(`neb/aiida-vasp__neb/${rel}`));
    const base = ['00', '01', '02'].map((name) => ({ name, poscar: src(`${name}/POSCAR`) }));
    const e = await asyncErrorOf(() => assembleNeb('neb', [base[0], { name: '01' }, base[2]], jsKernels));
    expect(e).toBeInstanceOf(ParseError);
    expect(e.message).toBe('neb/01: expected a POSCAR or CONTCAR in the image folder, found "none"');
    const other = fromBytes('x/01/POSCAR', 'NH2\n1\n8 0 0\n0 7 0\n0 0 6\nH N\n2 1\nDirect\n0 0 0\n0.1 0 0\n0.2 0 0\n');
    const m = await asyncErrorOf(() => assembleNeb('neb', [base[0], { name: '01', poscar: other }, base[2]], jsKernels));
    expect(m).toBeInstanceOf(MismatchError);
    expect(m.message).toMatch(/^00\/POSCAR vs x\/01\/POSCAR: /);
  });

  it('fewer than three images is a ParseError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oxy-neb-'));
    try {
      mkdirSync(join(dir, '00'));
      mkdirSync(join(dir, '01'));
      expect(await isNebFolder(dir)).toBe(false);
      expect(await asyncErrorOf(() => readNebFolder(dir, jsKernels))).toBeInstanceOf(ParseError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
