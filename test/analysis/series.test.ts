import { describe, expect, it } from 'vitest';
import { seriesKind, NEB_STEP_BOUND } from '../../src/analysis/series.js';
import { nebAnalysis } from '../../src/analysis/neb.js';
import { makeStructure } from '../../src/model/structure.js';
import type { NebPath } from '../../src/model/neb.js';
import { bothEngines } from '../kernels/engines.js';

/** Two atoms in a 10 Å cubic cell; atom 0 steps along x by `dx` Å per image (crossing the boundary: minimum image). */
const cell = (edge = 10) => Float64Array.from([edge, 0, 0, 0, 10, 0, 0, 0, 10]);
const image = (x: number, species = ['Mn', 'O'], lattice = cell()) =>
  makeStructure({ comment: '', lattice, species, frac: Float64Array.from([x / 10, 0.5, 0.5, 0.25, 0.25, 0.25]) });

describe('seriesKind: NEB path or ensemble', async () => {
  for (const k of await bothEngines()) {
    it(`${k.engine}: steps of 1.9 Å (across the boundary) and 1 Å are a path; the largest step is measured by minimum image`, () => {
      const r = seriesKind([image(9), image(0.9), image(1.9)], k);
      expect(r.kind).toBe('path');
      if (r.kind !== 'path') return;
      expect(r.maxStep.value).toBeCloseTo(1.9, 12);
      expect(r.maxStep).toMatchObject({ site: 0, from: 0 });
      expect(r.cellsDiffer).toBeNull();
    });

    it(`${k.engine}: a step beyond ${NEB_STEP_BOUND} Å makes an ensemble, naming the atom (1-based) and the folders`, () => {
      const r = seriesKind([image(1), image(2), image(4.5)], k, ['a', 'b', 'c']);
      expect(r).toEqual({ kind: 'ensemble', reason: 'atom 1 (Mn) moves 2.50 Å between b and c; consecutive NEB images move no atom more than 2 Å' });
    });

    it(`${k.engine}: other species (order or count) make an ensemble`, () => {
      expect(seriesKind([image(1), image(1, ['O', 'Mn'])], k)).toEqual({ kind: 'ensemble', reason: '00 and 01 hold different atoms (2 vs 2 sites, or another species order)' });
    });

    it(`${k.engine}: a different cell is reported (and nebAnalysis warns about it)`, () => {
      const images = [image(1), image(1.5, undefined, cell(10.05)), image(2)];
      const r = seriesKind(images, k);
      expect(r.kind === 'path' && r.cellsDiffer).toEqual({ image: 1, maxDifference: expect.closeTo(0.05, 12) });
      const path: NebPath = {
        folder: 'hand', names: ['00', '01', '02'], images, energies: Float64Array.from([0, 1, 0]), energyKind: 'energySigma0',
        tangentForces: new Float64Array(3).fill(NaN), maxForces: new Float64Array(3).fill(NaN), converged: [true, true, true], warnings: [],
      };
      expect(nebAnalysis(path, k).warnings[0]).toBe("the cell of image 01 differs from 00's by up to 0.050 Å: a variable-cell NEB or images of different runs; each step of the reaction coordinate uses the later image's cell");
    });
  }
});
