import { describe, expect, it } from 'vitest';
import { jsKernels } from '../../src/kernels/js.js';
import { makeStructure, type Structure } from '../../src/model/structure.js';
import { buildLrlo } from '../../src/build/lrlo.js';
import { axisOf, clusterPhases, findAxis, findLayers, layerKinds } from '../../src/analysis/layers.js';
import { axisIn, parseAxisSpec } from '../../src/cli/parse.js';

/** `--axis` as the CLI turns it into a stacking axis of `lattice`. */
const parseAxis = (spec: string, lattice: Float64Array) => axisOf(lattice, axisIn(parseAxisSpec(spec), lattice), 'option');
import { AnalysisOptionError, UsageError } from '../../src/errors.js';

const groups = (s: Structure) => Int32Array.from(s.species, (x) => (x === 'O' ? -1 : x === 'Li' ? 1 : 0));

/** The same crystal with the lattice vectors relabelled (a, b, c) → (c, a, b): the stacking moves to a*. */
function permuted(s: Structure): Structure {
  const L = s.lattice;
  const lattice = new Float64Array([L[6], L[7], L[8], L[0], L[1], L[2], L[3], L[4], L[5]]);
  const frac = new Float64Array(s.frac.length);
  for (let i = 0; i < s.species.length; i++) frac.set([s.frac[3 * i + 2], s.frac[3 * i], s.frac[3 * i + 1]], 3 * i);
  return makeStructure({ comment: 'permuted', lattice, species: s.species, frac });
}

/** The same crystal in a sheared setting c' = c + a: c' is no longer the stacking normal, c* still is. */
function sheared(s: Structure): Structure {
  const L = s.lattice;
  const lattice = new Float64Array([L[0], L[1], L[2], L[3], L[4], L[5], L[6] + L[0], L[7] + L[1], L[8] + L[2]]);
  const frac = new Float64Array(s.frac.length);
  // r = f·L = f'·L' with L' rows (a, b, c + a) → f'_a = f_a − f_c
  for (let i = 0; i < s.species.length; i++) frac.set([s.frac[3 * i] - s.frac[3 * i + 2], s.frac[3 * i + 1], s.frac[3 * i + 2]], 3 * i);
  return makeStructure({ comment: 'sheared', lattice, species: s.species, frac });
}

describe('stacking axis', () => {
  const model = buildLrlo({ n: 2, ni: 0.25 }).structure;
  it('hexagonal model: (0 0 1), 14.25 Å period, 6 layers 2.375 Å apart alternating TM / Li', () => {
    const L = findLayers(model, jsKernels, groups(model));
    expect(L.axis.hkl).toEqual([0, 0, 1]);
    expect(L.axis.period).toBeCloseTo(14.25, 10);
    expect(L.layers.map((l) => l.height)).toEqual([0, 2.375, 4.75, 7.125, 9.5, 11.875]);
    expect(L.layers.map((l) => l.kind)).toEqual(['TM', 'Li', 'TM', 'Li', 'TM', 'Li']);
    expect(L.layers[1].counts).toEqual({ Li: 12 });
    expect(L.layers.filter((l) => l.kind === 'TM').map((l) => l.counts.Li)).toEqual([4, 4, 4]);
  });
  it('relabelled cell: the axis is a*, found among the other close-packed directions', () => {
    const p = permuted(model);
    const axis = findAxis(p, jsKernels, groups(p));
    expect(axis.hkl).toEqual([1, 0, 0]);
    expect(axis.vector.map((x) => Math.abs(x))).toEqual([0, 0, 1].map((x) => expect.closeTo(x, 10)));
  });
  it('sheared setting: the normal c* (Cartesian z), not the lattice vector c', () => {
    const sh = sheared(model);
    const L = findLayers(sh, jsKernels, groups(sh));
    expect(L.axis.hkl).toEqual([0, 0, 1]);
    expect(L.axis.vector[2]).toBeCloseTo(1, 10);
    expect(L.layers).toHaveLength(6);
  });
  it('--axis a|b|c and x,y,z', () => {
    expect(parseAxis('c', model.lattice)).toMatchObject({ hkl: [0, 0, 1], source: 'option' });
    expect(parseAxis('0,0,2', model.lattice).hkl).toEqual([0, 0, 1]);
    expect(parseAxis('c', sheared(model).lattice).vector[2]).toBeCloseTo(1, 10);
    expect(() => parseAxis('q', model.lattice)).toThrow(UsageError);
    expect(() => parseAxis('0.123,0.777,0.31', model.lattice)).toThrow(UsageError);
  });
  it('a structure without layers asks for the stacking axis (an analysis option error naming `axis`)', () => {
    const gas = makeStructure({ comment: 'one Mn', lattice: new Float64Array([1.2, 0, 0, 0, 1.3, 0, 0, 0, 1.4]), species: ['Mn'], frac: new Float64Array(3) });
    expect(() => findAxis(gas, jsKernels, Int32Array.of(0))).toThrow(AnalysisOptionError);
    expect(() => findAxis(gas, jsKernels, Int32Array.of(0))).toThrow(expect.objectContaining({ option: 'axis' }));
  });
});

describe('layer helpers', () => {
  it('clusters phases across the periodic boundary', () => {
    const c = clusterPhases(Float64Array.of(0.98, 0.02, 0.5, 0.51), 0.1);
    expect(c).toHaveLength(2);
    expect(c[0]).toBeCloseTo(0, 10);
    expect(c[1]).toBeCloseTo(0.505, 10);
  });
  it('kinds: alternating sets when clearly different, majority otherwise', () => {
    // delithiated Li layers with one Ni and little Li stay Li layers
    expect(layerKinds([6, 1, 6, 0], [0, 1, 1, 2])).toEqual(['TM', 'Li', 'TM', 'Li']);
    // rock salt NiO: every layer TM
    expect(layerKinds([4, 4, 4, 4], [0, 0, 0, 0])).toEqual(['TM', 'TM', 'TM', 'TM']);
    expect(layerKinds([0, 3, 0], [2, 0, 0])).toEqual(['Li', 'TM', 'other']);
  });
});
