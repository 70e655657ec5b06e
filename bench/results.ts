import type { Engine } from '../src/kernels/types.js';
import type { Mode } from './generate/index.js';
import type { ReaderId } from './readers.js';

/** What a bench run measured: the shape of results.json (runner, report and targets share it). */

export interface KernelRow {
  kernel: string;
  size: string;
  engine: Engine;
  coldMs: number;
  instantiateMs: number;
  warmMs: number;
  runs: number;
  /** MB/s (scan) or million items/s, warm */
  throughput: number;
  unit: string;
}

export interface ReaderRow {
  reader: ReaderId;
  name: string;
  file: string;
  size: string;
  bytes: number;
  engine: Engine;
  medianMs: number;
  /** median CPU time of the process during the read, ms */
  cpuMs: number;
  runs: number;
  mbps: number;
  /** MB/s on CPU time */
  cpuMbps: number;
  peakRssMb: number;
  baselineRssMb: number;
  keptMb: number;
  summary?: unknown;
  error?: string;
}

export interface CliRow {
  id: string;
  command: string;
  engine: Engine;
  medianMs: number;
  /** median CPU time (user + system) of the process, ms; NaN without /usr/bin/time */
  cpuMs: number;
  runs: number;
  /** the pymatgen job doing the same work */
  pymatgen?: string;
  /** the number the pymatgen job also computes (O p states in the window; census histogram), for agreement */
  value?: unknown;
  error?: string;
}

export interface PymatgenRow {
  id: string;
  job: string;
  file: string;
  size: string;
  bytes: number;
  importS: number;
  firstS: number;
  medianS: number;
  runs: number;
  maxRssMb: number;
  /** wall time of a one-job process: interpreter start + import + first run */
  processS: number;
  /** the same in CPU time (NaN without /usr/bin/time) */
  processCpuS: number;
  medianCpuS: number;
  result?: unknown;
  error?: string;
}

export interface Target {
  id: string;
  goal: string;
  measured: string;
  status: 'MET' | 'MISSED' | 'n/a';
  /** by how much, and the likely cause */
  note?: string;
}

export interface Results {
  version: 1;
  mode: Mode;
  date: string;
  machine: { cpu: string; cores: number; ramGiB: number; node: string; platform: string; python?: string; pymatgen?: string };
  /** 1-minute load average sampled at the start of every section and at the end: other work inflates wall times */
  load: { samples: number[] };
  generation: { seconds: number; files: { id: string; path: string; kind: string; size: string; bytes: number }[] };
  kernels: KernelRow[];
  readers: ReaderRow[];
  cli: CliRow[];
  pymatgen: { available: boolean; reason?: string; jobs: PymatgenRow[] };
  targets: Target[];
  viewer?: Record<string, unknown>;
  totalSeconds: number;
}
