import type { Command } from 'commander';
import { UsageError } from '../errors.js';

/**
 * What every command prints, the same way: `--json` = JSON only on stdout, `--csv` where a table has rows,
 * else the text summary; warnings on stderr.
 */
export interface OutputOpts {
  json?: boolean;
  csv?: boolean;
}

/** `--json` (and `--csv`); asking for both is bad usage, refused before any file is read. */
export function withOutput(cmd: Command, csv?: string, json = 'print JSON only'): Command {
  cmd.option('--json', json);
  if (csv) cmd.option('--csv', csv);
  return cmd.hook('preAction', (_, action) => {
    const o = action.opts<OutputOpts>();
    if (o.json && o.csv) throw new UsageError('choose one of --json and --csv');
  });
}

/** `--plot <file.svg>` and `--force` (an existing plot is kept unless forced). */
export function withPlot(cmd: Command, what: string): Command {
  return cmd.option('--plot <file.svg>', what).option('--force', 'replace an existing --plot file');
}

export function emit(opts: OutputOpts, out: { json: () => unknown; csv?: () => string; text: () => string }): void {
  if (opts.json) process.stdout.write(`${JSON.stringify(out.json(), null, 2)}\n`);
  else if (opts.csv && out.csv) process.stdout.write(out.csv());
  else process.stdout.write(out.text().replace(/\n?$/, '\n'));
}

export function warn(warnings: readonly string[]): void {
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
}

/** Commander's own usage errors (unknown option, bad option value) look like ours: `oxyscope: …` on one line. */
export const errorOutput = {
  outputError: (str: string, write: (s: string) => void): void => write(str.replace(/^error: /, 'oxyscope: ')),
};
