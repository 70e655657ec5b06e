import type { Command } from 'commander';
import { OxyError, UsageError } from '../errors.js';

/**
 * What every command prints, the same way: `--json` = JSON only on stdout (with a `warnings` array), `--csv` where
 * a table has rows, else the text summary; every warning on stderr as `warning: …`; with the global `--strict`,
 * any warning makes the command exit 1 after its output is printed.
 */
export interface OutputOpts {
  json?: boolean;
  csv?: boolean;
  /** the global `--strict` (copied onto every command's options by the program) */
  strict?: boolean;
}

/** `--strict` and warnings were printed: exit 1. */
export class StrictWarningsError extends OxyError {
  constructor(n: number) {
    super('strict', `${n} warning${n === 1 ? '' : 's'} (see above) and --strict`, 1);
  }
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

/** `warnings` of a JSON object first, then the others, each once. */
function withWarnings(value: unknown, warnings: string[]): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const own = (value as { warnings?: unknown }).warnings;
  return { ...value, warnings: [...new Set([...warnings, ...(Array.isArray(own) ? (own as string[]) : [])])] };
}

/**
 * Prints a command's result; `warnings` (the readers' and the analyses') go to stderr, into the JSON's `warnings`
 * array, and decide the exit status under `--strict`.
 */
export function emit(opts: OutputOpts, out: { json: () => unknown; csv?: () => string; text: () => string }, warnings: readonly string[] = []): void {
  const all = [...new Set(warnings)];
  const json = opts.json ? withWarnings(out.json(), all) : undefined;
  warn(all);
  if (opts.json) {
    // two writes: a template would first copy the whole JSON (megabytes for a large cell) into a new string
    process.stdout.write(JSON.stringify(json, null, 2));
    process.stdout.write('\n');
  }
  else if (opts.csv && out.csv) process.stdout.write(out.csv());
  else process.stdout.write(out.text().replace(/\n?$/, '\n'));
  strict(opts, all);
}

export function warn(warnings: readonly string[]): void {
  for (const w of new Set(warnings)) process.stderr.write(`warning: ${w}\n`);
}

/** Under `--strict`, warnings fail the command (after they and the output were printed). */
export function strict(opts: OutputOpts, warnings: readonly string[]): void {
  if (opts.strict && warnings.length > 0) throw new StrictWarningsError(new Set(warnings).size);
}

/** For commands that write files instead of printing: the warnings on stderr, and `--strict`. */
export function finish(opts: OutputOpts, warnings: readonly string[]): void {
  warn(warnings);
  strict(opts, warnings);
}

/** Commander's own usage errors (unknown option, bad option value) look like ours: `oxyscope: …` on one line. */
export const errorOutput = {
  outputError: (str: string, write: (s: string) => void): void => write(str.replace(/^error: /, 'oxyscope: ')),
};
