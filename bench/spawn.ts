import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Spawned {
  ms: number;
  /** user + system CPU time of the process, ms (NaN without /usr/bin/time) */
  cpuMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

const TIME = '/usr/bin/time';
const MARK = '__oxyscope_bench_cpu';
const hasTime = existsSync(TIME);

/**
 * Runs a process to completion; `ms` is the wall time from spawn to exit (process start included). With GNU time
 * installed the process's CPU time is taken too (its line is removed from stderr).
 */
export function spawnTimed(cmd: string, args: string[], cwd?: string): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const [c, a] = hasTime ? [TIME, ['-f', `${MARK} %U %S`, cmd, ...args]] : [cmd, args];
    const p = spawn(c, a, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.on('data', (b: Buffer) => out.push(b));
    p.stderr.on('data', (b: Buffer) => err.push(b));
    p.on('error', reject);
    p.on('close', (code) => {
      const ms = performance.now() - t;
      let stderr = Buffer.concat(err).toString();
      let cpuMs = NaN;
      const m = new RegExp(`${MARK} ([\\d.]+) ([\\d.]+)\\n?$`).exec(stderr);
      if (m) {
        cpuMs = (Number(m[1]) + Number(m[2])) * 1000;
        stderr = stderr.slice(0, m.index);
      }
      // GNU time reports a non-zero exit on its own line before the mark
      stderr = stderr.replace(/Command exited with non-zero status \d+\n$/, '');
      resolve({ ms, cpuMs, code, stdout: Buffer.concat(out).toString(), stderr });
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
