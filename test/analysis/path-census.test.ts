import { describe, expect, it } from 'vitest';
import { bothEngines } from '../kernels/engines.js';
import { census } from '../../src/analysis/census.js';
import { framesOfStructures, pathCensus, selectFrames, type PathFrames } from '../../src/analysis/path-census.js';
import { frameStructure } from '../../src/model/trajectory.js';
import { readXdatcar } from '../../src/io/vasp/xdatcar.js';
import { openSource } from '../../src/node/files.js';
import { buildLrlo } from '../../src/build/lrlo.js';
import { lrloHopImages } from './lrlo-neb.js';

const [js, wasm] = await bothEngines();
const MD = 'test/fixtures/real/vasp/xdatcar/XDATCAR.MD';

async function md(): Promise<PathFrames> {
  const t = await readXdatcar(await openSource(MD), { kernels: js });
  return { kind: 'trajectory', source: MD, trajectory: t, names: Array.from(t.steps, (s) => `step ${s}`) };
}

function hop(): PathFrames {
  const { images } = lrloHopImages(5);
  return framesOfStructures(images, ['00', '01', '02', '03', '04'], 'neb', 'hop');
}

describe('path census', () => {
  it('an in-plane Mn hop in a delithiated Li2MnO3 cell turns 4 O4 into O5 and 4 into O3, image by image (values from pymatgen)', () => {
    // pymatgen 2024 get_neighbor_list per image, Mn–O ≤ 2.395 Å: {O4: 72}, {O4: 70, O5: 2}, {O4: 68, O5: 4},
    // {O3: 2, O4: 66, O5: 4}, {O3: 4, O4: 64, O5: 4}; by hand: the hopping Mn leaves the 4 O of its octahedron it
    // does not share with the new site (O4 → O5) and reaches the 4 of the new site's (O4 → O3); the 2 shared O stay O4
    const { mover } = lrloHopImages(5);
    for (const k of [js, wasm]) {
      const r = pathCensus(hop(), k);
      expect(r.frames.map((f) => f.classes)).toEqual([{ O4: 72 }, { O4: 70, O5: 2 }, { O4: 68, O5: 4 }, { O3: 2, O4: 66, O5: 4 }, { O3: 4, O4: 64, O5: 4 }]);
      expect(r.frames[4].fractions).toEqual({ O3: 4 / 72, O4: 64 / 72, O5: 4 / 72 });
      expect(r.classNames).toEqual(['O3', 'O4', 'O5']);
      expect(r.events).toHaveLength(8);
      const toO5 = r.events.filter((e) => e.to === 'O5');
      expect(toO5.map((e) => e.name)).toEqual(['01', '01', '02', '02']);
      for (const e of toO5) expect([e.from, e.left, e.arrived]).toEqual(['O4', [{ index: mover, species: 'Mn' }], []]);
      for (const e of r.events.filter((x) => x.to === 'O3')) expect([e.from, e.arrived, e.left]).toEqual(['O4', [{ index: mover, species: 'Mn' }], []]);
    }
    expect(pathCensus(hop(), wasm)).toEqual(pathCensus(hop(), js));
  });

  it('every frame of a real XDATCAR equals the list-based census of that frame; events match pymatgen', async () => {
    const frames = await md();
    const r = pathCensus(frames, wasm);
    expect(pathCensus(frames, js)).toEqual(r);
    r.frames.forEach((row) => expect(row.classes).toEqual(census(frameStructure(frames.trajectory, row.frame), js, { neighbours: true }).classes));
    // pymatgen get_neighbor_list, Fe–O ≤ 2.53 Å: frame 2 O 2 and O 37 (1-based) lose a Fe, frame 4 O 24 and frame 5 O 17 gain one
    expect(r.events.map((e) => [e.frame + 1, e.o + 1, e.from, e.to])).toEqual([[2, 2, 'O1', 'O2'], [2, 37, 'O1', 'O2'], [4, 24, 'O2', 'O1'], [5, 17, 'O3', 'O2']]);
    expect(r.frames[0].classes).toEqual({ O1: 3, O2: 7, O3: 29, O4: 9 });
    expect(r.events.every((e) => e.arrived.length + e.left.length >= 1 && [...e.arrived, ...e.left].every((c) => c.species === 'Fe'))).toBe(true);
  });

  it('--every and --frames: every k-th frame of the range, the last always', async () => {
    expect(selectFrames(10, { every: 4 })).toEqual([0, 4, 8, 9]);
    expect(selectFrames(10, { first: 2, last: 5 })).toEqual([2, 3, 4, 5]);
    expect(selectFrames(10, { first: 7, last: 50 })).toEqual([7, 8, 9]);
    expect(() => selectFrames(10, { first: 10 })).toThrow(/outside/);
    const r = pathCensus(await md(), wasm, { frames: [0, 4] });
    expect(r.frames.map((f) => f.frame)).toEqual([0, 4]);
    // frames 1 → 5 directly: the four changes of the consecutive frames, none undone in between
    expect(r.events.map((e) => [e.previousFrame, e.frame, e.o + 1, e.from, e.to])).toEqual([[0, 4, 2, 'O1', 'O2'], [0, 4, 17, 'O3', 'O2'], [0, 4, 24, 'O2', 'O1'], [0, 4, 37, 'O1', 'O2']]);
  });

  it('with a reference the sites come from it: each image equals the reference census of that image', () => {
    const reference = buildLrlo({ variant: 'pristine', seed: 1 }).structure;
    const frames = hop();
    const r = pathCensus(frames, wasm, { reference });
    expect(pathCensus(frames, js, { reference })).toEqual(r);
    r.frames.forEach((row) => expect(row.classes).toEqual(census(frameStructure(frames.trajectory, row.frame), js, { reference }).classes));
    // halfway the Mn sits on no site: its old site is empty, so all 6 O around it are O5 at image 02 (2 of them regain it)
    expect(r.frames[2].classes).toEqual({ O4: 66, O5: 6 });
    // 0.71 Å from a site at 01 and 03 (within the 1 Å tolerance), 1.43 Å from both at 02
    expect(r.reference!.unassigned).toEqual([{ frame: 2, o: 0, cations: 1 }]);
  });

  it('a series of different atoms is refused with both names', () => {
    const a = buildLrlo({ variant: 'pristine' }).structure;
    const b = buildLrlo({ variant: 'delithiated' }).structure;
    expect(() => framesOfStructures([a, b], ['a/POSCAR', 'b/POSCAR'], 'structures', 'a/POSCAR')).toThrow(/b\/POSCAR.*same atoms/);
  });
});
