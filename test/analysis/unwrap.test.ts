import { describe, expect, it } from 'vitest';
import { unwrapTrajectory } from '../../src/analysis/unwrap.js';
import { jsKernels } from '../../src/kernels/js.js';
import type { Trajectory } from '../../src/model/trajectory.js';

function traj(frac: number[], nSites: number, lattices: number[], variableCell = false): Trajectory {
  const nFrames = frac.length / (3 * nSites);
  return {
    comment: 't', species: Array(nSites).fill('Li'), nSites, nFrames, frac: Float64Array.from(frac),
    lattices: Float64Array.from(lattices), variableCell, steps: Int32Array.from({ length: nFrames }, (_, i) => i + 1), truncated: false,
  };
}

describe('unwrapTrajectory', () => {
  it('a site crossing the cell face keeps moving instead of jumping back (hand-computed, cubic 10 Å)', () => {
    // x goes 0.95 → 0.05 → 0.15: steps of +0.1 (1 Å) each, wrapped by VASP
    const t = traj([0.95, 0.5, 0.5, 0.05, 0.5, 0.5, 0.15, 0.5, 0.5], 1, [10, 0, 0, 0, 10, 0, 0, 0, 10]);
    const u = unwrapTrajectory(t, jsKernels);
    expect(u[0]).toBeCloseTo(9.5, 12);
    expect(u[3]).toBeCloseTo(10.5, 12);
    expect(u[6]).toBeCloseTo(11.5, 12);
    expect(u[4]).toBeCloseTo(5, 12);
  });

  it('a skewed cell: the minimum image is found through a combination of vectors', () => {
    // hexagonal a = 3 Å, γ = 120°, c = 5 Å; the site moves by −a−b... wrapped from (0.98, 0.98) to (0.02, 0.02)
    const L = [3, 0, 0, -1.5, 1.5 * Math.sqrt(3), 0, 0, 0, 5];
    const t = traj([0.98, 0.98, 0.5, 0.02, 0.02, 0.5], 1, L);
    const u = unwrapTrajectory(t, jsKernels);
    // displacement is +0.04 a + 0.04 b: (0.04·3 − 0.04·1.5, 0.04·1.5·√3) = (0.06, 0.10392…)
    expect(u[3] - u[0]).toBeCloseTo(0.06, 12);
    expect(u[4] - u[1]).toBeCloseTo(0.04 * 1.5 * Math.sqrt(3), 12);
  });

  it('a variable cell: positions follow each frame’s cell plus the whole-cell shift', () => {
    const t = traj([0.95, 0, 0, 0.05, 0, 0], 1, [10, 0, 0, 0, 10, 0, 0, 0, 10, 11, 0, 0, 0, 10, 0, 0, 0, 10], true);
    const u = unwrapTrajectory(t, jsKernels);
    expect(u[0]).toBeCloseTo(9.5, 12);
    // 1.05 · 11 Å
    expect(u[3]).toBeCloseTo(11.55, 12);
  });
});
