import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../src/node/paths.js';
import type { Engine } from '../src/kernels/types.js';
import { loadKernels } from '../src/node/kernels.js';
import { writeAtomic } from '../src/node/write.js';
import { generate, type Generated, type GeneratedFile, type Mode } from './generate/index.js';
import { kernelCases, median, timeWarm } from './kernels.js';
import type { ChildJob, ColdResult, ReadResult } from './child.js';
import { readerName, type ReaderId } from './readers.js';
import { lastJson, spawnTimed } from './spawn.js';
import { compareResults, renderMarkdown, renderTable } from './report.js';
import type { CliRow, KernelRow, PymatgenRow, ReaderRow, Results } from './results.js';

export type { Results };
import { evaluateTargets } from './targets.js';

/**
 * The bench: kernels (cold and warm), readers (child processes: time and peak RSS), CLI commands end to end, and the
 * same jobs in pymatgen where Debian's python3 has it. Writes results.json and RESULTS.md; prints a table.
 */
export interface BenchOptions {
  quick?: boolean;
  /** generated inputs (default <repo>/bench/data) */
  data?: string;
  /** where RESULTS.md and results.json go (default <repo>/bench; --quick: <data>/quick) */
  out?: string;
  log?: (msg: string) => void;
  /**
   * Only these CLI and pymatgen jobs (ids like `census|poscar-97200`, `census-path|xdatcar-324x3000`,
   * `path-census|xdatcar-324x3000`), with the inputs they need; no kernel or reader rows. The results go beside the
   * data (default), never over bench/RESULTS.md.
   */
  only?: string[];
}

const ROOT = `${packageRoot()}/`;
const CHILD = join(ROOT, 'dist-bench', 'bench', 'child.js');
const CLI = join(ROOT, 'bin', 'oxyscope.js');
const PYTHON = '/usr/bin/python3';
const ENGINES: Engine[] = ['wasm', 'js'];

function machine(): Results['machine'] {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux: os.cpus() is enough
  }
  return { cpu, cores: cpus().length, ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, node: process.version, platform: `${process.platform} ${process.arch}` };
}

async function child<T>(job: ChildJob, what: string): Promise<T> {
  return lastJson<T>(await spawnTimed(process.execPath, ['--max-old-space-size=8192', CHILD, JSON.stringify(job)]), what);
}

async function benchKernels(gen: Generated, log: (m: string) => void): Promise<KernelRow[]> {
  const rows: KernelRow[] = [];
  const cases = kernelCases(gen);
  for (const c of cases) {
    for (const engine of ENGINES) {
      const cold = await child<ColdResult>({ type: 'cold', id: c.id, engine, gen }, `cold ${c.id} ${engine}`);
      const k = await loadKernels(engine);
      const warm = timeWarm(await c.setup(k));
      const per = c.work.amount / 1e6;
      rows.push({
        kernel: c.kernel, size: c.size, engine, coldMs: cold.firstCallMs, instantiateMs: cold.instantiateMs,
        warmMs: warm.medianMs, runs: warm.runs, throughput: per / (warm.medianMs / 1000), unit: c.work.unit === 'MB' ? 'MB/s' : 'M/s',
      });
      log(`kernel ${c.kernel.padEnd(11)} ${c.size.padEnd(26)} ${engine.padEnd(4)} cold ${cold.firstCallMs.toFixed(2)} ms, warm ${warm.medianMs.toFixed(3)} ms`);
    }
  }
  return rows;
}

interface ReaderJob {
  reader: ReaderId;
  file: GeneratedFile;
  engines: Engine[];
}

function readerJobs(gen: Generated): ReaderJob[] {
  const jobs: ReaderJob[] = [];
  const byKind = (k: GeneratedFile['kind']) => gen.files.filter((f) => f.kind === k);
  for (const kind of ['doscar', 'vasprun', 'doscar-lobster', 'cohpcar', 'xdatcar'] as const) {
    for (const f of byKind(kind)) jobs.push({ reader: kind, file: f, engines: ENGINES });
  }
  // the ICOHPLIST reader takes no kernels: one engine is enough
  for (const f of byKind('icohplist')) jobs.push({ reader: 'icohplist', file: f, engines: ['js'] });
  for (const f of byKind('poscar').filter((x) => x.group.startsWith('poscar-'))) {
    jobs.push({ reader: 'poscar', file: f, engines: ENGINES });
    jobs.push({ reader: 'census', file: f, engines: ENGINES });
  }
  return jobs;
}

async function benchReaders(gen: Generated, quick: boolean, log: (m: string) => void): Promise<ReaderRow[]> {
  const rows: ReaderRow[] = [];
  for (const job of readerJobs(gen)) {
    for (const engine of job.engines) {
      // big files: one read per fresh process (a clean peak RSS), median over processes; small ones: repeats in one
      const big = job.file.bytes > 32e6;
      // GB-sized inputs take tens of seconds per JS read on 2 cores: two processes keep the full run under 15 min
      const procs = !big ? 1 : quick || job.file.bytes > 400e6 ? 2 : 3;
      const base: Omit<ReaderRow, 'medianMs' | 'cpuMs' | 'runs' | 'mbps' | 'cpuMbps' | 'peakRssMb' | 'baselineRssMb' | 'keptMb'> = {
        reader: job.reader, name: readerName(job.reader), file: job.file.path, size: job.file.size, bytes: job.file.bytes, engine,
      };
      try {
        const results: ReadResult[] = [];
        for (let p = 0; p < procs; p++) {
          results.push(await child<ReadResult>({ type: 'read', reader: job.reader, file: job.file, engine, repeats: big ? 1 : quick ? 3 : 7, warmup: !big }, `${job.reader} ${engine}`));
        }
        const times = results.flatMap((r) => r.times);
        const med = median(times);
        const cpu = median(results.flatMap((r) => r.cpuTimes));
        rows.push({
          ...base, medianMs: med, cpuMs: cpu, runs: times.length, mbps: job.file.bytes / 1e6 / (med / 1000), cpuMbps: job.file.bytes / 1e6 / (cpu / 1000),
          peakRssMb: Math.max(...results.map((r) => r.maxRssMb)), baselineRssMb: results[0].baselineRssMb, keptMb: results[0].keptMb,
          summary: results[0].summary,
        });
        log(`reader ${readerName(job.reader).padEnd(20)} ${job.file.size.padEnd(30)} ${engine.padEnd(4)} ${med.toFixed(1)} ms (CPU ${cpu.toFixed(1)} ms), ${(job.file.bytes / 1e3 / med).toFixed(0)} MB/s, peak ${Math.max(...results.map((r) => r.maxRssMb)).toFixed(0)} MB`);
      } catch (e) {
        rows.push({ ...base, medianMs: NaN, cpuMs: NaN, runs: 0, mbps: NaN, cpuMbps: NaN, peakRssMb: NaN, baselineRssMb: NaN, keptMb: NaN, error: (e as Error).message });
        log(`reader ${job.reader} ${engine}: ${(e as Error).message}`);
      }
    }
  }
  return rows;
}

interface CliJob {
  id: string;
  args: string[];
  pymatgen?: string;
  /** the biggest input, MB: decides the repeats */
  mb: number;
}

function cliJobs(gen: Generated): CliJob[] {
  const f = (group: string, kind: GeneratedFile['kind']) => gen.files.find((x) => x.group === group && x.kind === kind);
  const groupsOf = (kind: GeneratedFile['kind']) => gen.files.filter((x) => x.kind === kind);
  const jobs: CliJob[] = [];
  const opdos = ['--elements', 'O', '--orbitals', 'p', '--mode', 'mask', '--window=-2,0', '--json'];
  for (const kind of ['doscar', 'vasprun', 'doscar-lobster'] as const) {
    for (const file of groupsOf(kind)) jobs.push({ id: `pdos|${file.group}|${kind}`, args: ['pdos', file.path, ...opdos], pymatgen: kind === 'doscar' ? undefined : `${kind}|${file.group}`, mb: file.bytes / 1e6 });
  }
  for (const file of groupsOf('icohplist')) {
    jobs.push({ id: `cohp|${file.group}|icohplist`, args: ['cohp', file.path, '--structure', f(file.group, 'poscar')!.path, '--json'], pymatgen: `icohplist|${file.group}`, mb: file.bytes / 1e6 });
  }
  for (const file of groupsOf('cohpcar')) jobs.push({ id: `cohp|${file.group}|cohpcar`, args: ['cohp', file.path, '--json'], pymatgen: `cohpcar|${file.group}`, mb: file.bytes / 1e6 });
  const cells = groupsOf('poscar').filter((x) => x.group.startsWith('poscar-') && x.atoms !== 32400);
  for (const file of cells) jobs.push({ id: `census|${file.group}`, args: ['census', file.path, '--json'], pymatgen: `census|${file.group}`, mb: file.bytes / 1e6 });
  const largest = cells.sort((a, b) => b.atoms - a.atoms)[0];
  if (largest) {
    jobs.push({ id: `migration|${largest.group}`, args: ['migration', largest.path, '--reference', largest.path, '--json'], mb: largest.bytes / 1e6 });
    jobs.push({ id: `info|${largest.group}`, args: ['info', largest.path, '--json'], mb: largest.bytes / 1e6 });
  }
  for (const file of groupsOf('xdatcar')) jobs.push({ id: `info|${file.group}|xdatcar`, args: ['info', file.path, '--json'], pymatgen: `xdatcar|${file.group}`, mb: file.bytes / 1e6 });
  for (const file of groupsOf('xdatcar').filter(pathCensusByPymatgen)) {
    jobs.push({ id: `census-path|${file.group}`, args: ['census', file.path, '--path', '--json'], pymatgen: `path-census|${file.group}`, mb: file.bytes / 1e6 });
  }
  const neb = join(ROOT, 'test', 'fixtures', 'real', 'vasp', 'neb', 'aiida-vasp__neb');
  if (existsSync(neb)) jobs.push({ id: 'neb|aiida-vasp__neb', args: ['neb', neb, '--json'], mb: 2 });
  return jobs;
}

/** The trajectories pymatgen's per-frame neighbour search is timed on (≈ 1 min at 324 atoms × 3000 frames; the larger one would take several). */
function pathCensusByPymatgen(f: GeneratedFile): boolean {
  return f.kind === 'xdatcar' && f.atoms <= 324;
}

/** What the pymatgen script also prints, picked from the command's JSON (undefined when the shape is unexpected). */
function comparable(id: string, stdout: string): unknown {
  try {
    const j = JSON.parse(stdout) as Record<string, unknown>;
    if (id.startsWith('pdos|')) return (j.groups as { name: string; statesInWindow: number }[]).find((g) => g.name === 'O')?.statesInWindow;
    if (id.startsWith('census-path|')) {
      const frames = j.frames as { classes: Record<string, number> }[];
      return { frames: frames.length, first: frames[0].classes, last: frames[frames.length - 1].classes, changes: (j.events as unknown[]).length };
    }
    if (id.startsWith('census|')) {
      const h = (j.structures as { histogram: { nTM: number; nLi: number; count: number }[] }[])[0].histogram;
      return Object.fromEntries(h.map((x) => [`${x.nTM},${x.nLi}`, x.count]));
    }
  } catch {
    // a changed output shape only loses the agreement column
  }
  return undefined;
}

async function benchCli(gen: Generated, quick: boolean, log: (m: string) => void, only?: string[]): Promise<CliRow[]> {
  const rows: CliRow[] = [];
  for (const job of cliJobs(gen).filter((j) => !only || only.includes(j.id))) {
    for (const engine of ENGINES) {
      const command = `oxyscope ${job.args.map((a) => a.replace(ROOT, '')).join(' ')} --engine ${engine}`;
      const times: number[] = [];
      const cpu: number[] = [];
      let error: string | undefined;
      let value: unknown;
      // a GB input is timed end to end once per engine (the reader table has its repeats)
      const runs = quick ? 2 : job.mb > 400 ? 1 : 3;
      for (let i = 0; i < runs && !error; i++) {
        const r = await spawnTimed(process.execPath, [CLI, ...job.args, '--engine', engine], ROOT);
        if (r.code !== 0) error = `exit ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' | ').slice(0, 300)}`;
        else {
          times.push(r.ms);
          cpu.push(r.cpuMs);
        }
        if (i === 0 && !error) value = comparable(job.id, r.stdout);
      }
      rows.push({ id: job.id, command, engine, medianMs: times.length ? median(times) : NaN, cpuMs: cpu.length ? median(cpu) : NaN, runs: times.length, pymatgen: job.pymatgen, value, error });
      log(`cli ${command.slice(0, 90).padEnd(90)} ${error ? `FAILED ${error}` : `${median(times).toFixed(0)} ms`}`);
    }
  }
  return rows;
}

function pymatgenStatus(): { available: boolean; reason?: string; version?: string; python?: string } {
  if (!existsSync(PYTHON)) return { available: false, reason: 'pymatgen not installed (no /usr/bin/python3)' };
  const r = spawnSync(PYTHON, ['-c', 'import sys, importlib.metadata as m, pymatgen.core; print(m.version("pymatgen"), sys.version.split()[0])'], { encoding: 'utf8' });
  if (r.status !== 0) return { available: false, reason: 'pymatgen not installed (/usr/bin/python3 -c "import pymatgen" fails)' };
  const [version, python] = r.stdout.trim().split(' ');
  if (!existsSync(join(ROOT, 'bench', 'pymatgen'))) return { available: false, reason: 'bench/pymatgen/ scripts not found (run from a clone)' };
  return { available: true, version, python };
}

async function benchPymatgen(gen: Generated, quick: boolean, log: (m: string) => void, only?: string[]): Promise<PymatgenRow[]> {
  const rows: PymatgenRow[] = [];
  const scripts = join(ROOT, 'bench', 'pymatgen');
  const poscarOf = (group: string) => gen.files.find((x) => x.group === group && x.kind === 'poscar')!.path;
  const jobs: { id: string; job: string; file: GeneratedFile; args: string[]; repeats: number }[] = [];
  for (const file of gen.files) {
    const big = file.bytes > 400e6;
    const reps = big || quick ? 1 : 3;
    if (file.kind === 'vasprun') jobs.push({ id: `vasprun|${file.group}`, job: 'Vasprun + complete_dos, O p over [E_F−2, E_F]', file, args: ['vasprun_pdos.py', file.path], repeats: reps });
    if (file.kind === 'doscar-lobster') jobs.push({ id: `doscar-lobster|${file.group}`, job: 'lobster.Doscar + completedos, O p over [E_F−2, E_F]', file, args: ['doscar_lobster.py', file.path, poscarOf(file.group)], repeats: reps });
    if (file.kind === 'icohplist') jobs.push({ id: `icohplist|${file.group}`, job: 'Icohplist, sums by element pair', file, args: ['icohplist.py', file.path], repeats: 5 });
    if (file.kind === 'cohpcar') jobs.push({ id: `cohpcar|${file.group}`, job: 'Cohpcar, ICOHP(E_F) sums by element pair', file, args: ['cohpcar.py', file.path, poscarOf(file.group)], repeats: reps });
    if (file.kind === 'poscar' && file.group.startsWith('poscar-') && file.atoms !== 32400) {
      jobs.push({ id: `census|${file.group}`, job: 'Structure.from_file + get_neighbor_list(2.5 Å) census', file, args: ['census.py', file.path], repeats: quick ? 1 : 3 });
    }
    if (file.kind === 'xdatcar') jobs.push({ id: `xdatcar|${file.group}`, job: 'Xdatcar', file, args: ['xdatcar.py', file.path], repeats: reps });
    if (pathCensusByPymatgen(file)) {
      jobs.push({ id: `path-census|${file.group}`, job: 'Xdatcar + get_neighbor_list per frame (same cutoffs), class changes', file, args: ['path_census.py', file.path], repeats: 1 });
    }
  }
  for (const j of jobs.filter((x) => !only || only.includes(x.id))) {
    const base = { id: j.id, job: j.job, file: j.file.path, size: j.file.size, bytes: j.file.bytes };
    const r = await spawnTimed(PYTHON, [join(scripts, j.args[0]), ...j.args.slice(1), String(j.repeats)], scripts);
    try {
      const o = lastJson<{ import_s: number; times: number[]; cpu_times: number[]; result: unknown; maxrss_mb: number }>(r, `pymatgen ${j.args[0]}`);
      const later = o.times.slice(1).reduce((a, b) => a + b, 0);
      const laterCpu = o.cpu_times.slice(1).reduce((a, b) => a + b, 0);
      rows.push({
        ...base, importS: o.import_s, firstS: o.times[0], medianS: median(o.times), medianCpuS: median(o.cpu_times), runs: o.times.length, maxRssMb: o.maxrss_mb,
        processS: r.ms / 1000 - later, processCpuS: r.cpuMs / 1000 - laterCpu, result: o.result,
      });
      log(`pymatgen ${j.job.slice(0, 50).padEnd(50)} ${j.file.size.padEnd(30)} ${median(o.times).toFixed(3)} s (process ${(r.ms / 1000 - later).toFixed(2)} s), ${o.maxrss_mb.toFixed(0)} MB`);
    } catch (e) {
      rows.push({ ...base, importS: NaN, firstS: NaN, medianS: NaN, medianCpuS: NaN, runs: 0, maxRssMb: NaN, processS: NaN, processCpuS: NaN, error: (e as Error).message });
      log(`pymatgen ${j.args[0]}: ${(e as Error).message}`);
    }
  }
  return rows;
}

function viewerFps(): Record<string, unknown> | undefined {
  const p = join(ROOT, 'test-output', 'viewer-fps.json');
  if (!existsSync(p)) return undefined;
  try {
    return JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export async function runBench(options: BenchOptions = {}): Promise<Results> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const t0 = performance.now();
  const mode: Mode = options.quick ? 'quick' : 'full';
  const quick = mode === 'quick';
  if (!existsSync(CHILD)) throw new Error(`${CHILD} is missing: run \`npm run build && npm run build:bench\` first`);
  const m = machine();
  const loads: number[] = [];
  const sample = () => loads.push(loadavg()[0]);
  sample();
  const py = pymatgenStatus();
  if (py.available) Object.assign(m, { python: py.python, pymatgen: py.version });
  log(`oxyscope bench (${mode}) on ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB, Node ${m.node}`);

  const only = options.only;
  const gen = generate(options.data ?? join(ROOT, 'bench', 'data'), mode, log, only && [...new Set(only.map((id) => id.split('|')[1]))]);
  sample();
  const kernels = only ? [] : await benchKernels(gen, log);
  sample();
  const readers = only ? [] : await benchReaders(gen, quick, log);
  sample();
  const cli = await benchCli(gen, quick, log, only);
  sample();
  const pmg = py.available ? await benchPymatgen(gen, quick, log, only) : [];
  const results: Results = {
    version: 1,
    mode,
    date: new Date().toISOString(),
    machine: m,
    load: { samples: [...loads, loadavg()[0]] },
    generation: { seconds: gen.seconds, files: gen.files.map((f) => ({ id: f.group, path: f.path.replace(ROOT, ''), kind: f.kind, size: f.size, bytes: f.bytes })) },
    kernels,
    readers: readers.map((r) => ({ ...r, file: r.file.replace(ROOT, '') })),
    cli,
    pymatgen: { available: py.available, reason: py.reason, jobs: pmg.map((r) => ({ ...r, file: r.file.replace(ROOT, '') })) },
    targets: [],
    viewer: viewerFps(),
    totalSeconds: 0,
  };
  results.targets = evaluateTargets(results);
  results.totalSeconds = (performance.now() - t0) / 1000;

  // a quick run must not overwrite the committed full results: it writes beside its (git-ignored) data
  const out = options.out ?? (quick || only ? gen.dir : join(ROOT, 'bench'));
  // temp file + rename: a killed run keeps the previous results whole (they are regenerated, so replaced freely)
  await writeAtomic(join(out, 'results.json'), `${JSON.stringify(results, null, 1)}\n`, true);
  await writeAtomic(join(out, 'RESULTS.md'), renderMarkdown(results), true);
  return results;
}

/** The console summary of a run, plus the deltas against an earlier results.json when given. */
export function summary(results: Results, compare?: string): string {
  return renderTable(results) + (compare ? compareResults(JSON.parse(readFileSync(compare, 'utf8')) as Results, results) : '');
}
