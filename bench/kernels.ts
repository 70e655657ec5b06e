import { closeSync, openSync, readSync } from 'node:fs';
import type { Kernels } from '../src/kernels/types.js';
import { jsKernels } from '../src/kernels/js.js';
import { formatById, readFormat } from '../src/io/formats.js';
import { openSource } from '../src/node/files.js';
import type { Structure } from '../src/model/structure.js';
import type { Generated } from './generate/index.js';
import { Rng } from './generate/random.js';
import { prepareSqs, seedProblem } from '../src/build/sqs/generate.js';

/**
 * Kernel cases at several sizes. `setup` builds the inputs (not timed) and returns the call that is timed; the same
 * list is rebuilt in the cold-start child process, which picks its case by `id`.
 */
export interface KernelCase {
  id: string;
  kernel: 'scan' | 'integrate' | 'neighbours' | 'minImage' | 'nebSpline' | 'segmentSums' | 'sqsAnneal';
  size: string;
  /** amount of work per call for a throughput column: bytes (scan) or items */
  work: { amount: number; unit: 'MB' | 'Mitems' };
  /** may read files first (through the format registry): awaited before the timing starts */
  setup(k: Kernels): (() => unknown) | Promise<() => unknown>;
}

/** `bytes` bytes of the file from offset `from`, cut after the last newline so the scan sees whole rows. */
function fileSlice(path: string, from: number, bytes: number): Uint8Array {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(bytes);
  const got = readSync(fd, buf, 0, bytes, from);
  closeSync(fd);
  const end = buf.lastIndexOf(10, got - 1) + 1;
  return new Uint8Array(buf.buffer, buf.byteOffset, end);
}

const structures = new Map<string, Structure>();
/** A generated POSCAR, read as every consumer reads one: through the format registry. */
async function structureOf(path: string): Promise<Structure> {
  let s = structures.get(path);
  if (!s) {
    s = (await readFormat(formatById('poscar'), await openSource(path), { kernels: jsKernels })).value as Structure;
    structures.set(path, s);
  }
  return s;
}

export function kernelCases(gen: Generated): KernelCase[] {
  const quick = gen.mode === 'quick';
  const cases: KernelCase[] = [];
  // the biggest DOSCAR: its per-atom rows (3X,F8.3,18E12.4) are what the scan kernel meets most
  const doscar = gen.files.filter((f) => f.kind === 'doscar').sort((a, b) => b.bytes - a.bytes)[0];
  for (const mb of quick ? [1, 8] : [1, 16, 64]) {
    cases.push({
      id: `scan|${mb}MB`, kernel: 'scan', size: `${mb} MB of DOSCAR rows`, work: { amount: mb * 1e6, unit: 'MB' },
      setup(k) {
        const bytes = fileSlice(doscar.path, 1 << 20, mb * 1e6);
        return () => k.scan(bytes).count;
      },
    });
  }
  for (const [nCh, nedos] of quick ? [[100, 1001], [1000, 2001]] : [[100, 3001], [1000, 3001], [4000, 5001]]) {
    cases.push({
      id: `integrate|${nCh}x${nedos}`, kernel: 'integrate', size: `${nCh} channels × ${nedos} E`, work: { amount: nCh * nedos, unit: 'Mitems' },
      setup(k) {
        const e = new Float64Array(nedos).map((_, i) => -20 + (30 * i) / (nedos - 1));
        const rng = new Rng(7);
        const ch = new Float64Array(nCh * nedos).map(() => rng.next());
        return () => k.integrate(e, ch, nCh, -2.003, 0.001, 'interp');
      },
    });
  }
  const cells = gen.files.filter((f) => f.kind === 'poscar' && f.group.startsWith('poscar-')).sort((a, b) => a.atoms - b.atoms);
  for (const cell of cells.filter((c) => c.atoms !== 32400)) {
    cases.push({
      id: `neighbours|${cell.atoms}`, kernel: 'neighbours', size: `${cell.atoms} atoms, 2.5 Å`, work: { amount: cell.atoms, unit: 'Mitems' },
      async setup(k) {
        const s = await structureOf(cell.path);
        return () => k.neighbours(s.lattice, s.cart, 2.5).j.length;
      },
    });
    cases.push({
      id: `minImage|${cell.atoms}`, kernel: 'minImage', size: `${cell.atoms} atoms`, work: { amount: cell.atoms, unit: 'Mitems' },
      async setup(k) {
        const s = await structureOf(cell.path);
        const rng = new Rng(9);
        const b = s.frac.map((x) => x + 0.02 * (rng.next() - 0.5) + (rng.next() < 0.1 ? 1 : 0));
        return () => k.minImage(s.lattice, s.frac, b);
      },
    });
  }
  for (const images of quick ? [8, 1000] : [8, 1000, 100000]) {
    cases.push({
      id: `nebSpline|${images}`, kernel: 'nebSpline', size: `${images} images, 2000 samples`, work: { amount: images, unit: 'Mitems' },
      setup(k) {
        const x = new Float64Array(images).map((_, i) => (3 * i) / (images - 1));
        const en = x.map((v) => 0.6 * Math.sin((Math.PI * v) / 3) ** 2);
        const f = x.map((v) => -0.6 * (Math.PI / 3) * Math.sin((2 * Math.PI * v) / 3));
        return () => k.nebSpline(x, en, f, 2000).max;
      },
    });
  }
  for (const n of quick ? [1e4, 1e6] : [1e4, 1e6, 1e7]) {
    cases.push({
      id: `segmentSums|${n}`, kernel: 'segmentSums', size: `${n.toExponential(0).replace('e+', 'e')} values, 1000 keys`, work: { amount: n, unit: 'Mitems' },
      setup(k) {
        const rng = new Rng(5);
        const v = new Float64Array(n).map(() => rng.next() - 0.5);
        const keys = new Int32Array(n).map(() => Math.floor(rng.next() * 1000));
        return () => k.segmentSums(v, keys, 1000).sum[0];
      },
    });
  }
  // SQS annealing of the delithiated LRLO (TM layer Li/Mn/Ni/Co/vacancy, Li layer Li/vacancy), 3 shells: the work is MC steps
  const steps = quick ? 100_000 : 400_000;
  for (const sc of [[5, 2, 1], [5, 4, 2], [10, 8, 2]] as [number, number, number][]) {
    const atoms = 12 * sc[0] * sc[1] * sc[2];
    cases.push({
      id: `sqsAnneal|${atoms}`, kernel: 'sqsAnneal', size: `${atoms} atoms, ${steps / 1000}k MC steps`, work: { amount: steps, unit: 'Mitems' },
      setup(k) {
        const prep = prepareSqs({ composition: 'Li1.2Mn0.54Ni0.13Co0.13O2', supercell: sc, delithiate: 0.4, steps }, k);
        const { problem } = seedProblem(prep, 1);
        return () => k.sqsAnneal(problem).accepted;
      },
    });
  }
  return cases;
}

/**
 * Median of repeated warm calls after one untimed call: sub-millisecond calls repeat up to 200 times (≥ 100 ms in
 * all) so one GC pause or JIT hiccup cannot be the median; slow ones stop after 5 calls or ~1.5 s.
 */
export function timeWarm(call: () => unknown, budgetMs = 1500): { medianMs: number; runs: number } {
  call();
  const times: number[] = [];
  const start = performance.now();
  for (;;) {
    const t = performance.now();
    call();
    times.push(performance.now() - t);
    const spent = performance.now() - start;
    const n = times.length;
    if (n >= 200 || (n >= 15 && spent > 100) || (n >= 5 && spent > budgetMs) || (n >= 3 && spent > 2 * budgetMs)) break;
  }
  return { medianMs: median(times), runs: times.length };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
