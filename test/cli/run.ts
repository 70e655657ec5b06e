import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Runs the built CLI (`npm test` builds first; run `npm run build:ts` before running a CLI test file alone). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/oxyscope.js');

export function builtCli(): boolean {
  return existsSync(join(ROOT, 'dist/cli/main.js'));
}

export function run(args: string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Runs the CLI in-process (commander program, stdout/stderr captured); rejects with the command's error. */
export async function runInProcess(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  const { vi } = await import('vitest');
  const { createProgram } = await import('../../src/cli/program.js');
  let stdout = '';
  let stderr = '';
  const text = (c: string | Uint8Array) => (typeof c === 'string' ? c : new TextDecoder().decode(c));
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += text(c)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += text(c)), true));
  try {
    await createProgram().parseAsync(['node', 'oxyscope', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr };
}
