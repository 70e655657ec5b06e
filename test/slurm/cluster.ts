import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A one-node SLURM cluster in a temp folder, for tests: its own munge key and socket, slurm.conf, state and spool
 * folders and ports, so it disturbs no SLURM or munge the machine already runs. Needs root (the daemons run as
 * root, `SlurmUser=root`); Debian's slurm-wlm and munge are installed when absent, as CI does.
 */

const BINARIES = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo', 'scontrol'];

const has = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Installs slurm-wlm and munge with apt-get when a binary is missing (waiting for another apt-get/dpkg to finish). */
export async function ensureSlurmInstalled(): Promise<void> {
  const missing = BINARIES.filter((b) => !has(b));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) throw new Error(`the SLURM test needs ${missing.join(', ')}: apt-get install slurm-wlm munge (as root)`);
  while (spawnSync('pgrep', ['-x', 'apt-get|dpkg|apt']).status === 0) await sleep(2000);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', 'slurm-wlm', 'munge'], { stdio: 'inherit', env });
  const still = BINARIES.filter((b) => !has(b));
  if (r.status !== 0 || still.length > 0) throw new Error(`apt-get install slurm-wlm munge failed (status ${r.status}; missing ${still.join(', ')})`);
}

export interface Cluster {
  dir: string;
  /** environment for sbatch/squeue/…: SLURM_CONF names this cluster's configuration */
  env: NodeJS.ProcessEnv;
  /** runs a SLURM client command; throws with its stderr on failure */
  run(cmd: string, args: string[], cwd?: string): string;
  stop(): Promise<void>;
}

/** A free-looking port pair: random in 20000–29999 (the test's cluster must not collide with one the machine runs). */
function ports(): [number, number] {
  const p = 20000 + 2 * Math.floor(Math.random() * 5000);
  return [p, p + 1];
}

export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'oxyscope-slurm-'));
  // munged wants the socket folder reachable by all and not writable by others
  chmodSync(dir, 0o711);
  const node = hostname().split('.')[0];
  const [ctldPort, slurmdPort] = ports();
  const key = join(dir, 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  for (const d of ['state', 'spool']) mkdirSync(join(dir, d));
  const conf = join(dir, 'slurm.conf');
  writeFileSync(conf, [
    'ClusterName=oxyscope-test',
    `SlurmctldHost=${node}`,
    `SlurmctldPort=${ctldPort}`,
    `SlurmdPort=${slurmdPort}`,
    'SlurmUser=root',
    'SlurmdUser=root',
    'AuthType=auth/munge',
    'CredType=cred/munge',
    `AuthInfo=socket=${join(dir, 'munge.sock')}`,
    `StateSaveLocation=${join(dir, 'state')}`,
    `SlurmdSpoolDir=${join(dir, 'spool')}`,
    `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
    `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
    `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
    `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    'MpiDefault=none',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'JobCompType=jobcomp/none',
    'ReturnToService=2',
    // finished jobs stay visible to scontrol for the test's checks
    'MinJobAge=600',
    `NodeName=${node} CPUs=2 State=UNKNOWN`,
    `PartitionName=test Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
    '',
  ].join('\n'));
  const env = { ...process.env, SLURM_CONF: conf };
  const daemons: ChildProcess[] = [];
  const daemon = (cmd: string, args: string[]) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr!.on('data', (d) => (err = (err + d).slice(-4000)));
    child.on('exit', (code) => {
      if (!stopping && code !== 0) process.stderr.write(`slurm test: ${cmd} exited ${code}: ${err}\n`);
    });
    daemons.push(child);
  };
  let stopping = false;
  // a test process that dies without its afterAll still takes the daemons with it
  const killAll = () => daemons.forEach((d) => d.kill('SIGKILL'));
  process.once('exit', killAll);
  const stop = async () => {
    stopping = true;
    process.off('exit', killAll);
    // slurmd first (it ends the job steps it runs), munged last (the others authenticate through it)
    for (const child of [...daemons].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const run = (cmd: string, args: string[], cwd = dir) => {
    const r = spawnSync(cmd, args, { env, cwd, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  try {
    daemon('munged', ['-F', '--force', `--socket=${join(dir, 'munge.sock')}`, `--key-file=${key}`, `--pid-file=${join(dir, 'munged.pid')}`, `--log-file=${join(dir, 'munged.log')}`, `--seed-file=${join(dir, 'munged.seed')}`]);
    await waitFor(() => spawnSync('test', ['-S', join(dir, 'munge.sock')]).status === 0, 20_000, 'munged socket');
    daemon('slurmctld', ['-D', '-c', '-f', conf]);
    daemon('slurmd', ['-D', '-f', conf, '-N', node]);
    await waitFor(() => spawnSync('sinfo', ['-h', '-o', '%T'], { env, encoding: 'utf8' }).stdout?.trim() === 'idle', 60_000, 'the node to be idle (sinfo)');
  } catch (e) {
    const logs = ['slurmctld.log', 'slurmd.log', 'munged.log'].map((f) => `${f}: ${(() => { try { return readFileSync(join(dir, f), 'utf8').slice(-2000); } catch { return '(none)'; } })()}`);
    await stop();
    throw new Error(`${(e as Error).message}\n${logs.join('\n')}`);
  }
  return { dir, env, run, stop };
}

async function waitFor(ok: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await sleep(250);
  }
}

/** Waits until a job has left the queue and returns its final state (`COMPLETED`, `FAILED` …) and exit code. */
export async function waitForJob(cluster: Cluster, id: string, ms = 600_000): Promise<{ state: string; exitCode: string }> {
  await waitFor(() => cluster.run('squeue', ['-h', '-j', id]).trim() === '', ms, `job ${id}`);
  const line = cluster.run('scontrol', ['show', 'job', '-o', id]);
  return { state: /JobState=(\S+)/.exec(line)?.[1] ?? '?', exitCode: /ExitCode=(\S+)/.exec(line)?.[1] ?? '?' };
}
