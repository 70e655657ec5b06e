import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createProgram } from '../../src/cli/program.js';
import { MismatchError, ParseError } from '../../src/errors.js';
import { loadDos, loadNeb } from '../../src/node/load.js';
import { nebAnalysis } from '../../src/analysis/neb.js';
import { jsKernels } from '../../src/kernels/js.js';

/** Files that do not belong together must fail naming both; an NEB folder with a hole says which image. */

const REAL = 'test/fixtures/real';
const K4 = `${REAL}/vasp/doscar/custodian__lobster__vasp_lobster_output`;
const LOB = `${REAL}/lobster`;
const NEB = `${REAL}/vasp/neb/aiida-vasp__neb`;
const tmp = mkdtempSync(join(tmpdir(), 'oxyscope-cross-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** The CLI in-process, quiet; resolves to the error it ended with. */
async function failure(...args: string[]): Promise<Error> {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await createProgram().exitOverride().parseAsync(['node', 'oxyscope', ...args]);
  } catch (e) {
    return e as Error;
  } finally {
    vi.restoreAllMocks();
  }
  throw new Error('expected the command to fail');
}

describe('a DOS and a structure of another run', () => {
  it('DOSCAR (14 ions) with a POSCAR of 6 sites: MismatchError naming both files and both counts', async () => {
    const poscar = `${LOB}/doscar/custodian__lobster__v51/POSCAR`;
    const e = await failure('pdos', `${K4}/DOSCAR`, '--structure', poscar, '--engine', 'js');
    expect(e).toBeInstanceOf(MismatchError);
    expect((e as MismatchError).files).toEqual([`${K4}/DOSCAR`, poscar]);
    expect(e.message).toMatch(/14 ions.*the structure \d+ sites/);
  });

  it('DOSCAR.lobster (KF, 2 sites) with a structure of other species: the first differing site, both files', async () => {
    // same count (2 sites), other elements: a copy of the KF POSCAR with K → Na
    const kf = readFileSync(`${LOB}/doscar/pymatgen-test-files__KF-spin/POSCAR.lobster.spin_DOS`, 'utf8');
    const other = join(tmp, 'POSCAR.NaF');
    writeFileSync(other, kf.replace(/\bK\b/g, 'Na'));
    const dos = `${LOB}/doscar/pymatgen-test-files__KF-spin/DOSCAR.lobster.spin`;
    const e = await loadDos(dos, jsKernels, other).then(() => undefined, (x: unknown) => x as MismatchError);
    expect(e).toBeInstanceOf(MismatchError);
    expect(e!.files).toEqual([dos, other]);
    expect(e!.message).toContain('site 2 is K in the DOS and Na in the structure');
  });

  it('vasprun.xml DOS with the CONTCAR of another run: MismatchError naming both', async () => {
    const vr = `${REAL}/vasp/doscar/aiida-vasp__doscar/vasprun.xml`;
    const e = await failure('pdos', vr, '--structure', `${K4}/CONTCAR`, '--engine', 'js');
    expect(e).toBeInstanceOf(MismatchError);
    expect((e as MismatchError).files).toEqual([vr, `${K4}/CONTCAR`]);
    expect(e.message).toContain('the DOS has 4 sites, the structure 14');
  });
});

describe('an ICOHPLIST and a structure of another run', () => {
  it('labels naming atoms past the structure: MismatchError naming both files and the label', async () => {
    const list = `${LOB}/icohplist/custodian__lobster__v51/ICOHPLIST.lobster`;
    const e = await failure('cohp', list, '--structure', `${LOB}/doscar/pymatgen-test-files__KF-spin/POSCAR.lobster.spin_DOS`, '--engine', 'js');
    expect(e).toBeInstanceOf(MismatchError);
    expect((e as MismatchError).files[0]).toBe(list);
    expect(e.message).toContain('POSCAR.lobster.spin_DOS');
    expect(e.message).toMatch(/atom \w+ (does not exist: the structure has 2 sites|is \w+ in the structure)/);
  });

  it('labels whose element differs from the site: MismatchError naming the atom, both elements and both files', async () => {
    const list = `${LOB}/icohplist/ICOHPLIST.lobster.KF_nospin`;
    const kf = readFileSync(`${LOB}/doscar/pymatgen-test-files__KF-spin/POSCAR.lobster.spin_DOS`, 'utf8');
    const other = join(tmp, 'POSCAR.NaF2');
    writeFileSync(other, kf.replace(/\bK\b/g, 'Na'));
    const e = await failure('cohp', list, '--structure', other, '--engine', 'js');
    expect(e).toBeInstanceOf(MismatchError);
    expect((e as MismatchError).files).toEqual([list, other]);
    expect(e.message).toContain('atom K2 is Na in the structure (site 2), not K');
  });
});

describe('NEB folders with a missing or unconverged image', () => {
  /** A copy of the real NEB run, changed by `edit`. */
  function nebCopy(name: string, edit: (dir: string) => void): string {
    const dir = join(tmp, name);
    cpSync(NEB, dir, { recursive: true });
    edit(dir);
    return dir;
  }

  it('a missing image folder is named', async () => {
    const dir = nebCopy('hole', (d) => rmSync(join(d, '02'), { recursive: true }));
    const e = await loadNeb(dir, jsKernels).then(() => undefined, (x: unknown) => x as ParseError);
    expect(e).toBeInstanceOf(ParseError);
    expect(e!.message).toBe(`${dir}: expected an NEB folder with image folders 00, 01, 02 … (at least 3, consecutive), found "00, 01, 03, 04: image folder 02 missing"`);
  });

  it('an image folder without POSCAR or CONTCAR is named', async () => {
    const dir = nebCopy('empty', (d) => ['POSCAR', 'CONTCAR', 'OUTCAR'].forEach((f) => rmSync(join(d, '03', f))));
    const e = await loadNeb(dir, jsKernels).then(() => undefined, (x: unknown) => x as ParseError);
    expect(e).toBeInstanceOf(ParseError);
    expect(e!.file).toBe(`${dir}/03`);
    expect(e!.expected).toBe('a POSCAR or CONTCAR in the image folder');
  });

  it('an unconverged image and an image without OUTCAR are named in the warnings', async () => {
    const dir = nebCopy('unconverged', (d) => {
      const p = join(d, '02', 'OUTCAR');
      writeFileSync(p, readFileSync(p, 'utf8').replace('reached required accuracy', 'stopped early'));
      rmSync(join(d, '03', 'OUTCAR'));
    });
    const r = nebAnalysis(await loadNeb(dir, jsKernels), jsKernels);
    expect(r.warnings).toContain('image 02 did not reach the required accuracy');
    expect(r.warnings.some((w) => /^no energy for images 00, 03, 04 \(no OUTCAR\/OSZICAR there\)$/.test(w))).toBe(true);
  });

  it('images with different atoms: MismatchError naming both structure files', async () => {
    // image 02 of another system (Fe6O8 instead of NH3)
    const dir = nebCopy('atoms', (d) => cpSync(`${REAL}/vasp/poscar/POSCAR.Fe3O4`, join(d, '02', 'CONTCAR')));
    const e = await loadNeb(dir, jsKernels).then(() => undefined, (x: unknown) => x as MismatchError);
    expect(e).toBeInstanceOf(MismatchError);
    expect(e!.files).toEqual([join(dir, '00', 'POSCAR'), join(dir, '02', 'CONTCAR')]);
  });
});
