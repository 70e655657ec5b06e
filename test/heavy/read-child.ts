/**
 * Child process of memory.heavy.ts: reads one big file with the streaming reader and prints, as JSON, the bytes of
 * the typed arrays the result keeps, the RSS before reading (Node + modules + kernels) and the peak RSS.
 * Usage: node --import tsx test/heavy/read-child.ts doscar|vasprun <file> js|wasm
 */
import { openSource } from '../../src/node/files.js';
import { loadKernels } from '../../src/node/kernels.js';
import { readDoscar } from '../../src/io/vasp/doscar.js';
import { readVasprun } from '../../src/io/vasp/vasprun.js';
import type { Engine } from '../../src/kernels/types.js';

/** Bytes of every typed array reachable from `v` (each buffer counted once). */
function keptBytes(v: unknown, seen = new Set<ArrayBufferLike>()): number {
  if (ArrayBuffer.isView(v)) {
    if (seen.has(v.buffer)) return 0;
    seen.add(v.buffer);
    return v.buffer.byteLength;
  }
  if (v === null || typeof v !== 'object') return 0;
  let n = 0;
  for (const x of Object.values(v)) n += keptBytes(x, seen);
  return n;
}

const [kind, file, engine] = process.argv.slice(2);
const kernels = await loadKernels(engine as Engine);
const baseline = process.memoryUsage.rss();
const t0 = performance.now();
const source = await openSource(file);
const result = kind === 'doscar' ? await readDoscar(source, { kernels }) : await readVasprun(source, { kernels });
const seconds = (performance.now() - t0) / 1000;
const peak = process.resourceUsage().maxRSS * 1024;
const kept = keptBytes(result);
process.stdout.write(`${JSON.stringify({ kind, engine, file, fileBytes: source.size, kept, baseline, peak, seconds })}\n`);
