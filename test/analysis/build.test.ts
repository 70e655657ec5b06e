import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../src/kernels/js.js';
import { buildLrlo } from '../../src/build/lrlo.js';
import { census } from '../../src/analysis/census.js';
import { migration } from '../../src/analysis/migration.js';
import { formula } from '../../src/model/structure.js';
import { UsageError } from '../../src/errors.js';
import { distance } from './helpers-geometry.js';

describe('LRLO model builder', () => {
  it('pristine base cell: Li12Mn6O18 (6 Li2MnO3), a √3·2.85 Å, γ 120°, c 14.25 Å', () => {
    const { structure: s } = buildLrlo({ n: 1 });
    expect(formula(s.species)).toBe('Li12Mn6O18');
    const L = s.lattice;
    expect(Math.hypot(L[0], L[1], L[2])).toBeCloseTo(Math.sqrt(3) * 2.85, 12);
    expect(Math.hypot(L[3], L[4], L[5])).toBeCloseTo(Math.sqrt(3) * 2.85, 12);
    expect((L[0] * L[3] + L[1] * L[4]) / (3 * 2.85 * 2.85)).toBeCloseTo(-0.5, 12);
    expect(L[8]).toBe(14.25);
    expect(s.comment).toMatch(/^oxyscope model structure \(not a DFT result\)/);
  });

  it('every cation is octahedral: six O at 1.95 (TM layer) or 2.12 Å (Li layer), nothing else within 2.6 Å', () => {
    const { structure: s } = buildLrlo({ n: 2, ni: 0.3 });
    for (let i = 0; i < s.species.length; i++) {
      if (s.species[i] === 'O') continue;
      const d = s.species.map((_, j) => (j === i ? Infinity : distance(s, i, j))).filter((x) => x < 2.6).sort((a, b) => a - b);
      expect(d).toHaveLength(6);
      const inTmLayer = Math.abs(((s.frac[3 * i + 2] * 3) % 1) - 0) < 1e-6 || Math.abs(((s.frac[3 * i + 2] * 3) % 1) - 1) < 1e-6;
      for (const x of d) expect(x).toBeCloseTo(inTmLayer ? 1.949 : 2.116, 3);
    }
  });

  it('sizes for the bench: 36·n²·m atoms (1,296 to 101,124)', () => {
    expect(buildLrlo({ n: 6 }).structure.species).toHaveLength(1296);
    expect(buildLrlo({ n: 53 }).structure.species).toHaveLength(101124);
    expect(buildLrlo({ n: 2, m: 3 }).structure.species).toHaveLength(432);
  });

  it('is deterministic per seed; variants of one seed share substitution and atom order', () => {
    const a = buildLrlo({ n: 3, ni: 0.2, co: 0.1, variant: 'migrated', seed: 7 });
    const b = buildLrlo({ n: 3, ni: 0.2, co: 0.1, variant: 'migrated', seed: 7 });
    expect(Array.from(b.structure.frac)).toEqual(Array.from(a.structure.frac));
    expect(b.structure.species).toEqual(a.structure.species);
    const c = buildLrlo({ n: 3, ni: 0.2, co: 0.1, variant: 'migrated', seed: 8 });
    expect(Array.from(c.structure.frac)).not.toEqual(Array.from(a.structure.frac));
    const p = buildLrlo({ n: 3, ni: 0.2, co: 0.1, seed: 7 });
    const tm = (sp: string[]) => sp.filter((x) => x !== 'Li');
    expect(tm(a.structure.species)).toEqual(tm(p.structure.species));
  });

  it('delithiation removes TM-layer Li first', () => {
    const d = buildLrlo({ n: 2, variant: 'delithiated', delithiation: 0.25 });
    // 48 Li (12 in TM layers): removing 12 empties exactly the TM layers
    expect(d.truth.removedLi).toBe(12);
    const s = d.structure;
    const liInTm = s.species.filter((x, i) => x === 'Li' && Math.abs(((s.frac[3 * i + 2] * 3) % 1)) < 1e-6).length;
    expect(liInTm).toBe(0);
  });

  it('pristine census is 100% O4; in-plane moves convert O4 to O5 and O3; migration finds exactly the moved TM', () => {
    const opts = { n: 4, ni: 0.2, co: 0.1, seed: 3 } as const;
    const p = buildLrlo(opts);
    expect(census(p.structure, jsKernels).fractions).toEqual({ O4: 1 });
    const d = buildLrlo({ ...opts, variant: 'delithiated' });
    expect(census(d.structure, jsKernels).fractions).toEqual({ O4: 1 });
    const m = buildLrlo({ ...opts, variant: 'migrated', inPlane: 4, outOfPlane: 0 });
    const r = census(m.structure, jsKernels);
    expect(r.fractions.O4).toBeLessThan(1);
    expect(r.classes.O5).toBeGreaterThan(0);
    // each isolated in-plane hop turns the 4 unshared O of the old octahedron into O5 and of the new one into O3
    expect(r.classes.O5).toBeLessThanOrEqual(4 * 4);
    expect(r.classes.O5).toBe(r.classes.O3);
    const found = migration(m.structure, jsKernels, { reference: p.structure });
    expect(found.migrated.inPlane.map((x) => x.index)).toEqual(m.truth.moved.map((x) => x.index));
    expect(found.migrated.outOfPlane).toEqual([]);
    expect(m.truth.moved.every((x) => x.species === 'Mn' && x.kind === 'inPlane' && Math.abs(x.displacement - 2.85) < 1e-9)).toBe(true);
  });

  it('rejects impossible requests with UsageError', () => {
    expect(() => buildLrlo({ n: 0 })).toThrow(UsageError);
    expect(() => buildLrlo({ ni: 0.8, co: 0.5 })).toThrow(UsageError);
    expect(() => buildLrlo({ n: 1, variant: 'migrated', outOfPlane: 1 })).toThrow(/Ni/);
    expect(() => buildLrlo({ n: 1, variant: 'migrated', delithiation: 0, inPlane: 1, outOfPlane: 0 })).toThrow(UsageError);
  });
});
