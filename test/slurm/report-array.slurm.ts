import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCalcFolders } from '../../bench/report-folders.js';
import { ensureSlurmInstalled, startCluster, waitForJob, type Cluster } from './cluster.js';
import { ROOT } from '../cli/run.js';

/**
 * The job-array recipe of examples/hpc under a real SLURM (one node, in a temp folder): 4 array tasks of
 * `report --shard K/4 --jsonl` over 241 calculation folders, then the dependent merge job. Its merged JSONL must be
 * byte-identical to one `report --jsonl` process over the same folders. `npm run test:slurm` (needs root; installs
 * slurm-wlm and munge when absent).
 */

const N = 240;
const TASKS = 4;
const OXYSCOPE = `${process.execPath} ${join(ROOT, 'bin/oxyscope.js')}`;
let cluster: Cluster;
let calcs: string;

beforeAll(async () => {
  await ensureSlurmInstalled();
  cluster = await startCluster();
  calcs = join(cluster.dir, 'calcs');
  await writeCalcFolders(calcs, N);
  // one broken calculation: a POSCAR cut short after its header; its record carries the error
  mkdirSync(join(calcs, 'broken'));
  writeFileSync(join(calcs, 'broken', 'POSCAR'), readFileSync(join(calcs, 'calc-0000', 'POSCAR'), 'utf8').split('\n').slice(0, 12).join('\n'));
}, 600_000);

afterAll(async () => {
  await cluster?.stop();
}, 60_000);

/** Runs examples/hpc/submit.sh and waits for the merge job; returns the logs of the array tasks. */
async function submit(out: string): Promise<string[]> {
  const submitted = cluster.run(join(ROOT, 'examples/hpc/submit.sh'), [String(TASKS)], cluster.dir);
  const array = /^array (\d+)$/m.exec(submitted)?.[1];
  const merge = /^merge (\d+)$/m.exec(submitted)?.[1];
  expect(array && merge, submitted).toBeTruthy();
  const done = await waitForJob(cluster, merge!);
  const logs = readdirSync(cluster.dir).filter((f) => f.startsWith(`oxyscope-report-${array}_`)).sort();
  const text = logs.map((f) => readFileSync(join(cluster.dir, f), 'utf8'));
  expect(done, `merge job: ${readdirSync(cluster.dir).filter((f) => f.endsWith('.log')).map((f) => `${f}:\n${readFileSync(join(cluster.dir, f), 'utf8').slice(-1500)}`).join('\n')}`).toEqual({ state: 'COMPLETED', exitCode: '0:0' });
  expect(readdirSync(out).filter((f) => f.startsWith('shard-')).sort()).toEqual(['shard-0.jsonl', 'shard-1.jsonl', 'shard-2.jsonl', 'shard-3.jsonl']);
  return text;
}

describe('report as a SLURM job array, then merge', () => {
  it('the merged JSONL of 4 array tasks equals one report --jsonl process, byte for byte; a re-run comes from the cache', async () => {
    const out = join(cluster.dir, 'shards');
    Object.assign(cluster.env, { CALCS: calcs, OUT: out, OXYSCOPE });
    const single = join(cluster.dir, 'single.jsonl');
    const one = spawnSync(process.execPath, [join(ROOT, 'bin/oxyscope.js'), 'report', calcs, '--jsonl', single], { encoding: 'utf8' });
    // exit 1: the broken calculation's error is reported (and recorded in its line)
    expect(one.status, one.stderr).toBe(1);
    expect(one.stderr).toMatch(/^oxyscope: broken: structure: /);
    const expected = readFileSync(single, 'utf8');
    const lines = expected.trim().split('\n');
    expect(lines).toHaveLength(N + 1);

    const logs = await submit(out);
    expect(readFileSync(join(out, 'all.jsonl'), 'utf8')).toBe(expected);
    // every task took its share: 61 + 60 + 60 + 60 lines
    const counts = [0, 1, 2, 3].map((k) => readFileSync(join(out, `shard-${k}.jsonl`), 'utf8').trim().split('\n').length);
    expect(counts).toEqual([61, 60, 60, 60]);
    expect(logs.map((l) => /(\d+) reused, (\d+) computed/.exec(l)?.slice(1))).toEqual(counts.map((c) => ['0', String(c)]));
    const csv = readFileSync(join(out, 'all.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(N + 2);

    // the same array again over unchanged folders: nothing is recomputed, the result is the same
    const again = await submit(out);
    expect(again.map((l) => /(\d+) reused, (\d+) computed/.exec(l)?.slice(1))).toEqual(counts.map((c) => [String(c), '0']));
    expect(readFileSync(join(out, 'all.jsonl'), 'utf8')).toBe(expected);
  }, 900_000);
});
