import { spawn } from 'node:child_process';

export interface Spawned {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a process to completion; `ms` is the wall time from spawn to exit (process start included). */
export function spawnTimed(cmd: string, args: string[], cwd?: string): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const p = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    p.on('error', reject);
    p.on('close', (code) => {
      resolve({ ms: performance.now() - t, code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
}

/** The last line of stdout parsed as JSON, or an Error carrying the stderr tail. */
export function lastJson<T>(r: Spawned, what: string): T {
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    if (r.code !== 0) throw new Error();
    return JSON.parse(line) as T;
  } catch {
    const tail = r.stderr.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`${what} failed (exit ${r.code}): ${tail || line.slice(0, 200)}`);
  }
}
