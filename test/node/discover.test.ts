import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { discoverCalculations, shardOf } from '../../src/node/discover.js';

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
