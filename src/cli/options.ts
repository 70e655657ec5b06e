import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Engine } from '../kernels/types.js';

/** `--engine wasm|js`, taken by every command. */
export function engineOption(): Option {
  return new Option('--engine <engine>', 'kernel engine').choices(['wasm', 'js']).default('wasm');
}

export function withEngine(cmd: Command): Command {
  return cmd.addOption(engineOption());
}

export type EngineOpts = { engine: Engine };

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
