import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli, run } from './run.js';

const NEB = 'test/fixtures/real/vasp/neb/aiida-vasp__neb';

beforeAll(() => {
  expect(builtCli(), 'run `npm run build:ts` first: these tests drive bin/oxyscope.js').toBe(true);
});

describe('oxyscope neb', () => {
  it('--json: only JSON on stdout, the fields of the contract, warnings on stderr', async () => {
    const r = await run(['neb', NEB, '--json', '--engine', 'js']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.images).toHaveLength(5);
    expect(j.images.map((im: { name: string }) => im.name)).toEqual(['00', '01', '02', '03', '04']);
    // relative to image 01, the first with an OUTCAR; energy(sigma->0) from 01/02 OUTCAR: −19.49550593, −19.27978461
    expect(j.energies[0]).toBeNull();
    expect(j.energies[1]).toBe(0);
    expect(j.energies[2]).toBeCloseTo(-19.27978461 + 19.49550593, 8);
    expect(j.barrier.forward).toBeCloseTo(0.21572132, 8);
    expect(j.barrier.backward).toBeCloseTo(0.21572269, 8);
    expect(typeof j.barrier.spline).toBe('number');
    expect(j.migratingAtoms.map((m: { species: string }) => m.species)).toEqual(['H', 'H', 'H']);
    expect(j.path).toHaveLength(3);
    expect(j.path[0].positions).toHaveLength(5);
    expect(r.stderr).toMatch(/warning: no energy for images 00, 04/);
  });

  it('wasm and js engines give the same numbers', async () => {
    const [a, b] = await Promise.all([run(['neb', NEB, '--json', '--engine', 'js']), run(['neb', NEB, '--json', '--engine', 'wasm'])]);
    const ja = JSON.parse(a.stdout), jb = JSON.parse(b.stdout);
    expect(jb.reactionCoordinate).toEqual(ja.reactionCoordinate.map((x: number) => expect.closeTo(x, 12)));
    expect(jb.barrier.spline).toBeCloseTo(ja.barrier.spline, 12);
    expect(jb.barrier.splineReactionCoordinate).toBeCloseTo(ja.barrier.splineReactionCoordinate, 10);
  });

  it('--energy toten uses the free energy TOTEN', async () => {
    const j = JSON.parse((await run(['neb', NEB, '--json', '--energy', 'toten'])).stdout);
    expect(j.energyKind).toBe('energy');
    // free energy TOTEN of 01 and 02 (last ionic step, by grep): −19.49164066, −19.27591934
    expect(j.barrier.forward).toBeCloseTo(-19.27591934 + 19.49164066, 8);
  });

  it('table output and --plot writes an SVG atomically, refusing to overwrite without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oxy-neb-'));
    const svg = join(dir, 'profile.svg');
    const r = await run(['neb', NEB, '--plot', svg]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/barrier, highest image \(02\): forward 0\.216 eV, backward 0\.216 eV/);
    expect(r.stdout).toMatch(/migrating atoms/);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    const again = await run(['neb', NEB, '--plot', svg]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists; pass --force/);
    expect((await run(['neb', NEB, '--plot', svg, '--force'])).code).toBe(0);
    expect(readdirSync(dir)).toEqual(['profile.svg']);
  });

  it('a folder that is not an NEB run is a one-line error, exit 1', async () => {
    const r = await run(['neb', 'test/fixtures/real/vasp/poscar']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/NEB folder/);
  });

  it('--help has an example', async () => {
    const r = await run(['neb', '--help']);
    expect(r.stdout).toMatch(/Examples:\n\s+oxyscope neb/);
  });
});

describe('NEB from OSZICARs only (issue 18 item 5)', () => {
  it('convergence is unknown (not "did not converge"), and the plot says the spline has no forces', async () => {
    const { cpSync, rmSync, writeFileSync } = await import('node:fs');
    const dir = join(mkdtempSync(join(tmpdir(), 'oxy-neb-osz-')), 'neb');
    cpSync(NEB, dir, { recursive: true });
    // OSZICAR lines written from the format (`N F= … E0= … d E = …`), E0 = each OUTCAR's energy(sigma->0)
    const e0: Record<string, number> = { '01': -19.49550593, '02': -19.27978461, '03': -19.4955073 };
    for (const [img, e] of Object.entries(e0)) {
      rmSync(join(dir, img, 'OUTCAR'));
      writeFileSync(join(dir, img, 'OSZICAR'), `DAV:   1    -0.1E+02 -0.1E+02 -0.1E+02   100   0.1E+01\n   1 F= ${(e - 0.001).toExponential(10)} E0= ${e.toExponential(10)}  d E =-.1E-05\n`);
    }
    const r = await run(['neb', dir, '--json', '--plot', join(dir, 'p.svg')]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.energyKind).toBe('oszicar-E0');
    expect(j.images.map((im: { converged: boolean | null }) => im.converged)).toEqual([null, null, null, null, null]);
    expect(j.warnings.join('\n')).toContain('convergence of images 01, 02, 03 unknown');
    expect(j.warnings.join('\n')).not.toContain('did not reach the required accuracy');
    expect(j.barrier.forward).toBeCloseTo(-19.27978461 + 19.49550593, 8);
    const svg = readFileSync(join(dir, 'p.svg'), 'utf8');
    expect(svg).toContain('spline without forces');
    expect(svg).not.toContain('force-aware spline');
    const t = await run(['neb', dir]);
    expect(t.stdout).toMatch(/^01\s.*unknown$/m);
  });

  it('with OUTCAR forces the legend stays "force-aware spline"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oxy-neb-f-'));
    await run(['neb', NEB, '--plot', join(dir, 'p.svg')]);
    expect(readFileSync(join(dir, 'p.svg'), 'utf8')).toContain('force-aware spline');
  });
});
