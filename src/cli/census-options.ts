import { Option, type Command } from 'commander';
import { parseList } from './options.js';
import { DEFAULT_ALKALI, DEFAULT_TM, type CutoffOverrides } from '../analysis/cutoffs.js';
import { parseCutoffs } from './parse.js';

/**
 * The census settings, shared by every command that classifies O (census, migration, pdos --group-by class,
 * cohp --structure, report), so one spelling and one parser serve them all.
 */
export interface CensusCliOpts {
  tm?: string[];
  alkali?: string[];
  cutoff?: CutoffOverrides;
}

/**
 * Adds `--tm`, `--alkali` and the cation–O `--cutoff` (the same flags on every command that runs the census).
 */
export function withCensusOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--tm <list>', `elements on TM sites (default ${DEFAULT_TM.join(',')})`).argParser(parseList))
    .addOption(new Option('--alkali <list>', `alkali elements counted as nLi (default ${DEFAULT_ALKALI.join(',')})`).argParser(parseList))
    .addOption(new Option('--cutoff <spec>', 'cation–O cutoff in Å: one number for all pairs, or pairs like Mn-O=2.3,Li-O=2.5 (default: ionic radii + 0.35)').argParser(parseCutoffs));
}

/** The census/migration options the flags ask for. */
export function censusSettings(opts: CensusCliOpts): { tm?: string[]; alkali?: string[]; cutoffs?: CutoffOverrides } {
  return { tm: opts.tm, alkali: opts.alkali, cutoffs: opts.cutoff };
}
