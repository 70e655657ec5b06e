import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Engine } from '../kernels/types.js';
import type { DoscarLayout } from '../io/vasp/doscar.js';
import { FORMATS } from '../io/formats.js';

/** `--engine wasm|js`, taken by every command. */
export function engineOption(): Option {
  return new Option('--engine <engine>', 'kernel engine').choices(['wasm', 'js']).default('wasm');
}

export function withEngine(cmd: Command): Command {
  return cmd.addOption(engineOption());
}

export type EngineOpts = { engine: Engine };

/** `--format <id>`: what a file is when detection cannot tell (or is to be overruled); ids as in `oxyscope formats`. */
export function withFormat(cmd: Command, what = 'the input files'): Command {
  return cmd.addOption(new Option('--format <id>', `format of ${what} (default: detected from name and content; see \`oxyscope formats\`)`).choices(FORMATS.map((f) => f.id)));
}

export type FormatOpts = { format?: string };

/** `--species` (VASP 4 POSCARs) and `--layout` (ambiguous DOSCARs): what a file cannot say about itself. */
export type HintOpts = { species?: string[]; layout?: DoscarLayout | 'l' | 'lm' };

export function withSpecies(cmd: Command): Command {
  return cmd.option('--species <list>', 'species of a VASP 4 POSCAR (no species line), one per group in file order, e.g. Li,Mn,O', parseList);
}

export function withLayout(cmd: Command): Command {
  return cmd.addOption(
    new Option('--layout <layout>', 'projected layout of a DOSCAR whose column count is ambiguous (17 columns: lm-nonspin, LORBIT 11 with f, or l-noncollinear, LORBIT 10 with f)')
      .choices(['l', 'lm', 'l-nonspin', 'l-spin', 'l-noncollinear', 'lm-nonspin', 'lm-spin', 'lm-noncollinear']),
  );
}

/** `a,b` → [a, b] with a < b (energy windows in eV). */
export function parseRange(value: string): [number, number] {
  const parts = value.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 2 || parts.some((x) => !Number.isFinite(x)) || !(parts[0] < parts[1])) {
    throw new InvalidArgumentError(`expected two numbers a,b with a < b, e.g. -2,0 (got "${value}")`);
  }
  return [parts[0], parts[1]];
}

export function parsePositive(value: string): number {
  const v = Number(value);
  if (!Number.isFinite(v) || v <= 0) throw new InvalidArgumentError(`expected a positive number (got "${value}")`);
  return v;
}

export function parseList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}
