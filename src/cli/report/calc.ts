import { relative, sep } from 'node:path';
import type { Kernels } from '../../kernels/types.js';
import type { Structure } from '../../model/structure.js';
import type { Dos } from '../../model/dos.js';
import { formula } from '../../model/structure.js';
import type { Calculation } from '../../node/discover.js';
import { Loader } from '../../node/load.js';
import { OxyError } from '../../errors.js';
import { formatById } from '../../io/formats.js';
import { census, classesBySite, type CensusResult } from '../../analysis/census.js';
import { DEFAULT_ALKALI, DEFAULT_TM, type CutoffOverrides } from '../../analysis/cutoffs.js';
import { pdosCurves, pdosWindow, type PdosCurves, type PdosResult } from '../../analysis/pdos.js';
import { migration, type MigrationResult } from '../../analysis/migration.js';
import { cohpCurves, icohpAnalysis, type IcohpResult } from '../../analysis/cohp.js';
import { nebAnalysis, type NebAnalysis } from '../../analysis/neb.js';

/**
 * One calculation of a report: which files were used, every analysis that applies, and what went wrong. A bad file
 * spoils only the analyses that need it; the error is kept (message as the CLI would print it) and the report goes on.
 */

export interface ReportFile {
  /** path relative to the report root, `/`-separated */
  file: string;
  format: string;
}

export interface CalcReport {
  /** calculation path relative to the report root (`.` = the root itself); the dedupe and sort key of shards */
  id: string;
  kind: 'neb' | 'files';
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
  /** what this calculation's plots are called in the report folder (kind → file name) */
  plots: Record<string, string>;
  errors: { analysis: string; message: string }[];
  notes: string[];
  /** what the readers had to say about this calculation's files (cut files, tolerated overflow …), each naming its file */
  warnings: string[];
}

export interface CalcOptions {
  root: string;
  /** pristine structure for census/migration, applied where the cell matches */
  reference?: { file: string; structure: Structure };
  window?: [number, number];
  /** census settings (`--tm`, `--alkali`, `--cutoff`), also used by migration */
  census?: { tm?: string[]; alkali?: string[]; cutoffs?: CutoffOverrides };
}

/** Data the plots need that is too big for the JSON (curves), kept beside the report in memory. */
export interface CalcCurves {
  pdos?: PdosCurves;
  cohp?: ReturnType<typeof cohpCurves>;
}

const rel = (root: string, p: string): string => relative(root, p).split(sep).join('/') || '.';

/** Runs `f`; an OxyError (bad file, mismatch, usage) becomes an entry in `errors`, anything else is a bug and propagates. */
async function guarded<T>(errors: CalcReport['errors'], analysis: string, f: () => Promise<T> | T): Promise<T | undefined> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof OxyError) {
      errors.push({ analysis, message: e.message });
      return undefined;
    }
    throw e;
  }
}

/** The builder (src/analysis/build/lrlo.ts) writes `oxyscope model structure (not a DFT result)` as the POSCAR comment. */
function isModel(s: Structure): boolean {
  return /\bmodel structure\b/i.test(s.comment);
}


export async function analyseCalculation(calc: Calculation, kernels: Kernels, options: CalcOptions): Promise<{ report: CalcReport; curves: CalcCurves }> {
  const { root } = options;
  const errors: CalcReport['errors'] = [];
  const notes: string[] = [];
  const report: CalcReport = {
    id: calc.id,
    kind: calc.kind,
    files: calc.files.map((f) => ({ file: rel(root, f.path), format: f.format })),
    plots: {},
    errors,
    notes,
    warnings: [],
  };
  const loader = new Loader(kernels, { warnings: report.warnings });
  const loadStructure = (path: string) => loader.structureAt(path);
  const curves: CalcCurves = {};

  if (calc.kind === 'neb') {
    report.neb = await guarded(errors, 'neb', async () => nebAnalysis(await loader.nebAt(calc.path), kernels));
    if (report.neb) report.neb.folder = calc.id;
    return { report, curves };
  }

  let structure: Structure | undefined;
  let structureFile: string | undefined;
  if (calc.structure) {
    structureFile = calc.structure.path;
    const file = structureFile;
    structure = await guarded(errors, 'structure', () => loadStructure(file));
  } else {
    // no POSCAR/CONTCAR: a vasprun.xml of the run names the atoms (its final structure)
    const run = calc.files.find((f) => formatById(f.format).as?.structure);
    if (run && calc.dos?.path !== run.path) {
      structure = await guarded(errors, 'structure', () => loadStructure(run.path));
      if (structure) structureFile = run.path;
    }
  }
  let dos: Dos | undefined;
  if (calc.dos) {
    const { path } = calc.dos;
    const loaded = await guarded(errors, 'pdos', () => loader.dosAt(path, { structure, structureFile }));
    dos = loaded?.dos;
    // a vasprun.xml carries its own final structure: used when the folder has no POSCAR/CONTCAR
    if (!structure && !calc.structure && loaded?.structure) {
      structure = loaded.structure;
      structureFile = path;
    }
  }
  if (structure && structureFile) {
    report.structure = {
      file: rel(root, structureFile),
      comment: structure.comment,
      formula: formula(structure.species),
      nSites: structure.species.length,
      model: isModel(structure),
    };
  }

  if (structure && structureFile && structure.species.includes('O')) {
    const s = structure;
    const file = rel(root, structureFile);
    const ref = options.reference;
    const settings = { ...options.census, file };
    report.census = await guarded(errors, 'census', () => {
      if (!ref) return census(s, kernels, { ...settings, neighbours: false });
      try {
        return census(s, kernels, { ...settings, neighbours: false, reference: ref.structure });
      } catch (e) {
        if (!(e instanceof OxyError)) throw e;
        notes.push(`census without the reference ${ref.file}: ${e.message}`);
        return census(s, kernels, { ...settings, neighbours: false });
      }
    });
    // layers of TM and Li: only a Li/Na + TM oxide has them (elsewhere there is nothing to migrate)
    const tm = options.census?.tm ?? DEFAULT_TM;
    const alkali = options.census?.alkali ?? DEFAULT_ALKALI;
    if (s.species.some((x) => tm.includes(x)) && s.species.some((x) => alkali.includes(x))) {
      report.migration = await guarded(errors, 'migration', () => {
        if (!ref) return migration(s, kernels, settings);
        try {
          return migration(s, kernels, { ...settings, reference: ref.structure });
        } catch (e) {
          if (!(e instanceof OxyError)) throw e;
          notes.push(`migration without the reference ${ref.file}: ${e.message}`);
          return migration(s, kernels, settings);
        }
      });
    }
  } else if (structure) {
    notes.push('no O in the structure: no census, migration, PDOS by class or ICOHP by O class');
  }

  if (dos && calc.dos) {
    const d = dos;
    const path = calc.dos.path;
    const c = report.census;
    const s = structure;
    await guarded(errors, 'pdos', () => {
      const species = d.species ?? s?.species;
      if (!d.pdos || d.orbitals.length === 0) {
        notes.push(`${rel(root, path)} has no projected DOS (VASP: LORBIT ≥ 10); PDOS skipped`);
        return;
      }
      if (!species) {
        notes.push(`${rel(root, path)}: no structure of the same run names the atoms; PDOS skipped`);
        return;
      }
      const byClass = c && s && c.nO > 0;
      const window = options.window ?? ([-2, 0] as [number, number]);
      const pdosOptions = byClass
        ? { groupBy: 'class' as const, classes: classesBySite(c, d.nSites), species, orbitals: ['p'], window }
        : { groupBy: 'element' as const, species, window };
      const classNames = byClass ? Object.keys(c.classes) : [];
      const ratios = classNames.includes('O5') && classNames.includes('O4') ? ['O5:O4'] : [];
      report.pdos = { file: rel(root, path), ...pdosWindow(d, kernels, { ...pdosOptions, ratios }) };
      curves.pdos = pdosCurves(d, pdosOptions);
    });
  }

  if (calc.icohplist) {
    const path = calc.icohplist.path;
    const s = structure;
    const c = report.census;
    await guarded(errors, 'cohp', async () => {
      const data = await loader.bondsAt(path);
      if (data.kind !== 'list') return;
      const { bondList: _omitted, ...result } = icohpAnalysis(data.list, kernels, { census: c, nSites: s?.species.length });
      report.cohp = { file: rel(root, path), ...result };
    });
  }
  if (calc.cohpcar) {
    const path = calc.cohpcar.path;
    curves.cohp = await guarded(errors, 'cohpcar', async () => {
      const data = await loader.bondsAt(path);
      return data.kind === 'curves' ? cohpCurves(data.cohp) : undefined;
    });
  }
  return { report, curves };
}
