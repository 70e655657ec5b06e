import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = 'bin/oxyscope.js';
const json = async (...args: string[]) => JSON.parse((await run('node', [BIN, ...args])).stdout);

describe('--species and --layout: what a file cannot say about itself', () => {
  it('a VASP 4 POSCAR without species is an error that names --species; with it, the sites get their species', async () => {
    await expect(run('node', [BIN, 'info', 'test/fixtures/cli/POSCAR.vasp4-bare'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('--species') });
    expect((await json('info', 'test/fixtures/cli/POSCAR.vasp4-bare', '--species', 'Li,O', '--json')).formula).toBe('LiO');
    const c = await json('census', 'test/fixtures/cli/POSCAR.vasp4-bare', '--species', 'Li,O', '--json');
    expect(c.structures[0].nO).toBe(1);
    const xyz = (await run('node', [BIN, 'convert', 'test/fixtures/cli/POSCAR.vasp4-bare', '--species', 'Li,O'])).stdout.split('\n');
    expect([xyz[2].split(/\s+/)[0], xyz[3].split(/\s+/)[0]]).toEqual(['Li', 'O']);
  });

  it('a 17-column DOSCAR needs --layout; each choice reads it its own way', async () => {
    await expect(run('node', [BIN, 'info', 'test/fixtures/cli/DOSCAR.17col'])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('--layout') });
    const lm = await json('info', 'test/fixtures/cli/DOSCAR.17col', '--layout', 'lm', '--json');
    expect([lm.layout, lm.orbitals.length, lm.noncollinear]).toEqual(['lm-nonspin', 16, false]);
    const ncl = await json('info', 'test/fixtures/cli/DOSCAR.17col', '--layout', 'l-noncollinear', '--json');
    expect([ncl.layout, ncl.orbitals, ncl.noncollinear]).toEqual(['l-noncollinear', ['s', 'p', 'd', 'f'], true]);
    // pdos takes the same option. E − E_F = −1.5 and 1.5 (E_F = 0.5); each of the 16 lm channels rises linearly from
    // 0.01 to 0.02, so over [−1.5, −0.5] it integrates to (0.01 + 0.01 + 0.01/3) / 2 = 0.011666… states
    const p = await json('pdos', 'test/fixtures/cli/DOSCAR.17col', '--layout', 'lm', '--window', '-1.5,-0.5', '--group-by', 'site', '--json');
    expect(p.groups[0].statesInWindow).toBeCloseTo(16 * (0.02 + 0.01 / 3) / 2, 12);
  });
});
