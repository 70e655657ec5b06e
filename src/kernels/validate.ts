import { KernelInputError } from '../errors.js';
import { det3 } from '../math/lattice.js';
import type { Kernels, NeighbourOptions, SqsProblem } from './types.js';
import { perpendicularWidths } from './js/cell.js';

/**
 * Input validation shared by both engines. Release WASM builds carry no asserts and the JS twin trusts its
 * inputs, so every contract check lives here, once: array lengths, finite coordinates, strictly increasing
 * energy grids, invertible cells, ordered windows, positive cutoffs, and a bound on the work a periodic search
 * may do (a tiny cell with a huge cutoff would otherwise enumerate millions of images and exhaust memory).
 */

/** Most lattice images a periodic search may visit per centre. */
export const MAX_IMAGES = 1_000_000;
/** Most neighbour pairs a search may be expected to return (≈ 24 bytes each). */
export const MAX_PAIRS = 50_000_000;

export function makeKernels(engine: Kernels): Kernels {
  return {
    engine: engine.engine,
    scan(bytes, options = {}) {
      const k = 'scan';
      if (!(bytes instanceof Uint8Array)) fail(k, 'bytes must be a Uint8Array');
      if (options.maxValues !== undefined && !(Number.isInteger(options.maxValues) && options.maxValues >= 0)) {
        fail(k, `maxValues must be a non-negative integer, got ${options.maxValues}`);
      }
      if (options.out !== undefined && !(options.out instanceof Float64Array)) fail(k, 'out must be a Float64Array');
      const off = options.outOffset;
      if (off !== undefined && !(options.out && Number.isInteger(off) && off >= 0 && off <= options.out.length)) {
        fail(k, `outOffset must be an integer within out (0 … ${options.out?.length ?? 0}), got ${off}`);
      }
      const row = options.xmlRowLength;
      if (row !== undefined && !(Number.isInteger(row) && row >= 1)) fail(k, `xmlRowLength must be a positive integer, got ${row}`);
      const text = options.rowLength;
      if (text !== undefined && !(Number.isInteger(text) && text >= 1)) fail(k, `rowLength must be a positive integer, got ${text}`);
      if (text !== undefined && row !== undefined) fail(k, 'rowLength and xmlRowLength exclude each other');
      const fill = options.rowFill;
      if (fill !== undefined && !(text !== undefined && Number.isInteger(fill) && fill >= 0 && fill <= text)) fail(k, `rowFill must be an integer in [0, rowLength], got ${fill}`);
      return engine.scan(bytes, options);
    },
    integrate(energies, channels, nChannels, a, b, mode) {
      const k = 'integrate';
      checkGrid(k, energies, channels, nChannels);
      checkWindow(k, a, b);
      if (mode !== 'interp' && mode !== 'mask' && mode !== 'bins') fail(k, `mode must be interp, mask or bins, got ${String(mode)}`);
      return engine.integrate(energies, channels, nChannels, a, b, mode);
    },
    moments(energies, channels, nChannels, a, b) {
      const k = 'moments';
      checkGrid(k, energies, channels, nChannels);
      checkWindow(k, a, b);
      return engine.moments(energies, channels, nChannels, a, b);
    },
    cumulative(energies, channels, nChannels) {
      checkGrid('cumulative', energies, channels, nChannels);
      return engine.cumulative(energies, channels, nChannels);
    },
    neighbours(lattice, cart, cutoff, options = {}) {
      const k = 'neighbours';
      checkLattice(k, lattice);
      checkCoords(k, 'cart', cart);
      if (!(Number.isFinite(cutoff) && cutoff > 0)) fail(k, `cutoff must be a positive finite number of Å, got ${cutoff}`);
      const n = cart.length / 3;
      checkNeighbourOptions(k, options, n, cutoff);
      const nCentres = options.centres ? options.centres.length : n;
      checkSearchSize(k, lattice, cutoff, n, nCentres);
      return engine.neighbours(lattice, cart, cutoff, options);
    },
    countNeighbours(lattice, frac, nFrames, cutoff, options) {
      const k = 'countNeighbours';
      checkLattice(k, lattice);
      checkCount(k, 'nFrames', nFrames);
      if (!(Number.isFinite(cutoff) && cutoff > 0)) fail(k, `cutoff must be a positive finite number of Å, got ${cutoff}`);
      const { group, nGroups, centres } = options;
      const n = group.length;
      if (frac.length !== 3 * n * nFrames) fail(k, `frac has ${frac.length} values, expected nFrames × sites × 3 = ${nFrames} × ${n} × 3`);
      checkCoords(k, 'frac', frac);
      if (!options.types || !options.pairCutoffs || options.nTypes === undefined || !centres) fail(k, 'types, nTypes, pairCutoffs and centres are required');
      checkNeighbourOptions(k, options, n, cutoff);
      checkCount(k, 'nGroups', nGroups);
      for (let i = 0; i < n; i++) if (group[i] >= nGroups) fail(k, `group[${i}] = ${group[i]} is not below nGroups = ${nGroups}`);
      if (nFrames * centres.length * nGroups > 2 ** 30) fail(k, `${nFrames} frames × ${centres.length} centres × ${nGroups} groups is too many counts`);
      checkImages(k, lattice, cutoff);
      return engine.countNeighbours(lattice, frac, nFrames, cutoff, options);
    },
    countByGroup(list, group, nGroups) {
      const k = 'countByGroup';
      checkCount(k, 'nGroups', nGroups);
      const n = list.offsets.length - 1;
      if (n < 0) fail(k, 'offsets must have N + 1 entries');
      if (group.length !== n) fail(k, `group has ${group.length} entries for ${n} sites`);
      if (list.offsets[n] !== list.j.length) fail(k, 'offsets do not match the pair arrays');
      for (let i = 0; i < n; i++) {
        if (group[i] >= nGroups) fail(k, `group[${i}] = ${group[i]} is not below nGroups = ${nGroups}`);
      }
      for (let p = 0; p < list.j.length; p++) {
        if (!(list.j[p] >= 0 && list.j[p] < n)) fail(k, `pair ${p} names site ${list.j[p]} outside [0, ${n})`);
      }
      return engine.countByGroup(list, group, nGroups);
    },
    minImage(lattice, fracA, fracB) {
      const k = 'minImage';
      checkLattice(k, lattice);
      checkCoords(k, 'fracA', fracA);
      checkCoords(k, 'fracB', fracB);
      if (fracA.length !== fracB.length) fail(k, `fracA has ${fracA.length / 3} sites, fracB ${fracB.length / 3}`);
      return engine.minImage(lattice, fracA, fracB);
    },
    assignSites(lattice, frac, refFrac, tol) {
      const k = 'assignSites';
      checkLattice(k, lattice);
      checkCoords(k, 'frac', frac);
      checkCoords(k, 'refFrac', refFrac);
      if (!(Number.isFinite(tol) && tol > 0)) fail(k, `tol must be a positive finite number of Å, got ${tol}`);
      checkImages(k, lattice, tol);
      return engine.assignSites(lattice, frac, refFrac, tol);
    },
    project(cart, axis) {
      const k = 'project';
      checkCoords(k, 'cart', cart);
      if (axis.length !== 3 || !axis.every(Number.isFinite)) fail(k, 'axis must be 3 finite numbers');
      const norm = Math.hypot(axis[0], axis[1], axis[2]);
      if (Math.abs(norm - 1) > 1e-6) fail(k, `axis must be a unit vector, its length is ${norm}`);
      return engine.project(cart, axis);
    },
    nebSpline(x, energies, tangentForces, samples) {
      const k = 'nebSpline';
      if (x.length < 2) fail(k, `need at least 2 images, got ${x.length}`);
      if (energies.length !== x.length || tangentForces.length !== x.length) {
        fail(k, `x, energies and tangentForces must have the same length (${x.length}, ${energies.length}, ${tangentForces.length})`);
      }
      checkIncreasing(k, 'x', x);
      for (let i = 0; i < energies.length; i++) if (!Number.isFinite(energies[i])) fail(k, `energies[${i}] is not finite`);
      for (let i = 0; i < tangentForces.length; i++) {
        if (!Number.isFinite(tangentForces[i]) && !Number.isNaN(tangentForces[i])) fail(k, `tangentForces[${i}] is infinite`);
      }
      if (!(Number.isInteger(samples) && samples >= 2 && samples <= 1e7)) fail(k, `samples must be an integer in [2, 1e7], got ${samples}`);
      return engine.nebSpline(x, energies, tangentForces, samples);
    },
    segmentSums(values, keys, nKeys) {
      const k = 'segmentSums';
      checkCount(k, 'nKeys', nKeys);
      if (values.length !== keys.length) fail(k, `values has ${values.length} entries, keys ${keys.length}`);
      for (let i = 0; i < keys.length; i++) if (keys[i] >= nKeys) fail(k, `keys[${i}] = ${keys[i]} is not below nKeys = ${nKeys}`);
      return engine.segmentSums(values, keys, nKeys);
    },
    sqsAnneal(problem) {
      checkSqs(problem);
      return engine.sqsAnneal(problem);
    },
  };
}

function fail(kernel: string, message: string): never {
  throw new KernelInputError(kernel, message);
}

function checkCount(k: string, name: string, v: number): void {
  if (!(Number.isInteger(v) && v >= 0 && v <= 2 ** 30)) fail(k, `${name} must be a non-negative integer, got ${v}`);
}

function checkIncreasing(k: string, name: string, e: Float64Array): void {
  for (let i = 0; i < e.length; i++) {
    if (!Number.isFinite(e[i])) fail(k, `${name}[${i}] is not finite`);
    if (i > 0 && !(e[i] > e[i - 1])) fail(k, `${name} must be strictly increasing: ${name}[${i - 1}] = ${e[i - 1]}, ${name}[${i}] = ${e[i]}`);
  }
}

function checkGrid(k: string, energies: Float64Array, channels: Float64Array, nChannels: number): void {
  checkCount(k, 'nChannels', nChannels);
  if (energies.length < 1) fail(k, 'the energy grid is empty');
  checkIncreasing(k, 'energies', energies);
  if (channels.length !== nChannels * energies.length) {
    fail(k, `channels has ${channels.length} values, expected nChannels × energies = ${nChannels} × ${energies.length}`);
  }
}

function checkWindow(k: string, a: number, b: number): void {
  if (Number.isNaN(a) || Number.isNaN(b)) fail(k, 'window bounds must not be NaN');
  if (!(a <= b)) fail(k, `window [${a}, ${b}] has a > b`);
}

function checkLattice(k: string, lattice: Float64Array): void {
  if (lattice.length !== 9) fail(k, `lattice must have 9 numbers, got ${lattice.length}`);
  if (!lattice.every(Number.isFinite)) fail(k, 'lattice has non-finite entries');
  const scale = Math.max(...lattice.map(Math.abs));
  const d = det3(lattice);
  if (!(Math.abs(d) > 1e-10 * scale ** 3) || Math.abs(d) < 1e-12) fail(k, `the cell is singular (det = ${d})`);
}

/** Coordinates beyond this (Å or fractional) are a unit mix-up, and would overflow the 32-bit image shifts. */
export const MAX_COORDINATE = 1e6;

function checkCoords(k: string, name: string, xyz: Float64Array): void {
  if (xyz.length % 3 !== 0) fail(k, `${name} length ${xyz.length} is not a multiple of 3`);
  for (let i = 0; i < xyz.length; i++) {
    const v = xyz[i];
    if (!(v >= -MAX_COORDINATE && v <= MAX_COORDINATE)) fail(k, `${name} of site ${(i / 3) | 0} is ${Number.isFinite(v) ? 'beyond ±1e6' : 'not finite'}: ${v}`);
  }
}

function checkNeighbourOptions(k: string, o: NeighbourOptions, n: number, cutoff: number): void {
  const { types, nTypes, pairCutoffs, centres } = o;
  if (types || nTypes !== undefined || pairCutoffs) {
    if (!types || nTypes === undefined || !pairCutoffs) fail(k, 'types, nTypes and pairCutoffs go together');
    checkCount(k, 'nTypes', nTypes);
    if (types.length !== n) fail(k, `types has ${types.length} entries for ${n} sites`);
    for (let i = 0; i < n; i++) if (!(types[i] >= 0 && types[i] < nTypes)) fail(k, `types[${i}] = ${types[i]} is outside [0, ${nTypes})`);
    if (pairCutoffs.length !== nTypes * nTypes) fail(k, `pairCutoffs must have nTypes² = ${nTypes * nTypes} entries`);
    for (let a = 0; a < nTypes; a++) {
      for (let b = 0; b < nTypes; b++) {
        const c = pairCutoffs[a * nTypes + b];
        if (Number.isNaN(c)) fail(k, `pairCutoffs[${a}, ${b}] is NaN`);
        if (c !== pairCutoffs[b * nTypes + a]) fail(k, `pairCutoffs is not symmetric at (${a}, ${b})`);
        if (c > cutoff) fail(k, `pairCutoffs[${a}, ${b}] = ${c} exceeds the search cutoff ${cutoff}`);
      }
    }
  }
  if (centres) {
    for (let i = 0; i < centres.length; i++) if (!(centres[i] >= 0 && centres[i] < n)) fail(k, `centres[${i}] = ${centres[i]} is outside [0, ${n})`);
  }
}

/** Images per centre a search with this cutoff visits when the cutoff exceeds the cell. */
function checkImages(k: string, lattice: Float64Array, cutoff: number): void {
  const w = perpendicularWidths(lattice);
  let images = 1;
  for (const wk of w) images *= 2 * Math.ceil(cutoff / wk) + 1;
  if (images > MAX_IMAGES) {
    fail(k, `cutoff ${cutoff} Å spans about ${images.toExponential(1)} cell images (perpendicular widths ${w.map((x) => x.toFixed(3)).join(', ')} Å); the limit is ${MAX_IMAGES}`);
  }
}

function checkSearchSize(k: string, lattice: Float64Array, cutoff: number, n: number, nCentres: number): void {
  checkImages(k, lattice, cutoff);
  const volume = Math.abs(det3(lattice));
  // expected pairs: every centre sees the sphere's share of all periodic copies of the n atoms
  const pairs = (nCentres * n * ((4 / 3) * Math.PI * cutoff ** 3)) / volume;
  if (pairs > MAX_PAIRS) {
    fail(k, `cutoff ${cutoff} Å would give about ${pairs.toExponential(1)} pairs for ${nCentres} centres; the limit is ${MAX_PAIRS}`);
  }
}

/** Most cation sites of an SQS problem: the random draw (32-bit × n) stays exact in a double below 2^53. */
export const MAX_SQS_SITES = 1 << 21;

function checkSqs(p: SqsProblem): void {
  const k = 'sqsAnneal';
  const n = p.occupation.length;
  if (!(n >= 1 && n <= MAX_SQS_SITES)) fail(k, `need 1 … ${MAX_SQS_SITES} sites, got ${n}`);
  checkCount(k, 'nSpecies', p.nSpecies);
  checkCount(k, 'nSublattices', p.nSublattices);
  checkCount(k, 'nShells', p.nShells);
  const inRange = (name: string, a: Int32Array, len: number, lo: number, hi: number) => {
    if (a.length !== len) fail(k, `${name} has ${a.length} entries, expected ${len}`);
    for (let i = 0; i < a.length; i++) if (!(a[i] >= lo && a[i] < hi)) fail(k, `${name}[${i}] = ${a[i]} is outside [${lo}, ${hi})`);
  };
  inRange('occupation', p.occupation, n, 0, p.nSpecies);
  inRange('group', p.group, n, -1, n);
  inRange('sublattice', p.sublattice, n, 0, p.nSublattices);
  inRange('isTM', p.isTM, p.nSpecies, 0, 2);
  const groupSub = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    if (p.group[i] < 0) continue;
    const s = groupSub.get(p.group[i]);
    if (s === undefined) groupSub.set(p.group[i], p.sublattice[i]);
    else if (s !== p.sublattice[i]) fail(k, `group ${p.group[i]} spans sublattices ${s} and ${p.sublattice[i]}; swaps stay within one sublattice`);
  }
  const off = p.pairOffsets;
  if (off.length !== n * p.nShells + 1 || off[0] !== 0 || off[off.length - 1] !== p.pairJ.length) fail(k, 'pairOffsets must have n·nShells + 1 entries from 0 to pairJ.length');
  for (let e = 1; e < off.length; e++) if (off[e] < off[e - 1]) fail(k, `pairOffsets decrease at ${e}`);
  inRange('pairJ', p.pairJ, p.pairJ.length, 0, n);
  // the incremental update counts each pair from both ends: every shell list must be symmetric, within one sublattice
  const ends = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < p.nShells; s++) {
      for (let e = off[i * p.nShells + s]; e < off[i * p.nShells + s + 1]; e++) {
        const j = p.pairJ[e];
        if (p.sublattice[j] !== p.sublattice[i]) fail(k, `shell ${s} pairs site ${i} with site ${j} of another sublattice`);
        const key = (s * n + Math.min(i, j)) * n + Math.max(i, j);
        ends.set(key, (ends.get(key) ?? 0) + (i <= j ? 1 : -1) + (i === j ? -1 : 0));
      }
    }
  }
  for (const [key, d] of ends) if (d !== 0) fail(k, `shell lists are not symmetric: shell ${Math.floor(key / n / n)}, sites ${Math.floor(key / n) % n} and ${key % n} are listed more often from one end`);
  const nKeys = p.nSublattices * p.nShells * p.nSpecies * p.nSpecies;
  if (nKeys > 1 << 24) fail(k, `${nKeys} pair keys is too many`);
  if (p.pairTarget.length !== nKeys || p.pairScale.length !== nKeys) fail(k, `pairTarget and pairScale need nSublattices·nShells·nSpecies² = ${nKeys} entries`);
  for (let e = 0; e < nKeys; e++) {
    if (!Number.isFinite(p.pairTarget[e]) || !(p.pairScale[e] >= 0 && Number.isFinite(p.pairScale[e]))) fail(k, `pair key ${e}: target and scale must be finite, scale ≥ 0`);
  }
  if (p.triangles.length % 6 !== 0) fail(k, 'triangles must hold 6 sites per O');
  inRange('triangles', p.triangles, p.triangles.length, 0, n);
  if (p.triangleTarget.length !== 16 || !p.triangleTarget.every(Number.isFinite)) fail(k, 'triangleTarget must be 16 finite numbers');
  for (const [name, v] of [['triangleWeight', p.triangleWeight], ['classWeight', p.classWeight], ['classCount', p.classCount]] as const) {
    if (!(Number.isFinite(v) && v >= 0)) fail(k, `${name} must be finite and ≥ 0, got ${v}`);
  }
  if (!(Number.isInteger(p.classTM) && p.classTM >= -1 && p.classTM <= 6)) fail(k, `classTM must be −1 … 6, got ${p.classTM}`);
  if (p.classTM >= 0 && p.triangles.length === 0) fail(k, 'a class term needs triangles');
  if (!(Number.isInteger(p.steps) && p.steps >= 0 && p.steps <= 2 ** 31 - 1)) fail(k, `steps must be an integer in [0, 2^31), got ${p.steps}`);
  if (!(Number.isFinite(p.t0) && p.t0 > 0 && Number.isFinite(p.cool) && p.cool > 0 && p.cool <= 1)) fail(k, 't0 must be > 0 and cool in (0, 1]');
  if (!(Number.isInteger(p.seed) && p.seed >= 0 && p.seed <= 0xffffffff)) fail(k, `seed must be an integer in [0, 2^32), got ${p.seed}`);
  if (!(Number.isInteger(p.traceLength) && p.traceLength >= 0 && p.traceLength <= 1e6)) fail(k, `traceLength must be an integer in [0, 1e6], got ${p.traceLength}`);
}
