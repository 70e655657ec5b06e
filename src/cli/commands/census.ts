import { Command } from 'commander';
import { withEngine, withFormat, withSpecies, type EngineOpts, type FormatOpts, type HintOpts } from '../options.js';
import { withCensusOptions, censusSettings, type CensusCliOpts } from '../census-options.js';
import { withOutput, emit, type OutputOpts } from '../output.js';
import { loadKernels } from '../../node/kernels.js';
import { Loader } from '../../node/load.js';
import { structureFileIn } from '../../node/calc-folder.js';
import { census, ensemble, type CensusResult, type CensusEnsemble } from '../../analysis/census.js';
import { renderCsv, renderTable, pct } from '../render.js';

type CensusOpts = EngineOpts & HintOpts & FormatOpts & CensusCliOpts & OutputOpts & {
  reference?: string;
  perSite?: boolean;
};

function renderText(results: CensusResult[], ens: CensusEnsemble, perSite: boolean): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`${r.file}: ${r.nO} O`);
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

function renderCsvOut(results: CensusResult[], perSite: boolean): string {
  if (perSite) {
    return renderCsv(['file', 'atom_1based', 'class', 'nTM', 'nLi', 'nOther', 'vacancies'], results.flatMap((r) => r.sites.map((x) => [r.file, x.index + 1, x.class, x.nTM, x.nLi, x.nOther, x.vacancies])));
  }
  return renderCsv(['file', 'nO', 'class', 'count', 'fraction'], results.flatMap((r) => Object.entries(r.classes).map(([c, n]) => [r.file, r.nO, c, n, r.fractions[c]])));
}

export function censusCommand(): Command {
  const cmd = new Command('census')
    .summary('O4/O5 census of the O environments')
    .description('O4/O5 census: classify every O by its TM and alkali neighbours (class O(6 − nTM)); over several files, the ensemble mean ± std')
    .argument('<structure...>', 'POSCAR/CONTCAR files, or calculation folders (their CONTCAR, else POSCAR); .gz works; - reads stdin')
    .option('--reference <poscar>', 'pristine structure: cation sites (and vacancies) come from it')
    .option('--per-site', 'one row per O with its cations (table, CSV); neighbour lists in the JSON sites');
  withCensusOptions(cmd);
  withSpecies(cmd);
  withFormat(cmd, 'the structure files (not --reference)');
  withOutput(cmd, 'print CSV');
  return withEngine(cmd)
    .addHelpText('after', '\nExamples:\n  oxyscope census CONTCAR\n  oxyscope census sqs*/CONTCAR --reference POSCAR.pristine --json\n  oxyscope census CONTCAR --tm Mn,Ni,Co --cutoff Mn-O=2.3 --per-site')
    .action(async (files: string[], opts: CensusOpts) => {
      const kernels = await loadKernels(opts.engine);
      const loader = new Loader(kernels, opts);
      const reference = opts.reference ? await new Loader(kernels, { warnings: loader.warnings }).structureAt(opts.reference) : undefined;
      const results: CensusResult[] = [];
      for (const arg of files) {
        const file = await structureFileIn(arg);
        const s = await loader.structureAt(file, opts.format);
        results.push(census(s, kernels, { ...censusSettings(opts), reference, file, neighbours: !!opts.perSite }));
      }
      const ens = ensemble(results);
      emit(opts, {
        json: () => ({ structures: results, ensemble: ens }),
        csv: () => renderCsvOut(results, !!opts.perSite),
        text: () => renderText(results, ens, !!opts.perSite),
      }, loader.warnings);
    });
}
