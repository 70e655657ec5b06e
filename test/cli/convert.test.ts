import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parsePoscar } from '../../src/io/vasp/poscar.js';
import { parseXdatcar } from '../../src/io/vasp/xdatcar.js';
import { readFileSync } from 'node:fs';

const run = promisify(execFile);
const BIN = 'bin/oxyscope.js';
const X = 'test/fixtures/real/vasp/xdatcar/XDATCAR_6';

describe('oxyscope convert', () => {
  it('writes every XDATCAR frame as extended XYZ with its own (variable) cell', async () => {
    const { stdout } = await run('node', [BIN, 'convert', X]);
    const lines = stdout.trimEnd().split('\n');
    // 4 frames × (count line + comment line + 7 atoms)
    expect(lines).toHaveLength(4 * 9);
    expect(lines[0]).toBe('7');
    const t = parseXdatcar(readFileSync(X), X);
    const lattice = (i: number) => /Lattice="([^"]+)"/.exec(lines[9 * i + 1])![1].split(' ').map(Number);
    expect(lattice(3)).toEqual(Array.from(t.lattices.subarray(27, 36)));
    expect(lattice(0)).not.toEqual(lattice(3));
  });

  it('writes one frame as a POSCAR that reads back to the same structure, atomically and not over an existing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'oxy-convert-'));
    const out = join(dir, 'POSCAR');
    await run('node', [BIN, 'convert', X, '--to', 'poscar', '--frame', '2', '--out', out]);
    const s = parsePoscar(await readFile(out), out);
    const t = parseXdatcar(readFileSync(X), X);
    expect(Array.from(s.frac)).toEqual(Array.from(t.frac.subarray(21, 42)));
    await expect(run('node', [BIN, 'convert', X, '--to', 'poscar', '--frame', '2', '--out', out])).rejects.toMatchObject({ code: 2 });
  });

  it('refuses POSCAR output of several frames without --frame (usage, exit 2)', async () => {
    await expect(run('node', [BIN, 'convert', X, '--to', 'poscar'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('choose one with --frame') });
  });
});
