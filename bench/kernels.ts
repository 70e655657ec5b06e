/**
 * WASM vs JS medians for the hot kernels on synthetic inputs like those of the performance anchors:
 * scan (MB/s over ~50 MB of DOSCAR-like E12.4 text), neighbours (layered oxide, 10,800 and 97,200 atoms,
 * cutoff 2.5 Å, all centres and an O-centred census) and integrate. Run: `npx tsx bench/kernels.ts` after
 * `npm run asbuild`.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { jsKernels } from '../src/kernels/js.js';
import { createWasmKernels } from '../src/kernels/wasm.js';
import type { Kernels } from '../src/kernels/types.js';

const wasm = await createWasmKernels(await readFile(new URL('../build/kernels.wasm', import.meta.url)));
const engines: Kernels[] = [wasm, jsKernels];

let seed = 12345;
const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-300)) * Math.cos(2 * Math.PI * rnd());

/**
 * Median milliseconds of `runs` warm runs. On a shared machine wall time includes waiting for a core, so the
 * process CPU time (user + system) is used when BENCH_CPU=1; single-threaded, it equals wall time on an idle box.
 */
const useCpu = process.env.BENCH_CPU === '1';
function median(f: () => void, runs: number): number {
  f();
  const t: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    const c = process.cpuUsage(c0);
    t.push(useCpu ? (c.user + c.system) / 1000 : performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[runs >> 1];
}

/** Fortran E12.4: 0.dddd E±ee, or 0.dddd±eee when the exponent needs three digits */
function e124(v: number): string {
  if (v === 0) return '  0.0000E+00';
  const neg = v < 0;
  const [m, e] = Math.abs(v).toExponential(3).split('e');
  const mant = `0.${m.replace('.', '')}`;
  const ex = Number(e) + 1;
  const es = Math.abs(ex) >= 100 ? `${ex < 0 ? '-' : '+'}${Math.abs(ex)}` : `E${ex < 0 ? '-' : '+'}${String(Math.abs(ex)).padStart(2, '0')}`;
  return `${neg ? '-' : ' '}${mant}${es}`.padStart(12);
}

function doscarText(targetBytes: number): Uint8Array {
  const lines: string[] = [];
  let size = 0;
  let k = 0;
  const centres = Array.from({ length: 18 }, () => -6 + 8 * rnd());
  while (size < targetBytes) {
    const e = -20 + (k++ % 3001) * 0.01;
    let line = `   ${e.toFixed(3).padStart(8)}`;
    for (let c = 0; c < 18; c++) {
      const x = (e - centres[c]) / 0.9;
      const v = 0.8 * Math.exp(-x * x);
      line += e124(v < 1e-300 ? 0 : v);
    }
    lines.push(line);
    size += line.length + 1;
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** R-3m O3 LiMO2 (a 2.85, c 14.25 Å), hexagonal cell of 12 atoms repeated na × na × nc, with 0.03 Å jitter. */
function layeredOxide(na: number, nc: number): { L: Float64Array; cart: Float64Array; group: Int32Array; oCentres: Int32Array } {
  const a = 2.85, c = 14.25, zO = 0.2583;
  const base: [number, number, number, number][] = [];
  for (const [tx, ty, tz] of [[0, 0, 0], [2 / 3, 1 / 3, 1 / 3], [1 / 3, 2 / 3, 2 / 3]]) {
    base.push([tx, ty, tz, 1]); // Li
    base.push([tx, ty, tz + 0.5, 0]); // TM
    base.push([tx, ty, tz + zO, 2], [tx, ty, tz - zO, 2]); // O
  }
  const L = new Float64Array([a * na, 0, 0, -0.5 * a * na, (Math.sqrt(3) / 2) * a * na, 0, 0, 0, c * nc]);
  const n = base.length * na * na * nc;
  const cart = new Float64Array(3 * n);
  const group = new Int32Array(n);
  const o: number[] = [];
  let i = 0;
  for (let x = 0; x < na; x++) for (let y = 0; y < na; y++) for (let z = 0; z < nc; z++) {
    for (const [fx, fy, fz, g] of base) {
      const f = [(fx + x) / na, (fy + y) / na, (((fz % 1) + 1) % 1 + z) / nc];
      for (let k = 0; k < 3; k++) cart[3 * i + k] = f[0] * L[k] + f[1] * L[3 + k] + f[2] * L[6 + k] + 0.03 * gauss();
      group[i] = g;
      if (g === 2) o.push(i);
      i++;
    }
  }
  return { L, cart, group, oCentres: Int32Array.from(o) };
}

console.log(`timing: ${useCpu ? 'process CPU time' : 'wall time'}, median of warm runs`);
const text = doscarText(50e6);
const mb = text.length / 1e6;
for (const k of engines) {
  let stats = { fast: 0, slow: 0 };
  const t = median(() => (stats = k.scan(text).stats), 5);
  console.log(`scan ${k.engine}: ${t.toFixed(1)} ms for ${mb.toFixed(1)} MB = ${(mb / (t / 1000)).toFixed(0)} MB/s (fast ${stats.fast}, slow ${stats.slow})`);
}
// chunked as a streaming reader does (1 MiB chunks, carry the partial token)
for (const k of engines) {
  const t = median(() => {
    let carry = new Uint8Array(0);
    for (let off = 0; off < text.length; off += 1 << 20) {
      const piece = text.subarray(off, off + (1 << 20));
      const chunk = new Uint8Array(carry.length + piece.length);
      chunk.set(carry);
      chunk.set(piece, carry.length);
      const r = k.scan(chunk, { final: off + (1 << 20) >= text.length });
      carry = chunk.slice(r.consumed);
    }
  }, 5);
  console.log(`scan ${k.engine} in 1 MiB chunks: ${(mb / (t / 1000)).toFixed(0)} MB/s`);
}

for (const [na, nc] of [[15, 4], [45, 4]]) {
  const s = layeredOxide(na, nc);
  const n = s.cart.length / 3;
  for (const k of engines) {
    let pairs = 0;
    const tAll = median(() => (pairs = k.neighbours(s.L, s.cart, 2.5).j.length), 7);
    let hist = '';
    const tCensus = median(() => {
      const nl = k.neighbours(s.L, s.cart, 2.5, { centres: s.oCentres });
      const counts = k.countByGroup(nl, s.group, 3);
      const h = new Map<string, number>();
      for (const i of s.oCentres) {
        const key = `${counts[3 * i]},${counts[3 * i + 1]}`;
        h.set(key, (h.get(key) ?? 0) + 1);
      }
      hist = [...h].sort().map(([key, v]) => `(${key}):${v}`).join(' ');
    }, 7);
    console.log(`neighbours ${k.engine} N=${n}: all centres ${tAll.toFixed(1)} ms (${pairs} pairs); O census ${tCensus.toFixed(1)} ms  ${hist}`);
  }
}

const nE = 3001, nCh = 216 * 9 * 2;
const energies = Float64Array.from({ length: nE }, (_, i) => -20 + i * 0.01);
const channels = Float64Array.from({ length: nE * nCh }, () => rnd());
for (const k of engines) {
  const t = median(() => k.integrate(energies, channels, nCh, -2, 0, 'interp'), 9);
  const tm = median(() => k.moments(energies, channels, nCh, -8, 0), 9);
  const tc = median(() => k.cumulative(energies, channels, nCh), 9);
  console.log(`integrate ${k.engine} ${nCh} channels × ${nE}: window [−2, 0] ${t.toFixed(2)} ms; moments [−8, 0] ${tm.toFixed(2)} ms; cumulative ${tc.toFixed(2)} ms`);
}
