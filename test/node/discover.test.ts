import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { discoverCalculations, shardOf } from '../../src/node/discover.js';
import { headBytes } from '../../src/node/files.js';
import { headOfBytes, headText } from '../../src/pipeline/inputs.js';
import { fromBytes } from '../../src/io/source.js';
import { FileSystemError, ParseError } from '../../src/errors.js';

const REAL = fileURLToPath(new URL('../fixtures/real', import.meta.url));
const base = (p?: string) => p?.split('/').pop();

describe('discoverCalculations on the real fixture tree', async () => {
  const calcs = await discoverCalculations(REAL);
  const byId = (id: string) => calcs.find((c) => c.id === id);

  it('sorted by id (code points), ids unique', () => {
    const ids = calcs.map((c) => c.id);
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('an NEB folder is one calculation; its image folders are not calculations of their own', () => {
    expect(byId('vasp/neb/aiida-vasp__neb')?.kind).toBe('neb');
    expect(calcs.filter((c) => c.id.startsWith('vasp/neb/aiida-vasp__neb/'))).toEqual([]);
  });

  it('standard names of one folder form one calculation: CONTCAR before POSCAR, DOSCAR before vasprun.xml', () => {
    const c = byId('vasp/doscar/custodian__lobster__vasp_lobster_output')!;
    expect(base(c.structure?.path)).toBe('CONTCAR');
    expect(c.dos).toMatchObject({ format: 'doscar' });
    expect(base(c.dos?.path)).toBe('DOSCAR');
    expect(c.files.map((f) => base(f.path)).sort()).toEqual(['CONTCAR', 'DOSCAR', 'vasprun.xml']);
    // a file named DOSCAR stays in its folder's calculation even when LOBSTER wrote it
    const v51 = byId('vasp/doscar/custodian__lobster__v51')!;
    // custodian v51 DOSCAR is VASP's own (its SYSTEM line says LOBSTER; the LOBSTER one carries 'projected DOS file by LOBSTER')
    expect(v51.files.map((f) => [base(f.path), f.format]).sort()).toEqual([['CONTCAR', 'poscar'], ['DOSCAR', 'doscar'], ['vasprun.xml', 'vasprun']]);
    expect(byId('vasp/doscar/custodian__lobster__v51/DOSCAR')).toBeUndefined();
  });

  it('renamed files are calculations of their own, unless one per role completes the folder', () => {
    expect(byId('vasp/poscar/POSCAR.Fe3O4')?.structure?.format).toBe('poscar');
    expect(byId('vasp/poscar/POSCAR_overlap')).toBeDefined();
    expect(byId('vasp/vasprun/vasprun.xml.LiF')?.dos?.format).toBe('vasprun');
    const kf = byId('lobster/doscar/pymatgen-test-files__KF-spin')!;
    expect(base(kf.structure?.path)).toBe('POSCAR.lobster.spin_DOS');
    expect(base(kf.dos?.path)).toBe('DOSCAR.lobster.spin');
  });

  it('README, MANIFEST and licence files are never read as output', () => {
    const all = calcs.flatMap((c) => c.files.map((f) => f.path));
    expect(all.filter((p) => /README|MANIFEST|LICENSE|copyright/i.test(p))).toEqual([]);
  });

  it('excluded folders are not entered', async () => {
    const without = await discoverCalculations(REAL, { exclude: [join(REAL, 'vasp')] });
    expect(without.length).toBeGreaterThan(0);
    expect(without.filter((c) => c.id.startsWith('vasp/'))).toEqual([]);
  });
});

describe('shardOf', () => {
  it('K/N takes every N-th item from the K-th; the shards partition the list', () => {
    const items = Array.from({ length: 11 }, (_, i) => i);
    expect(shardOf(items, 1, 3)).toEqual([0, 3, 6, 9]);
    expect(shardOf(items, 3, 3)).toEqual([2, 5, 8]);
    const union = [1, 2, 3, 4].flatMap((k) => shardOf(items, k, 4)).sort((a, b) => a - b);
    expect(union).toEqual(items);
    expect(shardOf(items, 1, 1)).toEqual(items);
  });
});

describe('discoverCalculations on a folder tree with symlinks and gzip', () => {
  const POSCAR = readFileSync(fileURLToPath(new URL('../../examples/lrlo/model/pristine/POSCAR', import.meta.url)));
  const tree = () => {
    const dir = mkdtempSync(join(tmpdir(), 'oxyscope-discover-'));
    mkdirSync(join(dir, 'a/run'), { recursive: true });
    writeFileSync(join(dir, 'a/run/POSCAR'), POSCAR);
    mkdirSync(join(dir, 'b'));
    // gzip is undone for detection: a POSCAR.gz is the structure of its folder's calculation, by content
    writeFileSync(join(dir, 'b/POSCAR.gz'), gzipSync(POSCAR));
    // an unrecognised name whose content is a POSCAR: detection reads the head whether compressed or not
    writeFileSync(join(dir, 'b/structure.vasp.gz'), gzipSync(POSCAR));
    return dir;
  };

  it('a folder reached through a symlink and directly is one calculation; a symlink loop ends', async () => {
    const dir = tree();
    try {
      // sorted before `a`: the symlink is walked first, so the real folder is the one skipped
      symlinkSync(join(dir, 'a'), join(dir, '0-link'));
      symlinkSync(dir, join(dir, 'a/run/loop'));
      symlinkSync(join(dir, 'a/run/POSCAR'), join(dir, 'b/CONTCAR'));
      symlinkSync(join(dir, 'nowhere'), join(dir, 'b/OUTCAR'));
      const calcs = await discoverCalculations(dir);
      expect(calcs.map((c) => c.id)).toEqual(['0-link/run', 'b', 'b/structure.vasp.gz']);
      // a symlinked file is a file of its folder; a dangling one is skipped
      const b = calcs.find((c) => c.id === 'b')!;
      expect(b.files.map((f) => [base(f.path), f.format]).sort()).toEqual([['CONTCAR', 'poscar'], ['POSCAR.gz', 'poscar']]);
      expect(base(b.structure?.path)).toBe('CONTCAR');
      expect(calcs.find((c) => c.id === 'b/structure.vasp.gz')?.structure?.format).toBe('poscar');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('headBytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oxyscope-head-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const text = Array.from({ length: 3000 }, (_, i) => `line ${i}\n`).join('');

  it('is the first n bytes of a file, or all of a shorter one; gzip is undone', async () => {
    writeFileSync(join(dir, 'plain'), text);
    writeFileSync(join(dir, 'packed'), gzipSync(text));
    expect(Buffer.from(await headBytes(join(dir, 'plain'), 100)).toString()).toBe(text.slice(0, 100));
    expect(Buffer.from(await headBytes(join(dir, 'packed'), 20000)).toString()).toBe(text.slice(0, 20000));
    expect(Buffer.from(await headBytes(join(dir, 'plain'), 1 << 20)).toString()).toBe(text);
    expect(Buffer.from(await headBytes(join(dir, 'packed'), 1 << 20)).toString()).toBe(text);
  });

  it('a missing path is a FileSystemError naming it; a folder is a ParseError saying what it is', async () => {
    await expect(headBytes(join(dir, 'none'), 10)).rejects.toThrow(FileSystemError);
    await expect(headBytes(join(dir, 'none'), 10)).rejects.toThrow(/none.*ENOENT/);
    await expect(headBytes(dir, 10)).rejects.toThrow(ParseError);
    await expect(headBytes(dir, 10)).rejects.toThrow(/a folder/);
  });
});

describe('headOfBytes / headText', () => {
  const bytes = new TextEncoder().encode('\uFEFFΔ 1.0 Å\n€x𝄞');
  it('decode the head whole, BOM dropped, a character cut at the end left out (as a streaming decoder does)', async () => {
    for (let n = 0; n <= bytes.length; n++) {
      const streamed = new TextDecoder().decode(bytes.subarray(0, n), { stream: true });
      expect(headOfBytes(bytes.subarray(0, n)), `${n} bytes`).toBe(streamed);
      // the same over a source of 3-byte chunks: n bytes of what the source gives (sources drop the BOM)
      expect(await headText(fromBytes('x', bytes, 3), n), `${n} bytes in chunks`).toBe(new TextDecoder().decode(bytes.subarray(3, 3 + n), { stream: true }));
    }
    expect(headOfBytes(bytes)).toBe('Δ 1.0 Å\n€x𝄞');
  });
});
