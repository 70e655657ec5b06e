import { Command } from 'commander';
import { withEngine, withFormat, withSpecies, type EngineOpts, type FormatOpts, type HintOpts } from '../options.js';
import { withCensusOptions, censusSettings, type CensusCliOpts } from '../census-options.js';
import { withOutput, withPlot, emit, type OutputOpts } from '../output.js';
import { loadKernels } from '../../node/kernels.js';
import { Loader, type FrameChoice, type FrameOf } from '../../node/load.js';
import { structureFileIn } from '../../node/calc-folder.js';
import { loadPathFrames } from '../../node/path-frames.js';
import { writeAtomic } from '../../node/write.js';
import { census, ensemble, type CensusResult, type CensusEnsemble } from '../../analysis/census.js';
import { pathCensus, selectFrames } from '../../analysis/path-census.js';
import { UsageError } from '../../errors.js';
import { renderCsv, renderTable, pct } from '../render.js';
import { pathCensusSvg, renderPathCsv, renderPathText } from '../path-census-render.js';
import { frameNote, parseEvery, parseFrameChoice, parseFrameRange } from '../frame-options.js';

type CensusOpts = EngineOpts & HintOpts & FormatOpts & CensusCliOpts & OutputOpts & {
  reference?: string;
  perSite?: boolean;
  frame?: FrameChoice;
  path?: boolean;
  every?: number;
  frames?: { first?: number; last?: number };
  plot?: string;
  force?: boolean;
};

type FramedResult = CensusResult & { frame?: FrameOf };

function renderText(results: FramedResult[], ens: CensusEnsemble, perSite: boolean): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`${r.file}: ${r.nO} O${r.frame ? `, ${frameNote(r.frame)}; --frame picks another` : ''}`);
    out.push(renderTable(['class', 'O', 'fraction'], Object.entries(r.classes).map(([c, n]) => [c, n, pct(r.fractions[c])])));
    out.push('');
    out.push(renderTable(['nTM', 'nLi', 'O'], r.histogram.map((h) => [h.nTM, h.nLi, h.count])));
    if (r.reference && (r.reference.unassignedO.length || r.reference.unassignedCations.length)) {
      out.push(`  off the reference sites (> ${r.reference.siteTolerance} Å): ${r.reference.unassignedO.length} O, ${r.reference.unassignedCations.length} cations`);
    }
    if (perSite) {
      out.push('');
      out.push(renderTable(['O atom (1-based)', 'class', 'nTM', 'nLi', 'other', 'vacancies', 'cations (atom:element, 1-based)'], r.sites.map((x) => [
        x.index + 1, x.class, x.nTM, x.nLi, x.nOther, x.vacancies, (x.neighbours ?? []).map((nb) => (nb.index < 0 ? 'vac' : `${nb.index + 1}:${nb.species}`)).join(' '),
      ])));
    }
    out.push('');
  }
  if (results.length > 1) {
    out.push(`ensemble of ${ens.n} structures (mean ± sample std of the fraction):`);
    out.push(renderTable(['class', 'mean', 'std'], Object.keys(ens.mean).map((c) => [c, pct(ens.mean[c]), pct(ens.std[c])])));
    out.push('');
  }
  out.push('cation–O cutoffs used (Å):');
  out.push(renderTable(['pair', 'cutoff', 'from'], unique(results.flatMap((r) => r.cutoffs)).map((c) => [c.pair, c.cutoff, c.source])));
  out.push(`TM sites: ${results[0]?.tm.join(', ') ?? ''}; alkali: ${results[0]?.alkali.join(', ') ?? ''}`);
  return out.join('\n') + '\n';
}

function unique<T extends { pair: string }>(xs: T[]): T[] {
  const m = new Map<string, T>();
  for (const x of xs) if (!m.has(x.pair)) m.set(x.pair, x);
  return [...m.values()];
}

function renderCsvOut(results: FramedResult[], perSite: boolean): string {
  if (perSite) {
    return renderCsv(['file', 'atom_1based', 'class', 'nTM', 'nLi', 'nOther', 'vacancies'], results.flatMap((r) => r.sites.map((x) => [r.file, x.index + 1, x.class, x.nTM, x.nLi, x.nOther, x.vacancies])));
  }
  return renderCsv(['file', 'nO', 'class', 'count', 'fraction'], results.flatMap((r) => Object.entries(r.classes).map(([c, n]) => [r.file, r.nO, c, n, r.fractions[c]])));
}

export function censusCommand(): Command {
  const cmd = new Command('census')
    .summary('O4/O5 census of the O environments')
    .description('O4/O5 census: classify every O by its TM and alkali neighbours (class O(6 − nTM)); over several files, the ensemble mean ± std')
    .argument('<structure...>', 'POSCAR/CONTCAR files, or calculation folders (their CONTCAR, else POSCAR), or an XDATCAR (its last frame; --frame); with --path: an XDATCAR, an NEB folder or several structures in order; .gz works; - reads stdin')
    .option('--reference <poscar>', 'pristine structure: cation sites (and vacancies) come from it')
    .option('--per-site', 'one row per O with its cations (table, CSV); neighbour lists in the JSON sites')
    .option('--frame <n|last>', 'the frame of an XDATCAR to classify, from 1, or last (default last)', parseFrameChoice)
    .option('--path', 'census of every frame (XDATCAR), image (NEB folder) or structure given, with every O whose class changes')
    .option('--every <k>', 'with --path: every k-th frame (the last of the range always)', parseEvery)
    .option('--frames <a:b>', 'with --path: frames a … b only (from 1, inclusive; :b and a: work)', parseFrameRange);
  withPlot(cmd, 'with --path: write the class fractions along the path as SVG');
  withCensusOptions(cmd);
  withSpecies(cmd);
  withFormat(cmd, 'the structure files (not --reference)');
  withOutput(cmd, 'print CSV');
  return withEngine(cmd)
    .addHelpText('after', '\nAtom and frame numbers in tables are 1-based; JSON indices are 0-based.\n\nExamples:\n  oxyscope census CONTCAR\n  oxyscope census sqs*/CONTCAR --reference POSCAR.pristine --json\n  oxyscope census CONTCAR --tm Mn,Ni,Co --cutoff Mn-O=2.3 --per-site\n  oxyscope census XDATCAR --frame 1\n  oxyscope census XDATCAR --path --every 10 --plot fractions.svg\n  oxyscope census neb/ --path --json')
    .action(async (files: string[], opts: CensusOpts) => {
      if (!opts.path && (opts.every !== undefined || opts.frames || opts.plot)) throw new UsageError('--every, --frames and --plot go with --path');
      if (opts.path && (opts.perSite || opts.frame !== undefined)) throw new UsageError('--path analyses every frame: --per-site and --frame are for one structure');
      const kernels = await loadKernels(opts.engine);
      const loader = new Loader(kernels, opts);
      const reference = opts.reference ? await new Loader(kernels, { warnings: loader.warnings }).structureAt(opts.reference) : undefined;
      if (opts.path) {
        const frames = await loadPathFrames(files, loader, opts.format);
        const selected = selectFrames(frames.trajectory.nFrames, { every: opts.every, ...opts.frames });
        const r = pathCensus(frames, kernels, { ...censusSettings(opts), reference, frames: selected });
        if (opts.plot) await writeAtomic(opts.plot, await pathCensusSvg(r), opts.force);
        emit(opts, { json: () => r, csv: () => renderPathCsv(r), text: () => renderPathText(r) }, [...loader.warnings, ...r.warnings]);
        return;
      }
      const results: FramedResult[] = [];
      for (const arg of files) {
        const file = await structureFileIn(arg);
        const { structure: s, frame } = await loader.structureOrFrameAt(file, opts.format, opts.frame);
        results.push({ ...census(s, kernels, { ...censusSettings(opts), reference, file, neighbours: !!opts.perSite }), ...(frame ? { frame } : {}) });
      }
      const ens = ensemble(results);
      emit(opts, {
        json: () => ({ structures: results, ensemble: ens }),
        csv: () => renderCsvOut(results, !!opts.perSite),
        text: () => renderText(results, ens, !!opts.perSite),
      }, loader.warnings);
    });
}
