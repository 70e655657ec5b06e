import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverCalculations } from '../../src/node/discover.js';
import { inputHashes, sha256File } from '../../src/node/provenance.js';

/** The input hashes that key `report --cache`: every file an analysis may read, hashed here independently. */

const dir = mkdtempSync(join(tmpdir(), 'oxyscope-provenance-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha256 = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const POSCAR = readFileSync(new URL('../../examples/lrlo/model/pristine/POSCAR', import.meta.url));

describe('inputHashes', () => {
  it('a POTCAR or INCAR beside the structure is an input, also through a symlink; other files are not', async () => {
    const calc = join(dir, 'calc');
    mkdirSync(calc);
    writeFileSync(join(calc, 'POSCAR'), POSCAR);
    writeFileSync(join(dir, 'POTCAR.shared'), 'PAW_PBE Li_sv\n');
    symlinkSync(join(dir, 'POTCAR.shared'), join(calc, 'POTCAR'));
    writeFileSync(join(calc, 'INCAR'), 'ISPIN = 2\n');
    writeFileSync(join(calc, 'notes.txt'), 'not an input');
    const [c] = await discoverCalculations(dir);
    expect(c.id).toBe('calc');
    expect(await inputHashes(dir, c)).toEqual([
      { file: 'calc/INCAR', sha256: sha256('ISPIN = 2\n') },
      { file: 'calc/POSCAR', sha256: sha256(POSCAR) },
      { file: 'calc/POTCAR', sha256: sha256('PAW_PBE Li_sv\n') },
    ]);
  });

  it('the companions count also when the root is given as `dir/` or `./dir` (the folder calculation of the root)', async () => {
    const root = join(dir, 'root-calc');
    mkdirSync(root);
    writeFileSync(join(root, 'POSCAR'), POSCAR);
    writeFileSync(join(root, 'INCAR'), 'ISPIN = 1\n');
    for (const given of [`${root}/`, `${root}/.`, root]) {
      const [c] = await discoverCalculations(given);
      expect((await inputHashes(given, c)).map((h) => h.file), given).toEqual(['INCAR', 'POSCAR']);
    }
  });

  it('sha256File: small files from one read, big ones streamed, the same digest', async () => {
    const big = Buffer.alloc(3 << 20, 'Li 0.0 0.0 0.0\n');
    writeFileSync(join(dir, 'big'), big);
    writeFileSync(join(dir, 'small'), POSCAR);
    expect(await sha256File(join(dir, 'big'))).toBe(sha256(big));
    expect(await sha256File(join(dir, 'small'))).toBe(sha256(POSCAR));
  });
});
