import { readFile } from 'node:fs/promises';
import type { Engine, Kernels } from '../src/kernels/types.js';
import { jsKernels } from '../src/kernels/js.js';
import { createWasmKernels } from '../src/kernels/wasm.js';
import { loadKernels } from '../src/node/kernels.js';
import { wasmPath } from '../src/node/paths.js';
import type { Generated, GeneratedFile } from './generate/index.js';
import { kernelCases } from './kernels.js';
import { keptBytes, runReader, type ReaderId } from './readers.js';

/**
 * Child-process side of the bench (`node dist-bench/bench/child.js <job json>`): a cold kernel call in a fresh process
 * and module, or a reader job whose peak RSS is then this process's own. Prints one JSON line.
 */
export type ChildJob =
  | { type: 'cold'; id: string; engine: Engine; gen: Generated }
  | { type: 'read'; reader: ReaderId; file: GeneratedFile; engine: Engine; repeats: number; warmup: boolean };

export interface ColdResult {
  instantiateMs: number;
  firstCallMs: number;
}

export interface ReadResult {
  /** wall time per run, ms */
  times: number[];
  /** CPU time (user + system) of this process per run, ms: on a busy machine, the time the job needs once it has a core */
  cpuTimes: number[];
  maxRssMb: number;
  baselineRssMb: number;
  keptMb: number;
  summary?: unknown;
}


const rssMb = () => process.resourceUsage().maxRSS / 1024;

async function cold(job: Extract<ChildJob, { type: 'cold' }>): Promise<ColdResult> {
  const c = kernelCases(job.gen).find((x) => x.id === job.id);
  if (!c) throw new Error(`no kernel case ${job.id}`);
  let kernels: Kernels = jsKernels;
  let instantiateMs = 0;
  if (job.engine === 'wasm') {
    const bytes = await readFile(wasmPath());
    const t = performance.now();
    kernels = await createWasmKernels(bytes);
    instantiateMs = performance.now() - t;
  }
  const call = await c.setup(kernels);
  const t = performance.now();
  call();
  return { instantiateMs, firstCallMs: performance.now() - t };
}

async function read(job: Extract<ChildJob, { type: 'read' }>): Promise<ReadResult> {
  const kernels = await loadKernels(job.engine);
  const baselineRssMb = rssMb();
  if (job.warmup) await runReader(job.reader, job.file, kernels);
  const times: number[] = [];
  const cpuTimes: number[] = [];
  let out: unknown;
  for (let i = 0; i < job.repeats; i++) {
    out = undefined;
    const c = process.cpuUsage();
    const t = performance.now();
    out = await runReader(job.reader, job.file, kernels);
    times.push(performance.now() - t);
    const d = process.cpuUsage(c);
    cpuTimes.push((d.user + d.system) / 1000);
  }
  const maxRssMb = rssMb();
  const summary = job.reader === 'census' ? (out as { histogram: unknown }).histogram : undefined;
  return { times, cpuTimes, maxRssMb, baselineRssMb, keptMb: keptBytes(out) / 1048576, summary };
}

const job = JSON.parse(process.argv[2]) as ChildJob;
const result = job.type === 'cold' ? await cold(job) : await read(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
