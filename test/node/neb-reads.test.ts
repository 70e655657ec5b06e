import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * Report discovery reads every image structure of a numbered folder to tell an NEB from an ensemble; the NEB read
 * that follows reuses those structures (each file parsed once per run) unless a file changed in between.
 */

const parsed: string[] = [];
vi.mock('../../src/io/vasp/poscar.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/io/vasp/poscar.js')>();
  return { ...real, parsePoscar: (...args: Parameters<typeof real.parsePoscar>) => (parsed.push(args[1]), real.parsePoscar(...args)) };
});

const { discoverCalculations } = await import('../../src/node/discover.js');
const { nodeCalcEnv } = await import('../../src/node/calc-env.js');
const { jsKernels } = await import('../../src/kernels/js.js');

const dir = mkdtempSync(join(tmpdir(), 'oxyscope-neb-reads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => void parsed.splice(0));

/** A copy of the bundled NEB (images 00–04; CONTCAR inside, POSCAR at the end points). */
function nebCopy(name: string): string {
  const root = join(dir, name);
  cpSync('examples/lrlo/real/NH3-neb', join(root, 'neb'), { recursive: true });
  return root;
}

describe('NEB structures: one read per file', () => {
  it('discovery reads each image structure once, and the NEB read of the report takes them from there', async () => {
    const root = nebCopy('a');
    const calcs = await discoverCalculations(root);
    expect(calcs.map((c) => [c.id, c.kind])).toEqual([['neb', 'neb']]);
    const images = ['00/POSCAR', '01/CONTCAR', '02/CONTCAR', '03/CONTCAR', '04/POSCAR'].map((f) => join(root, 'neb', f));
    expect(parsed).toEqual(images);
    const neb = await nodeCalcEnv(root, jsKernels).neb(calcs[0].path);
    expect(parsed).toEqual(images);
    expect(neb.names).toEqual(['00', '01', '02', '03', '04']);
    // a second read of the same folder (no discovery in between) reads the files again
    await nodeCalcEnv(root, jsKernels).neb(calcs[0].path);
    expect(parsed).toEqual([...images, ...images]);
  });

  it('an image file changed after discovery is read again, and its new geometry is used', async () => {
    const root = nebCopy('b');
    const calcs = await discoverCalculations(root);
    const contcar = join(root, 'neb', '02', 'CONTCAR');
    const lines = readFileSync(contcar, 'utf8').split('\n');
    // the scale line 1.0 → 1.01: the same atoms in a 1 % larger cell (and a new size and modification time)
    expect(lines[1].trim()).toMatch(/^1(\.0+)?$/);
    lines[1] = '1.01';
    writeFileSync(contcar, lines.join('\n'));
    parsed.splice(0);
    const neb = await nodeCalcEnv(root, jsKernels).neb(calcs[0].path);
    expect(parsed).toHaveLength(5);
    const first = (await import('../../src/io/vasp/poscar.js')).parsePoscar(readFileSync(join('examples/lrlo/real/NH3-neb/02/CONTCAR')), 'x');
    expect(neb.images[2].lattice[0]).toBeCloseTo(first.lattice[0] * 1.01, 12);
  });
});
