import { Option, type Command } from 'commander';
import { parseList } from './options.js';
import { DEFAULT_ALKALI, DEFAULT_TM, parseCutoffs, type CutoffOverrides } from '../analysis/cutoffs.js';

/**
 * The census settings, shared by every command that classifies O (census, migration, pdos --group-by class,
 * cohp --structure, report), so one spelling and one parser serve them all.
 */
export interface CensusCliOpts {
  tm?: string[];
  alkali?: string[];
  cutoff?: CutoffOverrides;
  censusCutoff?: CutoffOverrides;
}

/**
 * Adds `--tm`, `--alkali` and the cation–O cutoff. `cohp` names the cutoff `--census-cutoff`: there `--cutoff` is
 * LOBSTER's bond-length cutoff.
 */
export function withCensusOptions(cmd: Command, cutoffFlag: '--cutoff' | '--census-cutoff' = '--cutoff'): Command {
  return cmd
    .addOption(new Option('--tm <list>', `elements on TM sites (default ${DEFAULT_TM.join(',')})`).argParser(parseList))
    .addOption(new Option('--alkali <list>', `alkali elements counted as nLi (default ${DEFAULT_ALKALI.join(',')})`).argParser(parseList))
    .addOption(new Option(`${cutoffFlag} <spec>`, 'cation–O cutoff in Å: one number for all pairs, or pairs like Mn-O=2.3,Li-O=2.5 (default: ionic radii + 0.35)').argParser(parseCutoffs));
}

/** The census/migration options the flags ask for. */
export function censusSettings(opts: CensusCliOpts): { tm?: string[]; alkali?: string[]; cutoffs?: CutoffOverrides } {
  return { tm: opts.tm, alkali: opts.alkali, cutoffs: opts.censusCutoff ?? opts.cutoff };
}
