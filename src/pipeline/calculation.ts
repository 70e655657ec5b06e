import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import type { Dos } from '../model/dos.js';
import type { NebPath } from '../model/neb.js';
import type { IcohpList } from '../model/cohp.js';
import { formula } from '../model/structure.js';
import { FileSystemError, OxyError } from '../errors.js';
import { formatById } from '../io/formats.js';
import { census, classesBySite, type CensusResult } from '../analysis/census.js';
import { DEFAULT_ALKALI, DEFAULT_TM, type CutoffOverrides } from '../analysis/cutoffs.js';
import { pdosCurves, pdosWindow, type PdosCurves, type PdosOptions, type PdosResult } from '../analysis/pdos.js';
import { migration, type MigrationResult } from '../analysis/migration.js';
import { cohpCurves, icohpAnalysis, type IcohpResult } from '../analysis/cohp.js';
import { nebAnalysis, type NebAnalysis } from '../analysis/neb.js';
import { framesOfStructures, pathCensus, type PathCensusResult, type PathFrames } from '../analysis/path-census.js';
import type { NebPath as NebImages } from '../model/neb.js';
import { checkBondsAgainstStructure } from '../analysis/bond-check.js';
import type { SitesReport } from '../analysis/sites.js';
import { Inputs, type Input } from './inputs.js';
import type { Calculation } from './group.js';

/**
 * The calculation pipeline: one calculation's files in, every analysis that applies and every warning out, as one
 * JSON-able CalcReport. `report` (Node) and the viewer page (browser) both call analyseCalculation; they differ only
 * in the injected CalcEnv (how a file is opened, how an NEB folder is read, how a path is shown). The domain rules
 * live here and nowhere else: which analyses apply, the O-p PDOS by O class with the O5:O4 ratio, the census and
 * migration measured against the reference where it fits and without it (with a note) where it does not. A bad
 * file spoils only the analyses that need it: an OxyError becomes an entry in `errors`; anything else is a bug and
 * propagates.
 */

export interface ReportFile {
  /** path as the environment shows it (relative to the report root, `/`-separated) */
  file: string;
  format: string;
}

export interface CalcReport {
  /** calculation path relative to the report root (`.` = the root itself); the dedupe and sort key of shards */
  id: string;
  kind: 'neb' | 'files';
  /** id of the ensemble (numbered folders of unrelated structures) this calculation belongs to */
  ensemble?: string;
  files: ReportFile[];
  structure?: {
    file: string;
    comment: string;
    formula: string;
    nSites: number;
    /** a model structure (built, not a DFT result): its comment line says `model structure`, as oxyscope's builder writes */
    model: boolean;
  };
  census?: CensusResult;
  migration?: MigrationResult;
  /** O-p PDOS integrated in the window, grouped by census class */
  pdos?: PdosResult & { file: string };
  /** −ICOHP by element pair and by O class (the per-bond list is left to `oxyscope cohp`) */
  cohp?: Omit<IcohpResult, 'bondList'> & { file: string };
  neb?: NebAnalysis;
  /**
   * The census along the path: every NEB image, or every frame of the calculation's XDATCAR (class counts and
   * fractions per frame, every O whose class changes, with the TM that arrived or left)
   */
  path?: PathCensusResult;
  /** the calculation's own reference (a POSCAR.pristine beside its structure), used instead of the report's `--reference` */
  reference?: string;
  /** per-atom quantities by O class, O–O contacts, vacancy clusters (`oxyscope sites` without the per-site rows) */
  sites?: SitesReport;
  /** what this calculation's plots are called in the report folder (kind → file name) */
  plots: Record<string, string>;
  errors: { analysis: string; message: string }[];
  notes: string[];
  /** what the readers had to say about this calculation's files (cut files, tolerated overflow …), each naming its file */
  warnings: string[];
}

/** Census settings (`--tm`, `--alkali`, `--cutoff`, as typed values), also used by migration. */
export interface CensusSettings {
  tm?: string[];
  alkali?: string[];
  cutoffs?: CutoffOverrides;
}

export interface CalcOptions {
  /** pristine structure for census/migration, applied where the cell matches */
  reference?: { file: string; structure: Structure };
  /** PDOS window, eV relative to E_F (default −2…0) */
  window?: [number, number];
  census?: CensusSettings;
}

/** Data the plots need that is too big for the JSON (curves), kept beside the report in memory. */
export interface CalcCurves {
  pdos?: PdosCurves;
  cohp?: ReturnType<typeof cohpCurves>;
}

/** Where the pipeline's files come from: the disk (src/node/calc-env.ts) or the files dropped on the page. */
export interface CalcEnv {
  kernels: Kernels;
  /** a calculation file as an input (its format known from discovery; the lookup of files beside it included) */
  open(path: string, format: string): Promise<Input>;
  /** the NEB folder of a calculation of kind 'neb' */
  neb(path: string): Promise<NebPath>;
  /** how a path is shown in the result (relative to the report root) */
  display(path: string): string;
  /**
   * Per-atom quantities from the files beside the structure (CHARGE.lobster, OUTCAR, ACF.dat …), where the
   * environment can look for them (Node: src/node/report-sites.ts); undefined when none apply.
   */
  sites?(structure: Structure, structureFile: string, dos: Dos | undefined, dosFile: string | undefined, options: CalcOptions, notes: string[]): Promise<SitesReport | undefined>;
}

type Errors = CalcReport['errors'];

/** Runs `f`; an OxyError (bad file, mismatch, usage) becomes an entry in `errors`, anything else is a bug and propagates. */
async function guarded<T>(errors: Errors, analysis: string, f: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await f();
  } catch (caught) {
    // an unreadable file (permissions, I/O error) is an error of this analysis, not the end of the whole report
    const e = FileSystemError.from(caught);
    if (e instanceof OxyError) {
      errors.push({ analysis, message: e.message });
      return undefined;
    }
    throw e;
  }
}

/** guarded, for synchronous analyses (the viewer computes a frame's analyses synchronously). */
function guardedSync<T>(errors: Errors, analysis: string, f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof OxyError) {
      errors.push({ analysis, message: e.message });
      return undefined;
    }
    throw e;
  }
}

/** `f` with the reference; when the reference does not fit (an OxyError), `f` without it and a note saying why. */
function withReference<T>(notes: string[], what: string, ref: CalcOptions['reference'], f: (reference?: Structure) => T): T {
  if (!ref) return f();
  try {
    return f(ref.structure);
  } catch (e) {
    if (!(e instanceof OxyError)) throw e;
    notes.push(`${what} without the reference ${ref.file}: ${e.message}`);
    return f();
  }
}

/** The builder (src/build/lrlo.ts) writes `oxyscope model structure (not a DFT result)` as the POSCAR comment. */
function isModel(s: Structure): boolean {
  return /\bmodel structure\b/i.test(s.comment);
}

/** Census and migration of one structure: what applies, and why the rest does not. */
export interface StructureAnalyses {
  census?: CensusResult;
  migration?: MigrationResult;
  notes: string[];
  errors: Errors;
}

/**
 * The census of an oxide (O present) and, for an alkali + TM oxide (where there are layers to migrate between),
 * migration; both against the reference where it fits. `file` names the structure in the results; `neighbours`
 * keeps each O's neighbour list in the census (the viewer's panel shows it).
 */
export function analyseStructure(s: Structure, kernels: Kernels, file: string, options: CalcOptions = {}, neighbours = false): StructureAnalyses {
  const notes: string[] = [];
  const errors: Errors = [];
  if (!s.species.includes('O')) {
    notes.push('no O in the structure: no census, migration, PDOS by class or ICOHP by O class');
    return { notes, errors };
  }
  const ref = options.reference;
  const settings = { ...options.census, file };
  const c = guardedSync(errors, 'census', () => withReference(notes, 'census', ref, (reference) => census(s, kernels, { ...settings, neighbours, reference })));
  const tm = options.census?.tm ?? DEFAULT_TM;
  const alkali = options.census?.alkali ?? DEFAULT_ALKALI;
  let m: MigrationResult | undefined;
  if (s.species.some((x) => tm.includes(x)) && s.species.some((x) => alkali.includes(x))) {
    m = guardedSync(errors, 'migration', () => withReference(notes, 'migration', ref, (reference) => migration(s, kernels, { ...settings, reference })));
    notes.push(...(m?.warnings ?? []));
  }
  return { census: c, migration: m, notes, errors };
}

/** NEB images as path frames, with their reaction coordinate. */
export function nebFrames(neb: NebImages, analysis: Pick<NebAnalysis, 'reactionCoordinate'>, source: string): PathFrames {
  return { ...framesOfStructures(neb.images, neb.names, 'neb', source), reactionCoordinate: analysis.reactionCoordinate };
}

/**
 * The census along NEB images or trajectory frames, against the reference where it fits (as analyseStructure);
 * undefined with a note when the frames hold no O.
 */
export function pathCensusOf(frames: PathFrames, kernels: Kernels, options: CalcOptions, notes: string[]): PathCensusResult | undefined {
  if (!frames.trajectory.species.includes('O')) {
    notes.push(`no O in ${frames.kind === 'neb' ? 'the images' : 'the trajectory'}: no census along the path`);
    return undefined;
  }
  return withReference(notes, 'path census', options.reference, (reference) => pathCensus(frames, kernels, { ...options.census, reference }));
}

/**
 * The PDOS analysis of a calculation: O-p states by census class (with O5:O4 when both classes exist) where the
 * census ran, all orbitals by element otherwise; undefined with a note when the DOS cannot be grouped.
 */
export function pdosOfCalculation(
  d: Dos,
  kernels: Kernels,
  s: Structure | undefined,
  c: CensusResult | undefined,
  file: string,
  window: [number, number],
  notes: string[],
): { result: PdosResult; options: PdosOptions } | undefined {
  const species = d.species ?? s?.species;
  if (!d.pdos || d.orbitals.length === 0) {
    notes.push(`${file} has no projected DOS (VASP: LORBIT ≥ 10); PDOS skipped`);
    return undefined;
  }
  if (!species) {
    notes.push(`${file}: no structure of the same run names the atoms; PDOS skipped`);
    return undefined;
  }
  const byClass = c && s && c.nO > 0;
  const options: PdosOptions = byClass
    ? { groupBy: 'class', classes: classesBySite(c, d.nSites), species, orbitals: ['p'], window }
    : { groupBy: 'element', species, window };
  const classNames = byClass ? Object.keys(c.classes) : [];
  const ratios: [string, string][] = classNames.includes('O5') && classNames.includes('O4') ? [['O5', 'O4']] : [];
  return { result: pdosWindow(d, kernels, { ...options, ratios }), options };
}

/** −ICOHP by pair and by O class (without the per-bond list). */
export function cohpOfCalculation(list: IcohpList, kernels: Kernels, c: CensusResult | undefined, nSites: number | undefined): Omit<IcohpResult, 'bondList'> {
  const { bondList: _omitted, ...result } = icohpAnalysis(list, kernels, { census: c, nSites });
  return result;
}

export async function analyseCalculation(calc: Calculation, env: CalcEnv, options: CalcOptions = {}): Promise<{ report: CalcReport; curves: CalcCurves }> {
  const { kernels } = env;
  const errors: Errors = [];
  const notes: string[] = [];
  const report: CalcReport = {
    id: calc.id,
    kind: calc.kind,
    ...(calc.ensemble ? { ensemble: calc.ensemble.id } : {}),
    files: calc.files.map((f) => ({ file: env.display(f.path), format: f.format })),
    plots: {},
    errors,
    notes,
    warnings: [],
  };
  const curves: CalcCurves = {};
  const inputs = new Inputs(kernels, { warnings: report.warnings });

  if (calc.kind === 'neb') {
    const images = await guarded(errors, 'neb', async () => inputs.neb(await env.neb(calc.path)));
    report.neb = images && guardedSync(errors, 'neb', () => nebAnalysis(images, kernels));
    if (report.neb) report.neb.folder = calc.id;
    if (images && report.neb) {
      const n = report.neb;
      report.path = guardedSync(errors, 'path census', () => pathCensusOf(nebFrames(images, n, calc.id), kernels, options, notes));
    }
    return { report, curves };
  }

  if (calc.reference) {
    const { path, format } = calc.reference;
    const own = await guarded(errors, 'reference', async () => inputs.structure(await env.open(path, format)));
    if (own) {
      options = { ...options, reference: { file: env.display(path), structure: own } };
      report.reference = env.display(path);
    }
  }

  let structure: Structure | undefined;
  let structureFile: string | undefined;
  if (calc.structure) {
    const { path, format } = calc.structure;
    structure = await guarded(errors, 'structure', async () => inputs.structure(await env.open(path, format)));
    structureFile = path;
  } else {
    // no POSCAR/CONTCAR: a vasprun.xml of the run names the atoms (its final structure)
    const run = calc.files.find((f) => formatById(f.format).as?.structure);
    if (run && calc.dos?.path !== run.path) {
      structure = await guarded(errors, 'structure', async () => inputs.structure(await env.open(run.path, run.format)));
      if (structure) structureFile = run.path;
    }
  }
  let dos: Dos | undefined;
  if (calc.dos) {
    const { path, format } = calc.dos;
    const loaded = await guarded(errors, 'pdos', async () => inputs.dos(await env.open(path, format), { structure, structureFile }));
    dos = loaded?.dos;
    // a vasprun.xml carries its own final structure: used when the folder has no POSCAR/CONTCAR
    if (!structure && !calc.structure && loaded?.structure) {
      structure = loaded.structure;
      structureFile = path;
    }
  }
  if (structure && structureFile) {
    report.structure = {
      file: env.display(structureFile),
      comment: structure.comment,
      formula: formula(structure.species),
      nSites: structure.species.length,
      model: isModel(structure),
    };
    const a = analyseStructure(structure, kernels, env.display(structureFile), options);
    report.census = a.census;
    report.migration = a.migration;
    errors.push(...a.errors);
    notes.push(...a.notes);
  }

  const traj = calc.files.find((f) => formatById(f.format).as?.trajectory);
  if (traj) {
    const t = await guarded(errors, 'path census', async () => inputs.trajectory(await env.open(traj.path, traj.format)));
    if (t) {
      const frames: PathFrames = { kind: 'trajectory', source: env.display(traj.path), trajectory: t, names: Array.from(t.steps, (x) => `step ${x}`) };
      report.path = guardedSync(errors, 'path census', () => pathCensusOf(frames, kernels, options, notes));
    }
  }

  if (dos && calc.dos) {
    const d = dos;
    const file = env.display(calc.dos.path);
    await guarded(errors, 'pdos', () => {
      const p = pdosOfCalculation(d, kernels, structure, report.census, file, options.window ?? [-2, 0], notes);
      if (!p) return;
      report.pdos = { file, ...p.result };
      curves.pdos = pdosCurves(d, p.options);
    });
  }

  if (calc.icohplist) {
    const { path, format } = calc.icohplist;
    await guarded(errors, 'cohp', async () => {
      const data = await inputs.bonds(await env.open(path, format));
      if (data.kind !== 'list') return;
      if (structure && structureFile) checkBondsAgainstStructure(data.list.bonds, structure, { bonds: env.display(path), structure: env.display(structureFile) });
      report.cohp = { file: env.display(path), ...cohpOfCalculation(data.list, kernels, report.census, structure?.species.length) };
    });
  }
  if (structure && structureFile && env.sites) {
    const [s, file] = [structure, structureFile];
    report.sites = await guarded(errors, 'sites', () => env.sites!(s, file, dos, calc.dos?.path, options, notes));
  }
  if (calc.cohpcar) {
    const { path, format } = calc.cohpcar;
    curves.cohp = await guarded(errors, 'cohpcar', async () => {
      const data = await inputs.bonds(await env.open(path, format));
      // labels past the structure beside it (another run's COHPCAR) are an error of this analysis, not a plot
      if (structure && structureFile && data.kind === 'curves') checkBondsAgainstStructure(data.cohp.bonds, structure, { bonds: env.display(path), structure: env.display(structureFile) });
      return data.kind === 'curves' ? cohpCurves(data.cohp) : undefined;
    });
  }
  return { report, curves };
}
