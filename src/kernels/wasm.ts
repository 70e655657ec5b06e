import { invert3 } from '../math/lattice.js';
import { gridShape, perpendicularWidths } from './js/cell.js';
import { firstAbove, firstAtLeast } from './js/integrate.js';
import { scan as jsScan, scanSettings, slowValue } from './js/scan.js';
import { makeKernels } from './validate.js';
import type {
  CountOptions, IntegrationMode, Kernels, Moments, NebFit, NeighbourList, NeighbourOptions, ScanOptions, ScanResult, SegmentSums, SiteAssignment, SqsProblem, SqsResult,
} from './types.js';

/**
 * The WASM engine: the AssemblyScript kernels of assembly/ behind the same validated facade as the JS twin.
 * Each call copies its inputs into the module's arena with one `.set` per array, runs, copies the outputs out
 * through fresh views (a call that grows memory detaches older views) and resets the arena in `finally`, so
 * repeated calls of one size reuse the same memory.
 */

interface Exports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  reset(): void;
  scan(inPtr: number, n: number, final: number, maxValues: number, outPtr: number, slowPtr: number, slowCap: number, res: number, xmlRow: number, textRow: number, fill: number): void;
  integrate(e: number, n: number, ch: number, nCh: number, a: number, b: number, mode: number, out: number): void;
  moments(e: number, n: number, ch: number, nCh: number, a: number, b: number, out: number): void;
  cumulative(e: number, n: number, ch: number, nCh: number, out: number): void;
  neighbours(
    L: number, inv: number, cart: number, n: number, cutoff: number, nc: number, reach: number,
    types: number, nT: number, pairCut: number, centres: number, nCentres: number, offsets: number, res: number,
  ): void;
  countByGroup(offsets: number, n: number, j: number, group: number, nGroups: number, out: number): void;
  countNeighbours(
    L: number, frac: number, n: number, nFrames: number, types: number, nT: number, pairCut: number,
    centres: number, nC: number, group: number, nG: number, nc: number, reach: number, out: number,
  ): void;
  assignSites(L: number, frac: number, n: number, refFrac: number, m: number, tol: number, nc: number, reach: number, index: number, dist: number): void;
  minImage(L: number, widths: number, fracA: number, fracB: number, n: number, out: number): void;
  project(cart: number, n: number, ax: number, ay: number, az: number, out: number): void;
  nebSpline(x: number, e: number, force: number, n: number, samples: number, xs: number, ys: number, res: number): void;
  segmentSums(values: number, keys: number, n: number, nKeys: number, sum: number, count: number): void;
  sqsAnneal(
    occ: number, n: number, nSpecies: number, group: number, sublattice: number, nSub: number, isTM: number,
    shells: number, pairOffsets: number, pairJ: number, pairTarget: number, pairScale: number,
    triangles: number, nO: number, triangleTarget: number, triangleWeight: number, classTM: number, classCount: number, classWeight: number,
    steps: number, t0: number, cool: number, seed: number, traceLength: number, trace: number, res: number,
  ): void;
}

const MODES: Record<IntegrationMode, number> = { interp: 0, mask: 1, bins: 2 };

/**
 * Bytes of input the scanner copies in per call: bounds the arena however large the input, and keeps the copy and
 * the values it yields in cache (64 KiB reads DOSCAR/vasprun.xml ~5–10% faster than 1 MiB).
 */
const SCAN_WINDOW = 1 << 16;

/** Bytes of fractional coordinates copied in per countNeighbours call. */
const COUNT_BATCH_BYTES = 16 << 20;

/** Instantiate the kernels from the module's bytes or a compiled module (Node and browsers alike). */
export async function createWasmKernels(source: BufferSource | WebAssembly.Module): Promise<Kernels> {
  return (await instantiateKernels(source)).kernels;
}

/** The kernels together with the instance's memory (for tests and benchmarks that watch its size). */
export async function instantiateKernels(source: BufferSource | WebAssembly.Module): Promise<{ kernels: Kernels; memory: WebAssembly.Memory }> {
  const imports = {
    env: {
      abort(): never {
        throw new Error('oxyscope WASM kernel aborted');
      },
    },
  };
  const instance =
    source instanceof WebAssembly.Module
      ? await WebAssembly.instantiate(source, imports)
      : (await WebAssembly.instantiate(source, imports)).instance;
  const exports = instance.exports as unknown as Exports;
  return { kernels: makeKernels(wasmEngine(exports)), memory: exports.memory };
}

function wasmEngine(x: Exports): Kernels {
  const buf = () => x.memory.buffer;
  const f64 = (ptr: number, n: number) => new Float64Array(buf(), ptr, n);
  const i32 = (ptr: number, n: number) => new Int32Array(buf(), ptr, n);
  const putF64 = (a: ArrayLike<number>) => {
    const p = x.alloc(a.length * 8);
    f64(p, a.length).set(a);
    return p;
  };
  const putI32 = (a: ArrayLike<number>) => {
    const p = x.alloc(a.length * 4);
    i32(p, a.length).set(a);
    return p;
  };
  const run = <T>(body: () => T): T => {
    try {
      return body();
    } finally {
      x.reset();
    }
  };

  function scan(bytes: Uint8Array, options: ScanOptions = {}): ScanResult {
    const { final, given, base, max, xmlRow, textRow, fill0, out: first } = scanSettings(bytes, options);
    const n = bytes.length;
    let out = first;
    let fill = fill0;
    let count = 0, fast = 0, slow = 0, errorOffset = -1, consumed = 0, newlines = 0;
    let pos = 0;
    let window = SCAN_WINDOW;
    return run(() => {
      for (;;) {
        x.reset();
        const end = Math.min(n, pos + window);
        const len = end - pos;
        const last = end === n;
        // one more than the window can hold, so only maxValues or `out` can fill it
        const cap = Math.min(Math.floor(len / 2) + 2, max - count);
        const inPtr = x.alloc(len + 1);
        const input = new Uint8Array(buf(), inPtr, len + 1);
        input.set(bytes.subarray(pos, end));
        input[len] = 32; // the sentinel the scanner relies on
        const outPtr = x.alloc(cap * 8);
        // room for a slow record per value, so a call never stops for want of it
        const slowPtr = x.alloc(cap * 12);
        const res = x.alloc(32);
        x.scan(inPtr, len, last && final ? 1 : 0, cap, outPtr, slowPtr, cap, res, xmlRow, textRow, fill);
        const [c, cons, err, f, s, nl, reason, rowFill] = i32(res, 8);
        fill = rowFill;
        if (!given && count + c > out.length) {
          const g = new Float64Array(Math.max(2 * out.length, count + c));
          g.set(out.subarray(0, count));
          out = g;
        }
        const at = base + count;
        out.set(f64(outPtr, c), at);
        const rec = i32(slowPtr, 3 * s);
        for (let k = 0; k < s; k++) {
          const v = slowValue(bytes, pos + rec[3 * k + 1], pos + rec[3 * k + 2]);
          // a long mantissa beyond a double: the JS engine stops there (row rules and all), so its result is the contract
          if (!Number.isFinite(v)) return jsScan(bytes, options);
          out[at + rec[3 * k]] = v;
        }
        count += c;
        fast += f;
        slow += s;
        newlines += nl;
        const next = pos + cons;
        // a row cut by the window can look like a full output (its values might exceed the window's share)
        const full = reason === 1 && count + Math.max(1, xmlRow) > max;
        // anything but running out of this window (a full output, a tag, a bad token) ends the whole scan
        if (err >= 0 || reason === 2 || full || last) {
          consumed = next;
          if (err >= 0) errorOffset = pos + err;
          break;
        }
        // a token (or row) longer than the window: widen it
        if (next === pos) window *= 2;
        pos = next;
      }
      return { values: out.subarray(base, base + count), count, consumed, errorOffset, newlines, stats: { fast, slow }, ...(textRow > 0 ? { rowFill: fill } : {}) };
    });
  }

  /**
   * Copy into the arena only the grid points a window integral reads (one point beyond each edge), one `.set`
   * per channel: the kernels touch nothing else, and copying a whole PDOS block per window would cost far more
   * than the integral. Returns the pointers and the sub-grid length.
   */
  function putWindow(energies: Float64Array, channels: Float64Array, nChannels: number, lo: number, hi: number) {
    const n = energies.length;
    const m = hi - lo;
    const e = putF64(energies.subarray(lo, hi));
    const ch = x.alloc(nChannels * m * 8);
    const view = f64(ch, nChannels * m);
    if (m === n) view.set(channels);
    else for (let c = 0; c < nChannels; c++) view.set(channels.subarray(c * n + lo, c * n + hi), c * m);
    return { e, ch, m };
  }

  function integrate(energies: Float64Array, channels: Float64Array, nChannels: number, a: number, b: number, mode: IntegrationMode): Float64Array {
    const n = energies.length;
    const lo = Math.max(0, (mode === 'bins' ? firstAbove(energies, a) : firstAtLeast(energies, a)) - 1);
    const hi = Math.min(n, firstAbove(energies, b) + 1);
    return run(() => {
      const { e, ch, m } = putWindow(energies, channels, nChannels, lo, Math.max(hi, lo + 1));
      const out = x.alloc(nChannels * 8);
      x.integrate(e, m, ch, nChannels, a, b, MODES[mode], out);
      return f64(out, nChannels).slice();
    });
  }

  function moments(energies: Float64Array, channels: Float64Array, nChannels: number, a: number, b: number): Moments {
    const n = energies.length;
    const lo = Math.max(0, firstAtLeast(energies, a) - 1);
    const hi = Math.min(n, firstAbove(energies, b) + 1);
    return run(() => {
      const { e, ch, m } = putWindow(energies, channels, nChannels, lo, Math.max(hi, lo + 1));
      const out = x.alloc(3 * nChannels * 8);
      x.moments(e, m, ch, nChannels, a, b, out);
      const all = f64(out, 3 * nChannels).slice();
      return { integral: all.subarray(0, nChannels), center: all.subarray(nChannels, 2 * nChannels), width: all.subarray(2 * nChannels) };
    });
  }

  function cumulative(energies: Float64Array, channels: Float64Array, nChannels: number): Float64Array {
    const n = energies.length;
    const result = new Float64Array(channels.length);
    // channels go through in batches of ~4 MiB so the arena stays small for any PDOS size
    const batch = Math.max(1, Math.min(nChannels, Math.floor((1 << 19) / n)));
    return run(() => {
      const e = putF64(energies);
      const ch = x.alloc(batch * n * 8);
      const out = x.alloc(batch * n * 8);
      for (let c0 = 0; c0 < nChannels; c0 += batch) {
        const k = Math.min(batch, nChannels - c0);
        f64(ch, k * n).set(channels.subarray(c0 * n, (c0 + k) * n));
        x.cumulative(e, n, ch, k, out);
        result.set(f64(out, k * n), c0 * n);
      }
      return result;
    });
  }

  function neighbours(lattice: Float64Array, cart: Float64Array, cutoff: number, options: NeighbourOptions = {}): NeighbourList {
    const n = cart.length / 3;
    const { nc, reach } = gridShape(lattice, cutoff, n);
    const inv = invert3(lattice);
    return run(() => {
      const L = putF64(lattice);
      const ip = putF64(inv);
      const cp = putF64(cart);
      const ncp = putI32(nc);
      const rp = putI32(reach);
      const per = options.pairCutoffs !== undefined;
      const tp = per ? putI32(options.types!) : 0;
      const pcp = per ? putF64(options.pairCutoffs!) : 0;
      const cen = options.centres ? putI32(options.centres) : 0;
      const offsets = x.alloc((n + 1) * 4);
      const res = x.alloc(16);
      x.neighbours(L, ip, cp, n, cutoff, ncp, rp, tp, per ? options.nTypes! : 0, pcp, cen, options.centres?.length ?? 0, offsets, res);
      const [np, jp, imgp, dp] = i32(res, 4);
      return { offsets: i32(offsets, n + 1).slice(), j: i32(jp, np).slice(), image: i32(imgp, 3 * np).slice(), dist: f64(dp, np).slice() };
    });
  }

  /**
   * Frames go through in batches of about COUNT_BATCH_BYTES of coordinates: the arena stays bounded for any
   * trajectory, and the per-call setup (tables, grid arrays) is shared by every frame of a batch.
   */
  function countNeighbours(lattice: Float64Array, frac: Float64Array, nFrames: number, cutoff: number, o: CountOptions): Int32Array {
    const n = o.group.length;
    const nC = o.centres.length;
    const per = nC * o.nGroups;
    let nTargets = 0;
    for (let j = 0; j < n; j++) if (o.group[j] >= 0) nTargets++;
    const { nc, reach } = gridShape(lattice, cutoff, nTargets);
    const result = new Int32Array(nFrames * per);
    const batch = Math.max(1, Math.min(nFrames, Math.floor(COUNT_BATCH_BYTES / Math.max(1, 24 * n))));
    return run(() => {
      const base = x.alloc(0);
      const L = putF64(lattice);
      const tp = putI32(o.types);
      const pcp = putF64(o.pairCutoffs);
      const cen = putI32(o.centres);
      const gp = putI32(o.group);
      const ncp = putI32(nc);
      const rp = putI32(reach);
      const fp = x.alloc(batch * n * 24);
      const out = x.alloc(batch * per * 4);
      const top = x.alloc(0);
      for (let f0 = 0; f0 < nFrames; f0 += batch) {
        const k = Math.min(batch, nFrames - f0);
        // the kernel's scratch lives above `top`; views are taken after each call (memory may have grown)
        f64(fp, k * n * 3).set(frac.subarray(f0 * n * 3, (f0 + k) * n * 3));
        x.countNeighbours(L, fp, n, k, tp, o.nTypes, pcp, cen, nC, gp, o.nGroups, ncp, rp, out);
        result.set(i32(out, k * per), f0 * per);
        x.reset();
        x.alloc(top - base);
      }
      return result;
    });
  }

  function countByGroup(list: NeighbourList, group: Int32Array, nGroups: number): Int32Array {
    const n = list.offsets.length - 1;
    return run(() => {
      const op = putI32(list.offsets);
      const jp = putI32(list.j);
      const gp = putI32(group);
      const out = x.alloc(n * nGroups * 4);
      x.countByGroup(op, n, jp, gp, nGroups, out);
      return i32(out, n * nGroups).slice();
    });
  }

  function minImage(lattice: Float64Array, fracA: Float64Array, fracB: Float64Array): Float64Array {
    const widths = perpendicularWidths(lattice);
    return run(() => {
      const L = putF64(lattice);
      const w = putF64(widths);
      const a = putF64(fracA);
      const b = putF64(fracB);
      const out = x.alloc(fracA.length * 8);
      x.minImage(L, w, a, b, fracA.length / 3, out);
      return f64(out, fracA.length).slice();
    });
  }

  function assignSites(lattice: Float64Array, frac: Float64Array, refFrac: Float64Array, tol: number): SiteAssignment {
    const n = frac.length / 3;
    const m = refFrac.length / 3;
    const { nc, reach } = gridShape(lattice, tol, m);
    return run(() => {
      const L = putF64(lattice);
      const fp = putF64(frac);
      const rp = putF64(refFrac);
      const ncp = putI32(nc);
      const rch = putI32(reach);
      const index = x.alloc(n * 4);
      const dist = x.alloc(n * 8);
      x.assignSites(L, fp, n, rp, m, tol, ncp, rch, index, dist);
      return { index: i32(index, n).slice(), dist: f64(dist, n).slice() };
    });
  }

  function project(cart: Float64Array, axis: Float64Array): Float64Array {
    const n = cart.length / 3;
    return run(() => {
      const cp = putF64(cart);
      const out = x.alloc(n * 8);
      x.project(cp, n, axis[0], axis[1], axis[2], out);
      return f64(out, n).slice();
    });
  }

  function nebSpline(xs: Float64Array, energies: Float64Array, tangentForces: Float64Array, samples: number): NebFit {
    const n = xs.length;
    return run(() => {
      const xp = putF64(xs);
      const ep = putF64(energies);
      const fp = putF64(tangentForces);
      const sx = x.alloc(samples * 8);
      const sy = x.alloc(samples * 8);
      const res = x.alloc(32);
      x.nebSpline(xp, ep, fp, n, samples, sx, sy, res);
      const [max, xMax, min, xMin] = f64(res, 4);
      return { x: Float64Array.from(xs), xs: f64(sx, samples).slice(), ys: f64(sy, samples).slice(), max, xMax, min, xMin };
    });
  }

  function segmentSums(values: Float64Array, keys: Int32Array, nKeys: number): SegmentSums {
    return run(() => {
      const vp = putF64(values);
      const kp = putI32(keys);
      const sum = x.alloc(nKeys * 8);
      const count = x.alloc(nKeys * 4);
      x.segmentSums(vp, kp, values.length, nKeys, sum, count);
      return { sum: f64(sum, nKeys).slice(), count: i32(count, nKeys).slice() };
    });
  }

  function sqsAnneal(p: SqsProblem): SqsResult {
    const n = p.occupation.length;
    return run(() => {
      const occ = putI32(p.occupation);
      const args = [putI32(p.group), putI32(p.sublattice), p.nSublattices, putI32(p.isTM), p.nShells, putI32(p.pairOffsets), putI32(p.pairJ), putF64(p.pairTarget), putF64(p.pairScale)] as const;
      const tri = putI32(p.triangles);
      const tt = putF64(p.triangleTarget);
      const trace = x.alloc(p.traceLength * 8);
      const res = x.alloc(16);
      x.sqsAnneal(occ, n, p.nSpecies, ...args, tri, p.triangles.length / 6, tt, p.triangleWeight, p.classTM, p.classCount, p.classWeight, p.steps, p.t0, p.cool, p.seed, p.traceLength, trace, res);
      // the kernel allocates its scratch in the arena: memory may have grown, so every view is taken afresh
      return { occupation: i32(occ, n).slice(), objective: f64(res, 1)[0], trace: f64(trace, p.traceLength).slice(), accepted: i32(res + 8, 1)[0] };
    });
  }

  return {
    engine: 'wasm',
    scan, integrate, moments, cumulative, neighbours, countNeighbours, countByGroup, minImage, assignSites, project, nebSpline, segmentSums, sqsAnneal,
  };
}
