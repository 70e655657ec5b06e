import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './run.js';
import { parsePoscar } from '../../src/io/vasp/poscar.js';

const COMP = 'Li1.2Mn0.54Ni0.13Co0.13O2';

describe('oxyscope sqs (built CLI)', () => {
  it('writes POSCAR, POSCAR.pristine and sqs.json per seed and ensemble.json; the census in sqs.json is what `census` finds', async () => {
    const out = await mkdtemp(join(tmpdir(), 'oxy-sqs-'));
    const r = await run(['sqs', '--composition', COMP, '--supercell', '3x3x2', '--delithiate', '0.4', '--tm-layer-li', '0.8', '--migrate-in-plane', '2',
      '--seed', '5', '--count', '2', '--steps', '40000', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.warnings).toEqual([]);
    expect(j.models.map((m: { seed: number }) => m.seed)).toEqual([5, 6]);
    expect((await readdir(out)).sort()).toEqual(['00', '01', 'ensemble.json']);
    expect((await readdir(join(out, '00'))).sort()).toEqual(['POSCAR', 'POSCAR.pristine', 'sqs.json']);

    const poscar = await readFile(join(out, '00/POSCAR'), 'utf8');
    const s = parsePoscar(poscar, 'POSCAR');
    // 108 cation sites − 22 vacancies; Li 65 − 22 = 43 (see the composition test for the rounding)
    expect(s.species.filter((e) => e === 'Li')).toHaveLength(43);
    expect(s.species.filter((e) => e === 'O')).toHaveLength(108);
    expect(poscar.split('\n')[0]).toMatch(/^oxyscope model structure \(not a DFT result\): SQS .*seed 5, objective/);

    const model = JSON.parse(await readFile(join(out, '00/sqs.json'), 'utf8'));
    expect(model.moved).toHaveLength(2);
    expect(model.objective.trace).toHaveLength(100);
    expect(model.sro.length).toBeGreaterThan(0);
    expect(model.triangles.joint.reduce((a: number, x: { count: number }) => a + x.count, 0)).toBe(108);
    const c = await run(['census', join(out, '00/POSCAR'), '--reference', join(out, '00/POSCAR.pristine'), '--json']);
    expect(c.code, c.stderr).toBe(0);
    expect(model.census.classes).toEqual(JSON.parse(c.stdout).structures[0].classes);

    const f = j.models.map((m: { fractions: Record<string, number> }) => m.fractions.O4 ?? 0);
    expect(j.ensemble.mean.O4).toBeCloseTo((f[0] + f[1]) / 2, 12);
    expect(j.ensemble.std.O4).toBeCloseTo(Math.abs(f[0] - f[1]) / Math.SQRT2, 12);
  });

  it('the same seed gives the same POSCAR under --engine js and wasm; an existing output needs --force', async () => {
    const dirs = [await mkdtemp(join(tmpdir(), 'oxy-sqs-')), await mkdtemp(join(tmpdir(), 'oxy-sqs-'))];
    for (const [k, engine] of ['wasm', 'js'].entries()) {
      const r = await run(['sqs', '--composition', 'Li2MnO3', '--supercell', '3x3x1', '--order', 'honeycomb', '--steps', '30000', '--engine', engine, '--out', dirs[k]]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('O4');
    }
    expect(await readFile(join(dirs[1], '00/POSCAR'), 'utf8')).toBe(await readFile(join(dirs[0], '00/POSCAR'), 'utf8'));
    const again = await run(['sqs', '--composition', 'Li2MnO3', '--supercell', '3x3x1', '--steps', '10', '--out', dirs[0]]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/exists; pass --force/);
  });

  it('bad input: one line, no stack trace, non-zero exit', async () => {
    for (const args of [
      ['--composition', COMP, '--supercell', '3x3'],
      ['--composition', 'Li1.2Qq0.8O2', '--supercell', '3x3x1'],
      ['--composition', COMP, '--supercell', '3x3x1', '--target', 'O9=0.5'],
      ['--composition', COMP, '--supercell', '2x2x1', '--order', 'honeycomb'],
    ]) {
      const r = await run(['sqs', ...args, '--out', join(tmpdir(), 'oxy-sqs-never')]);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^oxyscope: /);
    }
  });
});
