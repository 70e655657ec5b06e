/**
 * `npm run bench:report-cache` (also the last step of `npm run bench`): `oxyscope report --jsonl` over 1,000 small
 * calculation folders (bench/report-folders.ts): cold, cold filling a `--cache`, again over the unchanged folders
 * from the cache, and 1 vs 2 shards at once. Whole CLI processes (the bundled CLI, start-up included); medians.
 * Writes bench/report-cache.json and its section of bench/RESULTS.md. Target: the cached run ≥ 10× faster than cold.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/node/paths.js';
import { writeCalcFolders } from './report-folders.js';

// the package folder, not this module's: the bench runs compiled from dist-bench/
const HERE = join(packageRoot(), 'bench');
const BIN = join(packageRoot(), 'bin', 'oxyscope.js');
const N = 1000;
const TIME = '/usr/bin/time';

interface Run { wall: number; cpu: number | null }

/** One CLI process: wall time, and user + system CPU from /usr/bin/time where it exists. */
function once(args: string[]): Promise<Run> {
  const useTime = existsSync(TIME);
  const [cmd, argv] = useTime ? [TIME, ['-f', '@@%U %S', process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      const wall = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`oxyscope ${args.join(' ')}: exit ${code}: ${err}`));
      const m = /@@([\d.]+) ([\d.]+)/.exec(err);
      resolve({ wall, cpu: m ? Number(m[1]) + Number(m[2]) : null });
    });
  });
}

/** Several processes at once: wall time until the last ends, CPU summed. */
async function together(runs: string[][]): Promise<Run> {
  const t0 = performance.now();
  const done = await Promise.all(runs.map(once));
  return { wall: (performance.now() - t0) / 1000, cpu: done.every((d) => d.cpu !== null) ? done.reduce((s, d) => s + d.cpu!, 0) : null };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function med(runs: Run[]): Run {
  return { wall: median(runs.map((r) => r.wall)), cpu: runs.every((r) => r.cpu !== null) ? median(runs.map((r) => r.cpu!)) : null };
}

async function repeat(n: number, f: (i: number) => Promise<Run>): Promise<Run & { n: number }> {
  const runs: Run[] = [];
  for (let i = 0; i < n; i++) runs.push(await f(i));
  return { ...med(runs), n };
}

const work = mkdtempSync(join(tmpdir(), 'oxyscope-bench-report-'));
try {
  const calcs = join(work, 'calcs');
  await writeCalcFolders(calcs, N);
  const out = (name: string) => join(work, name);
  const load: number[] = [loadavg()[0]];
  const report = (extra: string[], jsonl = out('x.jsonl')) => ['report', calcs, '--jsonl', jsonl, '--force', ...extra];

  // the floor of every run: start-up and discovery of all folders (the last shard of N holds one calculation)
  const discovery = await repeat(3, () => once(report(['--shard', `${N}/${N}`])));
  const cold = await repeat(3, () => once(report([])));
  load.push(loadavg()[0]);
  const fill = await repeat(2, (i) => once(report(['--cache', out(`fill-${i}`)])));
  load.push(loadavg()[0]);
  const cache = out('fill-0');
  const cached = await repeat(5, () => once(report(['--cache', cache])));
  load.push(loadavg()[0]);
  const twoCold = await repeat(2, () => together([1, 2].map((k) => report(['--shard', `${k}/2`], out(`s${k}.jsonl`)))));
  const twoCached = await repeat(3, () => together([1, 2].map((k) => report(['--shard', `${k}/2`, '--cache', cache], out(`s${k}.jsonl`)))));
  load.push(loadavg()[0]);

  /** The lower of wall and CPU time, as the main bench's targets use (waiting for a busy core inflates wall). */
  const best = (r: Run) => Math.min(r.wall, r.cpu ?? Infinity);
  const speedup = best(cold) / best(cached);
  const results = {
    date: new Date().toISOString(),
    machine: `${cpus()[0]?.model ?? '?'}, ${cpus().length} cores`,
    node: process.version,
    calculations: N,
    loadAverage: load,
    runs: { discovery, cold, coldFillingCache: fill, cached, twoShardsCold: twoCold, twoShardsCached: twoCached },
    cachedSpeedup: speedup,
    target: { what: 'cached run over unchanged folders ≥ 10× faster than cold', met: speedup >= 10 },
  };
  writeFileSync(join(HERE, 'report-cache.json'), `${JSON.stringify(results, null, 1)}\n`);

  const f = (r: Run) => `${r.wall.toFixed(2)} s | ${r.cpu === null ? '–' : `${r.cpu.toFixed(2)} s`}`;
  const section = [
    '<!-- report-cache: written by bench/report-cache.ts -->',
    '## report over many calculation folders: cache and shards',
    '',
    `\`oxyscope report --jsonl\` over ${N} folders of one small model POSCAR each (120–144 atoms; bench/report-folders.ts), whole CLI processes, medians. ${results.machine}, Node ${process.version}, ${results.date}. Load average (1 min) during the sections: ${load.map((l) => l.toFixed(1)).join(', ')}.`,
    '',
    '| run | repeats | wall | CPU (user + sys) |',
    '| --- | --- | --- | --- |',
    `| start-up + discovery of all folders only (\`--shard ${N}/${N}\`: one calculation) | ${discovery.n} | ${f(discovery)} |`,
    `| cold, no cache | ${cold.n} | ${f(cold)} |`,
    `| cold, filling \`--cache\` | ${fill.n} | ${f(fill)} |`,
    `| again over unchanged folders, from the cache | ${cached.n} | ${f(cached)} |`,
    `| 2 shards at once, cold, no cache | ${twoCold.n} | ${f(twoCold)} |`,
    `| 2 shards at once, from the cache | ${twoCached.n} | ${f(twoCached)} |`,
    '',
    `**Target** cached ≥ 10× faster than cold: ${speedup.toFixed(1)}× (lower of wall and CPU) — **${speedup >= 10 ? 'MET' : 'MISSED'}**. A cached run cannot be faster than start-up + discovery (${best(discovery).toFixed(2)} s, which every shard pays for all folders); what the cache removes is the analysis: cached − discovery = ${(best(cached) - best(discovery)).toFixed(2)} s for ${N} hits (input hashing, entry reads, output) vs cold − discovery = ${(best(cold) - best(discovery)).toFixed(2)} s. 1 → 2 shards at once (wall time; their CPU times add up): ${(cold.wall / twoCold.wall).toFixed(2)}× cold, ${(cached.wall / twoCached.wall).toFixed(2)}× cached; each shard discovers all folders, and the 2 cores are shared with other work when the load average exceeds 2.`,
    '<!-- /report-cache -->',
  ].join('\n');
  const resultsMd = join(HERE, 'RESULTS.md');
  const md = existsSync(resultsMd) ? readFileSync(resultsMd, 'utf8') : '';
  const marked = /<!-- report-cache[\s\S]*?<!-- \/report-cache -->/;
  writeFileSync(resultsMd, marked.test(md) ? md.replace(marked, section) : `${md.replace(/\n*$/, '\n\n')}${section}\n`);
  process.stdout.write(`${section}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
