import { describe, expect, it } from 'vitest';
import { gzipSync } from 'fflate';
import { groupSites, imageShift, siteOfInstance, sphereCentres } from '../../viewer/src/describe/atoms.js';
import { cylinderMatrices, halfBonds } from '../../viewer/src/describe/bonds.js';
import { cellCentre, cellEdges, cellRadius } from '../../viewer/src/describe/cell.js';
import { clustersOf, sizeHistogram } from '../../viewer/src/describe/clusters.js';
import { abNormal, presetView } from '../../viewer/src/describe/camera.js';
import { pickSpheres } from '../../viewer/src/describe/pick.js';
import { framePositions, pathPolylines } from '../../viewer/src/describe/paths.js';
import { profileDrawing } from '../../viewer/src/describe/profile.js';
import { arrowMatrices } from '../../viewer/src/describe/arrows.js';
import { siteInfoText } from '../../viewer/src/describe/info.js';
import { CLASS_COLORS } from '../../src/plot/class-colors.js';
import { ARROW_COLORS, LI_COLOR, PICK_COLOR, covalentCutoffs, displayRadius, siteColor } from '../../viewer/src/describe/style.js';
import { blobSource, loadFiles, nebGroups } from '../../viewer/src/load.js';
import { headText } from '../../src/pipeline/inputs.js';
import { Analysis } from '../../viewer/src/analyse.js';
import { buildLrlo } from '../../src/build/lrlo.js';
import { census } from '../../src/analysis/census.js';
import { jsKernels } from '../../src/kernels/index.js';
import type { NeighbourList } from '../../src/kernels/types.js';
import type { NebAnalysis } from '../../src/analysis/neb.js';
import { parseXdatcar } from '../../src/io/vasp/xdatcar.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cubic = (a: number) => Float64Array.from([a, 0, 0, 0, a, 0, 0, 0, a]);

/** Applies a column-major 4×4 instance matrix to a point. */
function apply(m: Float32Array, o: number, p: [number, number, number]): number[] {
  return [0, 1, 2].map((r) => m[o + r] * p[0] + m[o + 4 + r] * p[1] + m[o + 8 + r] * p[2] + m[o + 12 + r]);
}

/** A CSR list from (i, j, image, dist) rows, rows sorted by i. */
function csr(n: number, rows: [number, number, [number, number, number], number][]): NeighbourList {
  const offsets = new Int32Array(n + 1);
  for (const [i] of rows) offsets[i + 1]++;
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  return {
    offsets,
    j: Int32Array.from(rows.map((r) => r[1])),
    image: Int32Array.from(rows.flatMap((r) => r[2])),
    dist: Float64Array.from(rows.map((r) => r[3])),
  };
}

describe('atoms', () => {
  it('when O sites carry census classes then each class is its own group with the study colours', () => {
    const species = ['Li', 'Mn', 'O', 'O', 'O', 'Li'];
    const groups = groupSites(species, ['alkali', 'tm', 'oxygen', 'oxygen', 'oxygen', 'alkali'], [undefined, undefined, 'O4', 'O5', 'O4', undefined]);
    expect(groups.map((g) => [g.key, Array.from(g.sites)])).toEqual([['Li', [0, 5]], ['Mn', [1]], ['O4', [2, 4]], ['O5', [3]]]);
    expect(groups.find((g) => g.key === 'O4')!.color).toBe(0x9c36b5);
    expect(groups.find((g) => g.key === 'O5')!.color).toBe(0xfcc419);
    expect(groups[0].color).toBe(LI_COLOR);
    expect(CLASS_COLORS.O3).not.toBe(CLASS_COLORS.O6);
  });

  it('when there is no census then O keeps one group and its Jmol red', () => {
    const groups = groupSites(['O', 'H', 'H'], ['other', 'other', 'other']);
    expect(groups.map((g) => g.key)).toEqual(['O', 'H']);
    expect(groups[0].color).toBe(0xff0d0d);
    expect(siteColor('Mn', 'tm')).toBe(0x1c7ed6);
    // 0.25 + 0.3 × covalent radius 0.66 Å
    expect(displayRadius('O')).toBeCloseTo(0.448, 12);
  });

  it('when the cell is repeated 2×1×1 then image 1 is shifted by a and instance ids map back to sites', () => {
    const lattice = Float64Array.from([3, 0, 0, 1, 4, 0, 0, 0, 5]);
    const cart = Float64Array.from([0.5, 0.5, 0.5, 1, 2, 3]);
    const [g] = groupSites(['Li', 'Li'], ['alkali', 'alkali']);
    const c = sphereCentres(g, cart, lattice, { na: 2, nb: 1, nc: 1 });
    expect(Array.from(c)).toEqual([0.5, 0.5, 0.5, 1, 2, 3, 3.5, 0.5, 0.5, 4, 2, 3]);
    expect(siteOfInstance(g, 3)).toEqual({ site: 1, image: 1 });
    expect(imageShift(lattice, { na: 2, nb: 2, nc: 2 }, 7)).toEqual([4, 4, 5]);
  });
});

describe('bonds', () => {
  it('when a bond crosses the boundary then each end gets a half towards the image of the other', () => {
    // site 0 at x = 0.2, site 1 at x = 3.8 in a 4 Å cube: bonded across the boundary, 0.4 Å apart
    const cart = Float64Array.from([0.2, 1, 1, 3.8, 1, 1]);
    const list = csr(2, [[0, 1, [-1, 0, 0], 0.4], [1, 0, [1, 0, 0], 0.4]]);
    const { segments, owner } = halfBonds(list, cart, cubic(4));
    expect(Array.from(owner)).toEqual([0, 1]);
    // 0 → midpoint with (3.8 − 4) = −0.2: (0.2 + −0.2)/2 = 0; 1 → midpoint with 0.2 + 4 = 4.2: 4.0
    expect(Array.from(segments).map((x) => +x.toFixed(6) + 0)).toEqual([0.2, 1, 1, 0, 1, 1, 3.8, 1, 1, 4, 1, 1]);
  });

  it('when a segment becomes a cylinder instance then the unit cylinder ends land on the segment ends', () => {
    const seg = Float32Array.from([1, 2, 3, 2, 4, 5]);
    const m = cylinderMatrices(seg, 0.1, cubic(10), { na: 2, nb: 1, nc: 1 });
    expect(apply(m, 0, [0, -0.5, 0]).map((x) => +x.toFixed(5))).toEqual([1, 2, 3]);
    expect(apply(m, 0, [0, 0.5, 0]).map((x) => +x.toFixed(5))).toEqual([2, 4, 5]);
    // the rim is 0.1 Å from the axis
    const rim = apply(m, 0, [1, 0, 0]);
    expect(Math.hypot(rim[0] - 1.5, rim[1] - 3, rim[2] - 4)).toBeCloseTo(0.1, 6);
    expect(apply(m, 16, [0, -0.5, 0]).map((x) => +x.toFixed(5))).toEqual([11, 2, 3]);
  });

  it('when a structure has no O then bonds come from 1.15 × the covalent radii', () => {
    const c = covalentCutoffs(['N', 'H', 'H']);
    expect(c.nTypes).toBe(2);
    expect(c.pairCutoffs[0 * 2 + 1]).toBeCloseTo(1.15 * (0.71 + 0.31), 12);
    expect(c.maxCutoff).toBeCloseTo(1.15 * 1.42, 12);
  });
});

describe('cell and camera', () => {
  it('when the cell is drawn then its 12 edges span the (repeated) lattice vectors', () => {
    const e = cellEdges(Float64Array.from([2, 0, 0, 0, 3, 0, 0, 0, 4]), { na: 2, nb: 1, nc: 1 });
    expect(e.length).toBe(72);
    expect(Array.from(e.subarray(0, 6))).toEqual([0, 0, 0, 4, 0, 0]);
    expect(Math.max(...e)).toBe(4);
    expect(cellCentre(Float64Array.from([2, 0, 0, 0, 3, 0, 0, 0, 4]), { na: 1, nb: 2, nc: 3 })).toEqual([1, 3, 6]);
    // seen along z, the corners of a 2×3×4 box lie √(1² + 1.5²) from the axis through the centre
    expect(cellRadius(Float64Array.from([2, 0, 0, 0, 3, 0, 0, 0, 4]), undefined, [0, 0, 1])).toBeCloseTo(Math.hypot(1, 1.5), 12);
    expect(cellRadius(Float64Array.from([2, 0, 0, 0, 3, 0, 0, 0, 4]))).toBeCloseTo(Math.hypot(1, 1.5, 2), 12);
  });

  it('when looking down the stacking axis of a hexagonal cell then the view is along c with b upright', () => {
    const hex = Float64Array.from([2.85, 0, 0, -1.425, 2.4682, 0, 0, 0, 14.25]);
    expect(abNormal(hex).map((x) => x + 0)).toEqual([0, 0, 1]);
    const v = presetView('stacking', hex);
    expect(v.dir.map((x) => x + 0)).toEqual([0, 0, 1]);
    expect(v.up[0]).toBeCloseTo(-0.5, 4);
    expect(v.up[1]).toBeCloseTo(0.866, 3);
    const a = presetView('a', hex);
    expect(a.dir).toEqual([1, 0, 0]);
    expect(a.dir[0] * a.up[0] + a.dir[1] * a.up[1] + a.dir[2] * a.up[2]).toBeCloseTo(0, 12);
    // a stacking axis from the migration analysis wins over the a–b normal
    expect(presetView('stacking', hex, [0, 1, 0]).dir).toEqual([0, 1, 0]);
  });
});

describe('clusters', () => {
  it('when two O5 share a cation then they form one cluster, and an O5 alone is a cluster of one', () => {
    // O5 sites 0, 1, 2; cations 3, 4, 5. 0–3, 1–3, 1–4, 2–5; site 6 is an O4 that also touches 5
    const list = csr(7, [[0, 3, [0, 0, 0], 2], [1, 3, [0, 0, 0], 2], [1, 4, [0, 0, 0], 2], [2, 5, [0, 0, 0], 2], [6, 5, [0, 0, 0], 2]]);
    const member = [true, true, true, false, false, false, false];
    const cation = [false, false, false, true, true, true, false];
    const c = clustersOf(list, member, cation);
    expect(c).toEqual([{ sites: [0, 1], sharedCations: [3] }, { sites: [2], sharedCations: [] }]);
    expect(sizeHistogram(c)).toEqual([[2, 1], [1, 1]]);
  });
});

describe('picking', () => {
  it('when a ray passes through two spheres then the nearer surface is hit', () => {
    const centres = Float32Array.from([0, 0, 5, 0, 0, 10]);
    const hit = pickSpheres([0, 0, 0], [0, 0, 1], centres, 0.6)!;
    expect(hit.instance).toBe(0);
    expect(hit.t).toBeCloseTo(4.4, 6);
    expect(pickSpheres([0, 0, 20], [0, 0, -1], centres, 0.6)!.instance).toBe(1);
    // 0.5 Å off the axis: still inside a 0.6 Å sphere; 0.7 Å off: a miss
    expect(pickSpheres([0.5, 0, 0], [0, 0, 1], centres, 0.6)!.instance).toBe(0);
    expect(pickSpheres([0.7, 0, 0], [0, 0, 1], centres, 0.6)).toBeUndefined();
  });

  it('when an O is picked then the panel lists class, nTM/nLi and neighbours by distance, atoms 1-based (issue 18)', () => {
    const list = csr(3, [[0, 2, [0, 0, 1], 2.1], [0, 1, [0, 0, 0], 1.95]]);
    const text = siteInfoText(0, ['O', 'Mn', 'Li'], list, { index: 0, nTM: 1, nLi: 5, nOther: 0, vacancies: 0, class: 'O5' });
    // sites 0, 1, 2 are POSCAR atoms 1 (O), 2 (Mn), 3 (Li)
    expect(text.split('\n')).toEqual([
      'atom 1 (O1; JSON index 0)  O',
      'class O5  nTM 1  nLi 5  vacancies 0',
      'neighbours 2 (atom numbers 1-based)',
      '  Mn     2  1.950 Å',
      '  Li     3  2.100 Å  [0 0 1]',
    ]);
  });

  it('the in-plane arrow colour is apart from Li green, the TM blues, O3/O4/O5, the other arrow and the pick shell', () => {
    const rgb = (c: number) => [(c >> 16) & 255, (c >> 8) & 255, c & 255];
    const dist = (a: number, b: number) => Math.hypot(...rgb(a).map((x, i) => x - rgb(b)[i]));
    const others = [LI_COLOR, CLASS_COLORS.O3, CLASS_COLORS.O4, CLASS_COLORS.O5, ARROW_COLORS.outOfPlane, PICK_COLOR, ...['Mn', 'Ni', 'Co', 'Fe', 'Cr', 'Ti', 'V'].map((e) => siteColor(e, 'tm'))];
    for (const c of others) expect(dist(ARROW_COLORS.inPlane, c), c.toString(16)).toBeGreaterThan(120);
  });
});

describe('paths, arrows and profile', () => {
  const path = [{ index: 1, species: 'Mn', positions: [[0, 0, 0], [0.5, 0, 0], [1, 0, 0]] as [number, number, number][] }];

  it('when a frame is drawn then the migrating atom sits on its unwrapped path', () => {
    const cart = Float64Array.from([9, 9, 9, 7, 7, 7]);
    expect(Array.from(framePositions(cart, path, 1))).toEqual([9, 9, 9, 0.5, 0, 0]);
    expect(Array.from(pathPolylines(path)[0])).toEqual([0, 0, 0, 0.5, 0, 0, 1, 0, 0]);
  });

  it('when an arrow is drawn then its head ends at the moved atom’s surface', () => {
    const { shafts, heads } = arrowMatrices([{ from: [0, 0, 0], to: [2, 0, 0] }], cubic(10), { na: 1, nb: 1, nc: 1 }, 0.1, 0.6);
    // stops 0.6 Å short of x = 2; head min(0.5, 0.3 × 2) = 0.5 Å long
    expect(apply(heads, 0, [0, 0.5, 0]).map((x) => +x.toFixed(5) + 0)).toEqual([1.4, 0, 0]);
    expect(apply(heads, 0, [0, -0.5, 0]).map((x) => +x.toFixed(5) + 0)).toEqual([0.9, 0, 0]);
    expect(apply(shafts, 0, [0, -0.5, 0]).map((x) => +x.toFixed(5) + 0)).toEqual([0, 0, 0]);
  });

  it('when an image has no energy then its profile point has no y, and x follows the reaction coordinate', () => {
    const neb = {
      images: ['00', '01', '02'].map((name) => ({ name })),
      energies: [null, 0, 0.2],
      reactionCoordinate: [0, 1, 2],
      spline: { x: [1, 1.5, 2], energy: [0, 0.25, 0.2] },
    } as unknown as NebAnalysis;
    const d = profileDrawing(neb, 320, 200);
    expect(d.images.map((i) => [i.name, i.x])).toEqual([['00', 46], ['01', 178], ['02', 310]]);
    expect(d.images[0].y).toBeNull();
    expect(d.images[2].y!).toBeLessThan(d.images[1].y!);
    expect(d.curve.startsWith('M178,')).toBe(true);
  });
});

describe('loading', () => {
  it('when files come from a picked folder then image folders 00..NN form one NEB group', () => {
    const f = (path: string) => ({ path, blob: new Blob(['x']) });
    const groups = nebGroups([f('run/neb/00/POSCAR'), f('run/neb/01/POSCAR'), f('run/neb/01/OUTCAR'), f('run/neb/02/CONTCAR'), f('run/neb/INCAR'), f('run/other/01/OUTCAR')]);
    expect([...groups.keys()]).toEqual(['run/neb']);
    expect([...groups.get('run/neb')!.keys()]).toEqual(['00', '01', '02']);
    expect(groups.get('run/neb')!.get('01')!.map((x) => x.path)).toEqual(['run/neb/01/POSCAR', 'run/neb/01/OUTCAR']);
  });

  it('when a file is gzip-compressed then the source yields the plain text', async () => {
    const text = 'Si2\n1.0\n5 0 0\n0 5 0\n0 0 5\nSi\n2\nDirect\n0 0 0\n0.25 0.25 0.25\n';
    const src = await blobSource('POSCAR.gz', new Blob([gzipSync(new TextEncoder().encode(text))]));
    expect(src.size).toBeUndefined();
    expect(await headText(src)).toBe(text);
    expect(await headText(await blobSource('POSCAR', new Blob([text])), 5)).toBe('Si2\n1');
  });
});

describe('analysis in the page', () => {
  it('when an XDATCAR is shown then its frames animate and the farthest-moving atoms get unwrapped paths, with no energy profile', () => {
    const path = fileURLToPath(new URL('../fixtures/real/vasp/xdatcar/XDATCAR.MD', import.meta.url));
    const trajectory = parseXdatcar(readFileSync(path), 'XDATCAR.MD');
    const a = new Analysis({ kind: 'trajectory', name: 'XDATCAR.MD', folder: '', trajectory }, jsKernels);
    expect(a.nFrames).toBe(5);
    expect(a.hasProfile).toBe(false);
    const movers = a.neb!.path;
    expect(movers.length).toBeGreaterThan(0);
    expect(movers.every((m) => m.positions.length === 5)).toBe(true);
    // frame 3 draws each mover at its unwrapped position of frame 3
    const f3 = a.frame(3).structure.cart;
    const m = movers[0];
    expect([0, 1, 2].map((k) => f3[3 * m.index + k])).toEqual(m.positions[3]);
    expect(a.labels[0]).toBe(`step ${trajectory.steps[0]}`);
  });

  it('when the model pristine LRLO is shown then every O is drawn as O4 and the groups match the census', () => {
    const { structure } = buildLrlo({ n: 2, m: 1, variant: 'pristine', seed: 3, ni: 0.25 });
    const a = new Analysis({ kind: 'structure', name: 'pristine', folder: '', structure }, jsKernels);
    const v = a.frame(0);
    const c = census(structure, jsKernels);
    expect(c.classes).toEqual({ O4: c.nO });
    expect(v.groups.find((g) => g.key === 'O4')!.sites.length).toBe(c.nO);
    expect(v.clusters).toEqual([]);
    // every O has 6 cation neighbours and every cation 6 O: 12 halves per O
    expect(v.bonds.owner.length).toBe(12 * c.nO);
    expect(v.migration?.axis.vector.map((x) => Math.abs(+x.toFixed(6)))).toEqual([0, 0, 1]);
  });

  it('when the migrated model is shown with its pristine reference then the arrows are the builder’s moves', () => {
    const opts = { n: 2, m: 1, seed: 2024, ni: 0.25, co: 0.125, inPlane: 2, outOfPlane: 1 } as const;
    const pristine = buildLrlo({ ...opts, variant: 'pristine' }).structure;
    const migrated = buildLrlo({ ...opts, variant: 'migrated' });
    const a = new Analysis({ kind: 'structure', name: 'migrated', folder: '', structure: migrated.structure }, jsKernels, { file: 'pristine', structure: pristine });
    const v = a.frame(0);
    expect(v.arrows.inPlane.length).toBe(2);
    expect(v.arrows.outOfPlane.length).toBe(1);
    const moved = migrated.truth.moved.find((m) => m.kind === 'outOfPlane')!;
    const s = migrated.structure;
    const arrow = v.arrows.outOfPlane[0];
    expect(arrow.to).toEqual([0, 1, 2].map((k) => s.cart[3 * moved.index + k]));
    expect(Math.hypot(...[0, 1, 2].map((k) => arrow.to[k] - arrow.from[k]))).toBeCloseTo(moved.displacement, 3);
    // O5 appear around the moved TM and group into clusters
    expect(v.clusters.reduce((n, c) => n + c.sites.length, 0)).toBe(v.census!.classes.O5);
  });
});

describe('viewer: numbered folders of unrelated structures', () => {
  it('are an ensemble of structures, not an NEB, and the page says why', async () => {
    const { readFileSync } = await import('node:fs');
    // the pristine model with one Li and one Mn exchanged (rows 9+i and 9+48+j): same species list, other sites
    const lines = readFileSync('examples/lrlo/model/pristine/POSCAR', 'utf8').split('\n');
    const swapped = (i: number, j: number) => { const l = [...lines]; [l[8 + i], l[8 + 48 + j]] = [l[8 + 48 + j], l[8 + i]]; return l.join('\n'); };
    const files = ['00', '01', '02'].map((k, n) => ({ path: `sqs/${k}/POSCAR`, blob: new Blob([n === 0 ? lines.join('\n') : swapped(5 * n, 3 * n)]) }));
    const loaded = await loadFiles(files, jsKernels);
    expect(loaded.datasets.map((d) => [d.kind, d.name])).toEqual(files.map((f) => ['structure', f.path]));
    expect(loaded.problems).toHaveLength(1);
    expect(loaded.problems[0]).toMatch(/^sqs: not an NEB path \(atom \d+ \(\w+\) moves \d+\.\d\d Å between 0[01] and 0[12]; consecutive NEB images move no atom more than 2 Å\); each structure is shown on its own$/);
  });
});
