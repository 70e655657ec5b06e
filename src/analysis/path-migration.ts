import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import { frameFrac, frameLattice, frameStructure } from '../model/trajectory.js';
import { AnalysisOptionError } from '../errors.js';
import { DEFAULT_ALKALI, DEFAULT_TM, cationGroups } from './cutoffs.js';
import { migration, referencePartners, type MigrationOptions } from './migration.js';
import { selectFrames, type PathFrames } from './path-census.js';
import type { LayerKind, StackingAxis } from './layers.js';

/**
 * TM migration along a path (NEB images, trajectory frames): which TM move, and for each of them per analysed frame
 * its site type, layer and in-plane TM coordination, with the frames where it leaves its first site and its first
 * layer. Layers and cation sites come from the reference (default: the first analysed frame), as in migration.ts
 * with a reference; the per-frame classification is migration.ts's (tetrahedral by the geometric test: four O at
 * tetrahedral angles on a site between the cation planes).
 *
 * Site type per frame: `tetrahedral` (the geometric test), `octahedral-TM-layer` / `octahedral-Li-layer` (on a
 * reference cation site within `siteTolerance`, or six O within the cation–O cutoffs: a site that was vacant in the
 * reference; in a TM / Li layer), `between-sites` otherwise (e.g. the midpoint of an in-plane hop: the shared O–O
 * edge of two octahedra, neither octahedral nor tetrahedral).
 */
export type PathSiteType = 'octahedral-TM-layer' | 'tetrahedral' | 'octahedral-Li-layer' | 'between-sites';

export interface PathMigrationOptions extends Omit<MigrationOptions, 'file'> {
  frames?: number[];
  /** how far (Å) a TM may be from a reference cation site and still sit on it (default 0.6) */
  siteTolerance?: number;
}

export interface PathTmFrame {
  frame: number;
  name: string;
  siteType: PathSiteType;
  layer: number;
  layerKind: LayerKind;
  /** reference cation site it sits on (0-based site index of the reference), -1 when none within `siteTolerance` */
  site: number;
  /** element on that site in the reference (`Li`: a former Li site) */
  siteSpecies: string | null;
  inPlaneTM: number;
  nO: number;
  /** distance from the centre plane of its layer, Å */
  offset: number;
  /** minimum-image displacement from the reference, Å */
  displacement: number;
}

export interface PathMover {
  index: number;
  species: string;
  /** largest displacement from the reference over the analysed frames, Å */
  maxDisplacement: number;
  /** first analysed frame (0-based input index) where it sits on another site or between sites; null when never */
  leavesSite: number | null;
  /** first analysed frame where it is in another layer than in the first analysed frame; null when never */
  crossesLayer: number | null;
  /** first analysed frame where it is tetrahedral; null when never */
  tetrahedralAt: number | null;
  frames: PathTmFrame[];
}

export interface PathMigrationResult {
  kind: PathFrames['kind'];
  source: string;
  nFrames: number;
  /** analysed frames (0-based input indices) */
  frames: number[];
  axis: StackingAxis;
  /** the reference: `first frame` or the file given */
  reference: string;
  tolerance: number;
  siteTolerance: number;
  movers: PathMover[];
  warnings: string[];
}

export function pathMigration(path: PathFrames, kernels: Kernels, options: PathMigrationOptions & { referenceName?: string } = {}): PathMigrationResult {
  const t = path.trajectory;
  const frames = options.frames ?? selectFrames(t.nFrames);
  if (frames.length === 0) throw new AnalysisOptionError('no frames to analyse');
  const tolerance = options.tolerance ?? 1.0;
  const siteTolerance = options.siteTolerance ?? 0.6;
  const anion = options.anion ?? 'O';
  const ref: Structure = options.reference ?? frameStructure(t, frames[0]);
  const tmSet = new Set(options.tm ?? DEFAULT_TM);
  const alkSet = new Set((options.alkali ?? DEFAULT_ALKALI).filter((a) => !tmSet.has(a)));
  const refGroup = cationGroups(ref.species, anion, tmSet, alkSet);
  const refCat: number[] = [];
  refGroup.forEach((g, i) => g >= 0 && refCat.push(i));
  const refCatFrac = new Float64Array(refCat.length * 3);
  refCat.forEach((i, k) => refCatFrac.set(ref.frac.subarray(3 * i, 3 * i + 3), 3 * k));

  const warnings: string[] = [];
  // per analysed frame, per TM: the migration analysis against the reference
  const perFrame = frames.map((f) => {
    const s = frameStructure(t, f);
    const m = migration(s, kernels, { ...options, reference: ref, file: path.names[f] });
    warnings.push(...m.warnings.map((w) => `${path.names[f]}: ${w}`));
    return { m, s };
  });
  const axis = perFrame[0].m.axis;
  const tmIdx = perFrame[0].m.tm.map((x) => x.index);
  if (tmIdx.length === 0) warnings.push(`no TM in ${path.source}: nothing migrates`);
  // displacement of each TM from its reference partner (k-th of its element), and the site it sits on, per frame
  const partnerOf = referencePartners(tmIdx.map((i) => t.species[i]), ref, refGroup).partner;
  const rows = perFrame.map(({ m }, k) => {
    const f = frames[k];
    const lattice = frameLattice(t, f);
    const fr = frameFrac(t, f);
    const fb = new Float64Array(3 * tmIdx.length), fa = new Float64Array(3 * tmIdx.length);
    tmIdx.forEach((i, q) => {
      fb.set(fr.subarray(3 * i, 3 * i + 3), 3 * q);
      fa.set(ref.frac.subarray(3 * partnerOf[q], 3 * partnerOf[q] + 3), 3 * q);
    });
    const d = kernels.minImage(lattice, fa, fb);
    const on = kernels.assignSites(lattice, fb, refCatFrac, siteTolerance);
    return m.tm.map((x, q): PathTmFrame => {
      const site = on.index[q] < 0 ? -1 : refCat[on.index[q]];
      const siteType: PathSiteType = x.tetrahedral ? 'tetrahedral' : site < 0 && x.nO < 6 ? 'between-sites' : x.layerKind === 'Li' ? 'octahedral-Li-layer' : 'octahedral-TM-layer';
      return {
        frame: f, name: path.names[f], siteType, layer: x.layer, layerKind: x.layerKind, site, siteSpecies: site < 0 ? null : ref.species[site],
        inPlaneTM: x.inPlaneTM, nO: x.nO, offset: x.offset, displacement: round(Math.hypot(d[3 * q], d[3 * q + 1], d[3 * q + 2])),
      };
    });
  });

  const movers: PathMover[] = [];
  tmIdx.forEach((i, q) => {
    const fs = rows.map((r) => r[q]);
    const maxDisplacement = Math.max(...fs.map((x) => x.displacement));
    if (!(maxDisplacement > tolerance)) return;
    const first = fs[0];
    const at = (p: (x: PathTmFrame) => boolean) => fs.find(p)?.frame ?? null;
    movers.push({
      index: i, species: t.species[i], maxDisplacement,
      leavesSite: at((x) => x.site !== first.site || x.site < 0),
      crossesLayer: at((x) => x.layer !== first.layer),
      tetrahedralAt: at((x) => x.siteType === 'tetrahedral'),
      frames: fs,
    });
  });
  movers.sort((a, b) => b.maxDisplacement - a.maxDisplacement || a.index - b.index);
  return {
    kind: path.kind, source: path.source, nFrames: t.nFrames, frames, axis, reference: options.referenceName ?? `first analysed frame (${path.names[frames[0]]})`,
    tolerance, siteTolerance, movers, warnings: [...new Set(warnings)],
  };
}

function round(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}
