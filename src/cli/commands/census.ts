import { Command } from 'commander';
import { withEngine, parseList, type EngineOpts } from '../options.js';
import { loadKernels } from '../../node/kernels.js';
import { loadStructure } from '../../node/load.js';
import { census, ensemble, type CensusResult, type CensusEnsemble } from '../../analysis/census.js';
import { parseCutoffs } from '../../analysis/cutoffs.js';
import { renderCsv, renderTable, pct } from '../render.js';
import { UsageError } from '../../errors.js';

interface CensusOpts extends EngineOpts {
  reference?: string;
  tm?: string[];
  alkali?: string[];
  cutoff?: string;
  perSite?: boolean;
  json?: boolean;
  csv?: boolean;
}

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
      out.push(renderTable(['O', 'class', 'nTM', 'nLi', 'other', 'vacancies', 'cations (index:element)'], r.sites.map((x) => [
        x.index, x.class, x.nTM, x.nLi, x.nOther, x.vacancies, (x.neighbours ?? []).map((nb) => (nb.index < 0 ? 'vac' : `${nb.index}:${nb.species}`)).join(' '),
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
    return renderCsv(['file', 'index', 'class', 'nTM', 'nLi', 'nOther', 'vacancies'], results.flatMap((r) => r.sites.map((x) => [r.file, x.index, x.class, x.nTM, x.nLi, x.nOther, x.vacancies])));
  }
  return renderCsv(['file', 'nO', 'class', 'count', 'fraction'], results.flatMap((r) => Object.entries(r.classes).map(([c, n]) => [r.file, r.nO, c, n, r.fractions[c]])));
}

export function censusCommand(): Command {
  return withEngine(
    new Command('census')
      .description('O4/O5 census: classify every O by its TM and alkali neighbours (class O(6 − nTM)); over several files, the ensemble mean ± std')
      .argument('<structure...>', 'POSCAR/CONTCAR files (.gz works; - reads stdin)')
      .option('--reference <poscar>', 'pristine structure: cation sites (and vacancies) come from it')
      .option('--tm <list>', 'elements on TM sites (default Mn,Ni,Co,Fe,Cr,Ti,V,Cu,Zn,Al,Mg,Nb,Zr,Mo,W,Ru,Sn,Ta)', parseList)
      .option('--alkali <list>', 'alkali elements counted as nLi (default Li,Na)', parseList)
      .option('--cutoff <spec>', 'cation–O cutoff in Å: one number for all pairs, or pairs like Mn-O=2.3,Li-O=2.5')
      .option('--per-site', 'one row per O with its cations (table, CSV); neighbour lists in the JSON sites')
      .option('--json', 'print JSON only')
      .option('--csv', 'print CSV')
      .addHelpText('after', '\nExamples:\n  oxyscope census CONTCAR\n  oxyscope census sqs*/CONTCAR --reference POSCAR.pristine --json\n  oxyscope census CONTCAR --tm Mn,Ni,Co --cutoff Mn-O=2.3 --per-site'),
  ).action(async (files: string[], opts: CensusOpts) => {
    if (opts.json && opts.csv) throw new UsageError('choose one of --json and --csv');
    const cutoffs = opts.cutoff ? parseCutoffs(opts.cutoff) : undefined;
    const kernels = await loadKernels(opts.engine);
    const reference = opts.reference ? await loadStructure(opts.reference, kernels) : undefined;
    const results: CensusResult[] = [];
    for (const file of files) {
      const s = await loadStructure(file, kernels);
      results.push(census(s, kernels, { tm: opts.tm, alkali: opts.alkali, cutoffs, reference, file, neighbours: !!opts.perSite }));
    }
    const ens = ensemble(results);
    if (opts.json) process.stdout.write(`${JSON.stringify({ structures: results, ensemble: ens }, null, 2)}\n`);
    else if (opts.csv) process.stdout.write(renderCsvOut(results, !!opts.perSite));
    else process.stdout.write(renderText(results, ens, !!opts.perSite));
  });
}
