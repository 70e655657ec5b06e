import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import { frameFrac, frameLattice, frameStructure, type Trajectory } from '../model/trajectory.js';
import { AnalysisOptionError, MismatchError } from '../errors.js';
import { anionCounts, anionNeighbours, census, className, type CensusOptions } from './census.js';
import { DEFAULT_ALKALI, DEFAULT_TM, TM, anionSites, cationGroups, type PairCutoff } from './cutoffs.js';
import { differentCell } from './series.js';

/**
 * The O census along a path: every frame of a trajectory (XDATCAR), every image of an NEB, or a series of structures,
 * classified as the single-structure census does (census.ts), and every O whose class changes between two analysed
 * frames in a row, with the TM cations that arrived or left (the class counts TM: O(6 − nTM)).
 *
 * Without a reference the counts come from the counts kernel in one call for all frames of a constant cell (the
 * neighbour lists are built only for the O that changed, in the two frames concerned). With a reference each frame is
 * counted on the reference's cation sites (census.ts), and the cation of a site is its occupant.
 */

/** Frames of one set of sites and what each frame is called. */
export interface PathFrames {
  kind: 'trajectory' | 'neb' | 'structures';
  /** the XDATCAR, the NEB folder, or the first structure file */
  source: string;
  trajectory: Trajectory;
  /** per frame: `step N` (XDATCAR), the image folder (NEB), the file (structures) */
  names: string[];
  /** NEB: the reaction coordinate of each image, Å (cumulative minimum-image path length, neb.ts) */
  reactionCoordinate?: number[];
}

export interface PathCensusOptions extends Omit<CensusOptions, 'neighbours' | 'file'> {
  /** the frames to analyse, 0-based, increasing (default all; see selectFrames) */
  frames?: number[];
}

export interface PathFrameRow {
  /** 0-based frame (image) index in the input */
  frame: number;
  name: string;
  /** XDATCAR ionic step of the frame */
  step?: number;
  /** NEB reaction coordinate, Å */
  reactionCoordinate?: number;
  /** class → number of O */
  classes: Record<string, number>;
  /** class → fraction of O (0..1) */
  fractions: Record<string, number>;
}

export interface PathCation {
  /** 0-based site index */
  index: number;
  species: string;
}

export interface PathEvent {
  /** the frame (0-based input index) where the O is first seen in its new class, and its name (the NEB image carrying the change) */
  frame: number;
  name: string;
  /** the analysed frame before it */
  previousFrame: number;
  /** the O, 0-based site index */
  o: number;
  from: string;
  to: string;
  /** TM cations within the cutoffs (with a reference: on the O's reference sites) now and not before */
  arrived: PathCation[];
  /** TM cations there before and not now */
  left: PathCation[];
}

export interface PathCensusResult {
  kind: PathFrames['kind'];
  source: string;
  nSites: number;
  nO: number;
  /** frames in the input, and how many were analysed */
  nFrames: number;
  /** every class seen on the path, in order O0 … O6 */
  classNames: string[];
  frames: PathFrameRow[];
  events: PathEvent[];
  cutoffs: PairCutoff[];
  tm: string[];
  alkali: string[];
  /** with a reference: per analysed frame, atoms off every reference site (counted as in census.ts) */
  reference?: { siteTolerance: number; unassigned: { frame: number; o: number; cations: number }[] };
  warnings: string[];
}

/**
 * Frames to analyse: every `every`-th frame of the 0-based inclusive range [first, last] (default the whole input),
 * always including the last frame of the range (the final state of a run).
 */
export function selectFrames(nFrames: number, options: { every?: number; first?: number; last?: number } = {}): number[] {
  const every = options.every ?? 1;
  const first = options.first ?? 0;
  const last = Math.min(options.last ?? nFrames - 1, nFrames - 1);
  if (!(Number.isInteger(every) && every >= 1)) throw new AnalysisOptionError(`every must be a positive integer, got ${every}`);
  if (!(Number.isInteger(first) && first >= 0 && first < nFrames)) throw new AnalysisOptionError(`the first frame ${first + 1} is outside 1 … ${nFrames}`);
  if (last < first) throw new AnalysisOptionError(`the frame range ${first + 1}:${last + 1} is empty`);
  const out: number[] = [];
  for (let f = first; f <= last; f += every) out.push(f);
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}

/** A series of structures (NEB images, several POSCARs) as frames: same sites in the same order, else a MismatchError. */
export function framesOfStructures(structures: Structure[], names: string[], kind: 'neb' | 'structures', source: string): PathFrames {
  if (structures.length === 0) throw new AnalysisOptionError('a path needs at least one structure');
  const first = structures[0];
  const n = first.species.length;
  structures.forEach((s, i) => {
    if (s.species.length !== n || s.species.some((x, k) => x !== first.species[k])) {
      throw new MismatchError([names[0], names[i]], `the structures of a path must hold the same atoms in the same order (${n} vs ${s.species.length} sites, or another species order)`);
    }
  });
  const variableCell = differentCell(structures) !== null;
  const frac = new Float64Array(structures.length * n * 3);
  structures.forEach((s, i) => frac.set(s.frac, i * n * 3));
  const lattices = new Float64Array(variableCell ? 9 * structures.length : 9);
  if (variableCell) structures.forEach((s, i) => lattices.set(s.lattice, 9 * i));
  else lattices.set(first.lattice);
  const trajectory: Trajectory = {
    comment: first.comment, species: first.species, nSites: n, nFrames: structures.length, frac, lattices, variableCell,
    steps: Int32Array.from(structures, (_, i) => i + 1), truncated: false,
  };
  return { kind, source, trajectory, names };
}

/** Class names in order O0, O1 … O6. */
function classOrder(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1));
}

function tallyClasses(nTM: Int32Array, nO: number): { classes: Record<string, number>; fractions: Record<string, number> } {
  const byTm = new Int32Array(8);
  for (let k = 0; k < nTM.length; k++) byTm[Math.min(7, nTM[k])]++;
  const classes: Record<string, number> = {};
  const fractions: Record<string, number> = {};
  for (let t = 7; t >= 0; t--) {
    if (byTm[t] === 0) continue;
    const c = className(t);
    classes[c] = byTm[t];
    fractions[c] = byTm[t] / nO;
  }
  return { classes, fractions };
}

export function pathCensus(path: PathFrames, kernels: Kernels, options: PathCensusOptions = {}): PathCensusResult {
  const t = path.trajectory;
  const anion = options.anion ?? 'O';
  const tm = options.tm ?? DEFAULT_TM;
  const tmSet = new Set(tm);
  const alkSet = new Set((options.alkali ?? DEFAULT_ALKALI).filter((a) => !tmSet.has(a)));
  if (tmSet.has(anion) || alkSet.has(anion)) throw new AnalysisOptionError(`the anion ${anion} cannot also be a TM or alkali cation`);
  if (path.names.length !== t.nFrames) throw new MismatchError([path.source], `${path.names.length} frame names for ${t.nFrames} frames`);
  const frames = options.frames ?? selectFrames(t.nFrames);
  frames.forEach((f, k) => {
    if (!(Number.isInteger(f) && f >= 0 && f < t.nFrames) || (k > 0 && f <= frames[k - 1])) throw new AnalysisOptionError(`frames must be increasing indices within 0 … ${t.nFrames - 1}`);
  });
  const group = cationGroups(t.species, anion, tmSet, alkSet);
  const centres = anionSites(group);
  const nO = centres.length;
  const warnings: string[] = [];
  if (nO === 0) warnings.push(`no ${anion} in ${path.source}: nothing to classify`);
  if (t.variableCell) warnings.push(`the cell changes along ${path.source}: each frame is counted in its own cell`);

  // nTM per O per analysed frame (frame-major), and the cations of each site where the reference decides
  const nTM = new Int32Array(frames.length * nO);
  let cutoffs: PairCutoff[] = [];
  let reference: PathCensusResult['reference'];
  let occupants: Map<number, PathCation[]>[] | undefined;
  if (options.reference) {
    const tol = options.siteTolerance ?? 1.0;
    reference = { siteTolerance: tol, unassigned: [] };
    occupants = [];
    frames.forEach((f, k) => {
      const c = census(frameStructure(t, f), kernels, { ...options, file: path.names[f], neighbours: true });
      cutoffs = c.cutoffs;
      const occ = new Map<number, PathCation[]>();
      c.sites.forEach((site, o) => {
        nTM[k * nO + o] = site.nTM;
        occ.set(site.index, (site.neighbours ?? []).flatMap((nb) => (nb.index >= 0 && group[nb.index] === TM ? [{ index: nb.index, species: nb.species! }] : [])));
      });
      occupants!.push(occ);
      const u = c.reference!;
      if (u.unassignedO.length || u.unassignedCations.length) reference!.unassigned.push({ frame: f, o: u.unassignedO.length, cations: u.unassignedCations.length });
    });
  } else {
    const contiguous = frames.length === t.nFrames;
    const byCell = t.variableCell ? frames.map((f) => [f]) : [frames];
    let k0 = 0;
    for (const batch of byCell) {
      const frac = contiguous && !t.variableCell ? t.frac : gatherFrames(t, batch);
      const { counts, used } = anionCounts(frameLattice(t, batch[0]), t.species, frac, batch.length, kernels, anion, centres, group, options.cutoffs);
      cutoffs = used;
      for (let k = 0; k < batch.length * nO; k++) nTM[k0 * nO + k] = counts[3 * k + TM];
      k0 += batch.length;
    }
  }

  const rows: PathFrameRow[] = frames.map((f, k) => ({
    frame: f,
    name: path.names[f],
    ...(path.kind === 'trajectory' ? { step: t.steps[f] } : {}),
    ...(path.reactionCoordinate ? { reactionCoordinate: path.reactionCoordinate[f] } : {}),
    ...tallyClasses(nTM.subarray(k * nO, (k + 1) * nO), nO),
  }));
  const classNames = [...new Set(rows.flatMap((r) => Object.keys(r.classes)))].sort(classOrder);

  const events: PathEvent[] = [];
  for (let k = 1; k < frames.length; k++) {
    const changed: number[] = [];
    for (let o = 0; o < nO; o++) if (nTM[k * nO + o] !== nTM[(k - 1) * nO + o]) changed.push(o);
    if (changed.length === 0) continue;
    const [before, after] = occupants
      ? [occupants[k - 1], occupants[k]]
      : [tmAround(t, frames[k - 1], centres, changed, group, kernels, anion, options), tmAround(t, frames[k], centres, changed, group, kernels, anion, options)];
    for (const o of changed) {
      const i = centres[o];
      const was = before.get(i) ?? [], now = after.get(i) ?? [];
      events.push({
        frame: frames[k], name: path.names[frames[k]], previousFrame: frames[k - 1], o: i,
        from: className(nTM[(k - 1) * nO + o]), to: className(nTM[k * nO + o]),
        arrived: now.filter((c) => !was.some((w) => w.index === c.index)),
        left: was.filter((c) => !now.some((w) => w.index === c.index)),
      });
    }
  }
  return {
    kind: path.kind, source: path.source, nSites: t.nSites, nO, nFrames: t.nFrames, classNames, frames: rows, events,
    cutoffs, tm, alkali: [...alkSet], ...(reference ? { reference } : {}), warnings,
  };
}

function gatherFrames(t: Trajectory, frames: number[]): Float64Array {
  const n3 = t.nSites * 3;
  const out = new Float64Array(frames.length * n3);
  frames.forEach((f, k) => out.set(frameFrac(t, f), k * n3));
  return out;
}

/** TM cations within the cutoffs of the O `changed` (indices into `centres`) in one frame, by O site index. */
function tmAround(
  t: Trajectory, frame: number, centres: Int32Array, changed: number[], group: Int32Array, kernels: Kernels, anion: string, options: PathCensusOptions,
): Map<number, PathCation[]> {
  const s = frameStructure(t, frame);
  const { list } = anionNeighbours(s, kernels, anion, Int32Array.from(changed, (o) => centres[o]), options.cutoffs);
  const out = new Map<number, PathCation[]>();
  for (const o of changed) {
    const i = centres[o];
    const seen = new Set<number>();
    const row: PathCation[] = [];
    for (let p = list.offsets[i]; p < list.offsets[i + 1]; p++) {
      const j = list.j[p];
      if (group[j] === TM && !seen.has(j)) {
        seen.add(j);
        row.push({ index: j, species: t.species[j] });
      }
    }
    out.set(i, row.sort((a, b) => a.index - b.index));
  }
  return out;
}
