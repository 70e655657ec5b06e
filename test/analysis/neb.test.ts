import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { nebAnalysis } from '../../src/analysis/neb.js';
import { jsKernels } from '../../src/kernels/js.js';
import { makeStructure } from '../../src/model/structure.js';
import type { NebPath } from '../../src/model/neb.js';
import { readNebFolder } from '../../src/node/neb.js';
import { MismatchError } from '../../src/errors.js';

const kernels = jsKernels;
const L = 10; // cubic cell edge, Å
const lattice = Float64Array.from([L, 0, 0, 0, L, 0, 0, 0, L]);

/**
 * A 5-image path built by hand in a 10 Å cubic cell, 3 atoms:
 * atom 0 moves +1 Å along x per image and crosses the cell boundary (frac 0.8, 0.9, 0.0, 0.1, 0.2);
 * atom 1 moves 0.075 Å along z per image (0.3 Å in total: not migrating);
 * atom 2 moves 0.625 Å along y per image (2.5 Å in total: > 50 % of atom 0's 4 Å, so migrating).
 * Every step is sqrt(1 + 0.625² + 0.075²) = sqrt(1.39625) Å long.
 */
const STEP = Math.sqrt(1 + 0.625 ** 2 + 0.075 ** 2);
const PATH_LENGTH = 4 * STEP;

function image(i: number) {
  const frac = Float64Array.from([
    (0.8 + 0.1 * i) % 1, 0.5, 0.5,
    0.2, 0.2, 0.2 + 0.0075 * i,
    0.5, 0.1 + 0.0625 * i, 0.3,
  ]);
  return makeStructure({ comment: `image ${i}`, lattice, species: ['Mn', 'O', 'Li'], frac });
}

/** E(u) = 1.5 u − 1.5 u³ with u = x / L_path: a cubic with its maximum 1/√3 eV at u = 1/√3 (E(0) = E(1) = 0). */
const cubic = (x: number) => 1.5 * (x / PATH_LENGTH) - 1.5 * (x / PATH_LENGTH) ** 3;
const slope = (x: number) => 1.5 / PATH_LENGTH - (4.5 * x * x) / PATH_LENGTH ** 3;
const E0 = -100;

function handPath(energies?: number[]): NebPath {
  const xs = [0, 1, 2, 3, 4].map((i) => i * STEP);
  return {
    folder: 'hand',
    names: ['00', '01', '02', '03', '04'],
    images: [0, 1, 2, 3, 4].map(image),
    energies: Float64Array.from(energies ?? xs.map((x) => E0 + cubic(x))),
    energyKind: 'energySigma0',
    // slope of the Hermite segments = −F∥, so F∥ = −E'(x)
    tangentForces: Float64Array.from(xs.map((x) => -slope(x))),
    maxForces: Float64Array.from([NaN, 0.02, 0.01, 0.02, NaN]),
    converged: [true, true, true, true, true],
    warnings: [],
  };
}

describe('nebAnalysis on a hand-built path', () => {
  it('an image with an unphysically short contact is named in a warning (an interpolated image; issue 18 item 4)', () => {
    const p = handPath();
    // image 02: Mn at (0, 5, 5) Å; the O put 1.30 Å above it, below 0.8 × (Mn 0.645 + O 1.40) = 1.636 Å
    p.images[2] = makeStructure({ comment: 'image 2', lattice, species: ['Mn', 'O', 'Li'], frac: Float64Array.from([0, 0.5, 0.5, 0, 0.5, 0.63, 0.5, 0.225, 0.3]) });
    const w = nebAnalysis(p, kernels).warnings.filter((x) => x.includes('short contact'));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^image 02: 1 unphysically short contact \(Mn1–O2 1\.30 Å;/);
    expect(nebAnalysis(handPath(), kernels).warnings.filter((x) => x.includes('short contact'))).toEqual([]);
  });

  it('reaction coordinate is the cumulative minimum-image path length of all atoms', () => {
    const r = nebAnalysis(handPath(), kernels);
    expect(r.reactionCoordinate).toHaveLength(5);
    r.reactionCoordinate.forEach((x, i) => expect(x).toBeCloseTo(i * STEP, 12));
  });

  it('barriers from the highest image, relative and absolute energies', () => {
    const r = nebAnalysis(handPath(), kernels);
    // images at u = 0, 1/4, 1/2, 3/4, 1: E = 0, 0.3515625, 0.5625, 0.4921875, 0
    expect(r.energies[2]).toBeCloseTo(0.5625, 12);
    expect(r.energiesAbsolute[2]).toBeCloseTo(E0 + 0.5625, 12);
    expect(r.barrier.highestImage).toBe('02');
    expect(r.barrier.forward).toBeCloseTo(0.5625, 12);
    expect(r.barrier.backward).toBeCloseTo(0.5625, 12);
    expect(r.barrier.basis).toBe('all-images');
    expect(r.reference).toEqual({ image: '00', index: 0, energy: E0 });
    expect(r.warnings).toEqual([]);
  });

  it('the force-aware Hermite spline reproduces a cubic: maximum 1/√3 eV at x = L/√3, inside [0, L]', () => {
    const r = nebAnalysis(handPath(), kernels, { samples: 2001 });
    expect(r.barrier.spline).not.toBeNull();
    expect(r.barrier.spline!).toBeCloseTo(1 / Math.sqrt(3), 5);
    expect(r.barrier.splineReactionCoordinate!).toBeCloseTo(PATH_LENGTH / Math.sqrt(3), 2);
    expect(r.barrier.splineBackward!).toBeCloseTo(1 / Math.sqrt(3), 5);
    expect(r.spline!.x[0]).toBeCloseTo(0, 12);
    expect(r.spline!.x[r.spline!.x.length - 1]).toBeCloseTo(PATH_LENGTH, 12);
    for (const x of r.spline!.x) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(PATH_LENGTH + 1e-12);
    }
    // every sample lies on the cubic
    r.spline!.x.forEach((x, k) => expect(r.spline!.energy[k]).toBeCloseTo(cubic(x), 9));
  });

  it('spline maximum stays within [0, L] for a monotone profile', () => {
    const xs = [0, 1, 2, 3, 4].map((i) => i * STEP);
    const p = handPath(xs.map((x) => E0 + 0.1 * x));
    p.tangentForces.fill(-0.1);
    const r = nebAnalysis(p, kernels);
    expect(r.barrier.spline!).toBeCloseTo(0.4 * STEP, 9);
    expect(r.barrier.splineReactionCoordinate!).toBeCloseTo(PATH_LENGTH, 9);
    expect(r.barrier.backward).toBeCloseTo(0, 12);
  });

  it('migrating atoms: displacement > 50 % of the largest, largest first, path unwrapped across the boundary', () => {
    const r = nebAnalysis(handPath(), kernels);
    expect(r.migratingAtoms.map((m) => m.index)).toEqual([0, 2]);
    expect(r.migratingAtoms[0].species).toBe('Mn');
    expect(r.migratingAtoms[0].displacement).toBeCloseTo(4, 12);
    expect(r.migratingAtoms[0].pathLength).toBeCloseTo(4, 12);
    expect(r.migratingAtoms[1].displacement).toBeCloseTo(2.5, 12);
    expect(r.path[0].index).toBe(0);
    expect(r.path[0].positions.map((p) => p[0])).toEqual([8, 9, 10, 11, 12].map((v) => expect.closeTo(v, 9)));
    expect(r.path[1].positions.map((p) => p[1])).toEqual([1, 1.625, 2.25, 2.875, 3.5].map((v) => expect.closeTo(v, 9)));
  });

  it('missing end-point energies: barriers over the images that have one, said so', () => {
    const full = handPath();
    const e = Array.from(full.energies);
    e[0] = NaN;
    e[4] = NaN;
    const r = nebAnalysis(handPath(e), kernels);
    expect(r.reference?.image).toBe('01');
    expect(r.energies[0]).toBeNull();
    expect(r.energies[1]).toBe(0);
    expect(r.barrier.basis).toBe('images-with-energies');
    expect(r.barrier.forward).toBeCloseTo(0.5625 - 0.3515625, 12);
    expect(r.barrier.backward).toBeCloseTo(0.5625 - 0.4921875, 12);
    expect(r.barrier.note).toMatch(/01, 02, 03 only/);
    expect(r.warnings.join('\n')).toMatch(/no energy for images 00, 04/);
    expect(r.warnings.join('\n')).toMatch(/not the true barriers/);
  });

  it('fewer than two energies: null barriers with a reason', () => {
    const r = nebAnalysis(handPath([NaN, NaN, -5, NaN, NaN]), kernels);
    expect(r.barrier.forward).toBeNull();
    expect(r.barrier.spline).toBeNull();
    expect(r.barrier.basis).toBe('none');
    expect(r.barrier.note).toMatch(/at least 2 images/);
    expect(r.spline).toBeNull();
  });

  it('unconverged images are named', () => {
    const p = handPath();
    p.converged[2] = false;
    const r = nebAnalysis(p, kernels);
    expect(r.warnings).toContain('image 02 did not reach the required accuracy');
  });

  it('images with different atoms are a MismatchError naming both', () => {
    const p = handPath();
    p.images[3] = makeStructure({ ...image(3), species: ['Mn', 'O', 'Na'] });
    expect(() => nebAnalysis(p, kernels)).toThrow(MismatchError);
    expect(() => nebAnalysis(p, kernels)).toThrow(/hand\/00 vs hand\/03/);
  });

  it('is JSON-safe (no NaN)', () => {
    const r = nebAnalysis(handPath([NaN, -1, -0.5, -1, NaN]), kernels);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('nebAnalysis on the real aiida-vasp NEB (NH3 inversion)', () => {
  const folder = fileURLToPath(new URL('../fixtures/real/vasp/neb/aiida-vasp__neb', import.meta.url));

  it('the three H move, N stays', async () => {
    const r = nebAnalysis(await readNebFolder(folder, kernels), kernels);
    expect(r.nImages).toBe(5);
    // by hand from 00/POSCAR and 04/POSCAR (8 Å along c): H1, H3 Δz = (0.4508355 − 0.5491645)·8 = −0.786632 Å,
    // H2 Δz = (0.4508670 − 0.5491330)·8 = −0.786128 Å; N does not move
    expect(r.migratingAtoms).toHaveLength(3);
    expect(r.migratingAtoms.every((m) => m.species === 'H')).toBe(true);
    expect(new Set(r.migratingAtoms.slice(0, 2).map((m) => m.index))).toEqual(new Set([0, 2]));
    expect(r.migratingAtoms[2].index).toBe(1);
    expect(r.migratingAtoms[0].displacement).toBeCloseTo(0.786632, 9);
    expect(r.migratingAtoms[2].displacement).toBeCloseTo(0.786128, 9);
    expect(r.path[0].positions).toHaveLength(5);
  });

  it('barriers over images 01–03 only (the end points have no OUTCAR)', async () => {
    const r = nebAnalysis(await readNebFolder(folder, kernels), kernels);
    // energy(sigma->0) of the last ionic step, from 01/02/03 OUTCAR by grep: −19.49550593, −19.27978461, −19.49550730
    expect(r.energyKind).toBe('energySigma0');
    expect(r.energiesAbsolute).toEqual([null, expect.closeTo(-19.49550593, 8), expect.closeTo(-19.27978461, 8), expect.closeTo(-19.4955073, 8), null]);
    expect(r.barrier.basis).toBe('images-with-energies');
    expect(r.barrier.highestImage).toBe('02');
    expect(r.barrier.forward).toBeCloseTo(0.21572132, 8);
    expect(r.barrier.backward).toBeCloseTo(0.21572269, 8);
    expect(r.barrier.spline!).toBeGreaterThanOrEqual(r.barrier.forward! - 1e-12);
    expect(r.barrier.splineReactionCoordinate!).toBeGreaterThanOrEqual(r.reactionCoordinate[1]);
    expect(r.barrier.splineReactionCoordinate!).toBeLessThanOrEqual(r.reactionCoordinate[3]);
    expect(r.warnings.join('\n')).toMatch(/no energy for images 00, 04/);
    // tangential forces (REAL column of the VTST line) from the OUTCARs
    expect(r.images[1].tangentForce).toBeCloseTo(0.00532, 9);
    expect(r.images[3].tangentForce).toBeCloseTo(-0.007243, 9);
  });
});
