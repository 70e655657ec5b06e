/**
 * The one kernel contract. Two engines implement it: `wasm` (AssemblyScript, assembly/) and `js` (the twin in
 * js.ts). Kernels are pure functions over typed arrays and numbers. Inputs are validated once, in the facade
 * (validate.ts), before either engine runs, because release WASM builds carry no asserts.
 *
 * Units: lengths in Å, energies in eV, lattices as 9 numbers (rows a, b, c).
 */
export type Engine = 'wasm' | 'js';

export interface ScanStats {
  /**
   * tokens converted by an exact fast path: Clinger's (≤ 2^53 mantissa, |exp10| ≤ 22) in both engines, plus
   * Eisel–Lemire (≤ 19 digits, any exponent, normal results) in the WASM engine
   */
  fast: number;
  /** tokens that went through Number() of the decimal (JS: everything else; WASM: > 19 digits, subnormals) */
  slow: number;
}

export interface ScanResult {
  /** the numbers found, in order (a view of length `count`) */
  values: Float64Array;
  count: number;
  /**
   * Bytes consumed. With `final: false` the scan stops before a token that touches the end of the chunk
   * (it may continue in the next chunk); the caller re-feeds bytes[consumed..] with the next chunk.
   */
  consumed: number;
  /** byte offset of the first malformed token (`****`, letters, two dots …) or number beyond a double (`1e999`), or -1 */
  errorOffset: number;
  /** newlines in bytes[0 .. consumed) (readers keep line numbers without a pass of their own) */
  newlines: number;
  stats: ScanStats;
  /** with `rowLength`: values on the line at `consumed` (pass it as `rowFill` to scan on from there) */
  rowFill?: number;
}

export interface ScanOptions {
  /** this is the last chunk: a token touching the end is complete (default true) */
  final?: boolean;
  /** stop after this many values (default: no limit); `consumed` then points just after the last one */
  maxValues?: number;
  /**
   * Write the values into this array from `outOffset` on instead of a fresh one (`values` is then a view of it):
   * no allocation per call, and a reader can scan straight into the array it returns or reuse one scratch
   * array. The scan stops when the array is full, as with `maxValues`.
   */
  out?: Float64Array;
  outOffset?: number;
  /**
   * vasprun.xml rows: the text is `<r> … </r>` rows of exactly this many numbers. The two tags count as
   * whitespace (a number may touch them); a number outside a row, a row of another length, a nested or stray
   * tag, or a row left open at the end of the final chunk is malformed (`errorOffset` points at it); any other
   * `<` outside a row ends the scan there (`consumed` points at it). The scan stops only between rows: `count`
   * and `consumed` cover complete rows (on an error too), and `maxValues` / `out` stop before the row that
   * would not fit.
   */
  xmlRowLength?: number;
  /**
   * Text rows (POSCAR, XDATCAR coordinates): every line holds exactly this many values. A value beyond a line's
   * `rowLength`, a newline ending a line of fewer values (a blank line too) and, in the final chunk, a last line
   * of fewer are malformed (`errorOffset` at that value, newline or the end). A block of 3N numbers can otherwise
   * still be a row of 2 and a row of 4. Not with `xmlRowLength`.
   */
  rowLength?: number;
  /** with `rowLength`: values already on the line the bytes begin in (default 0: the bytes begin a line) */
  rowFill?: number;
}

/**
 * Window integration modes (definitions in js/integrate.ts): `interp` trapezoid with ρ interpolated at both
 * edges (exact for piecewise-linear ρ; default); `mask` trapezoid over grid points with a ≤ E ≤ b (pymatgen
 * `get_n_moment`); `bins` VASP's histogram Σ ρ_i·ΔE_i over a < E_i ≤ b (the integrated-DOS column's rule).
 */
export type IntegrationMode = 'interp' | 'mask' | 'bins';

export interface Moments {
  /** ∫ρ over the window, per channel */
  integral: Float64Array;
  /** first moment ∫Eρ/∫ρ (band centre), per channel, eV; NaN when ∫ρ = 0 */
  center: Float64Array;
  /** sqrt of the second central moment (band width), per channel, eV; NaN when ∫ρ = 0 */
  width: Float64Array;
}

/**
 * Neighbour pairs in CSR form: pairs of centre i are j[offsets[i] .. offsets[i+1]). Rows are indexed by site
 * (offsets has N + 1 entries); with `centres`, the other sites have empty rows. Pairs within a row come in
 * the search's cell order, identical in both engines, not sorted by distance.
 */
export interface NeighbourList {
  offsets: Int32Array;
  j: Int32Array;
  /** lattice translation of j for each pair, 3 integers per pair: r_ij = r_j + image·L − r_i */
  image: Int32Array;
  /** distance in Å per pair */
  dist: Float64Array;
}

export interface NeighbourOptions {
  /**
   * Per-pair cutoffs: type of each site (0 … nTypes−1) and an nTypes×nTypes symmetric matrix of cutoffs (Å).
   * A pair is kept when dist ≤ cutoffs[type_i * nTypes + type_j]; the global `cutoff` bounds the search
   * and must be ≥ every entry. Entries ≤ 0 exclude that pair of types.
   */
  types?: Int32Array;
  nTypes?: number;
  pairCutoffs?: Float64Array;
  /** only these sites are centres (default all); pairs still reach every site */
  centres?: Int32Array;
}

export interface CountOptions {
  /** per-pair cutoffs as in NeighbourOptions (required here): type of each site, nTypes×nTypes symmetric matrix, Å */
  types: Int32Array;
  nTypes: number;
  pairCutoffs: Float64Array;
  /** the sites whose neighbours are counted */
  centres: Int32Array;
  /** group of each site (0 … nGroups−1) as it is counted; sites with a group < 0 are never counted */
  group: Int32Array;
  nGroups: number;
}

export interface SiteAssignment {
  /** index of the nearest reference site per site, or -1 when farther than the tolerance; ties go to the lower index */
  index: Int32Array;
  /** minimum-image distance to that reference site, Å; NaN when index is -1 */
  dist: Float64Array;
}

export interface NebFit {
  /** reaction coordinate of each image (cumulative minimum-image path length, Å) — as given */
  x: Float64Array;
  /** sampled curve */
  xs: Float64Array;
  ys: Float64Array;
  /** maximum of the fitted curve within [0, L] and where it is */
  max: number;
  xMax: number;
  /** minimum of the fitted curve within [0, L] */
  min: number;
  xMin: number;
}

export interface SegmentSums {
  sum: Float64Array;
  count: Int32Array;
}

/**
 * An SQS annealing problem on the cation sites of a layered oxide (definitions in src/build/sqs/objective.ts).
 * Objective F = Σ_key pairScale·(C_key − pairTarget_key)² + triangleWeight·Σ_b (h_b/nO − triangleTarget_b)²
 * + classWeight·(n_class − classCount)², where C_key counts ordered in-plane pairs of one sublattice, shell and
 * unordered species pair (key = ((sub·nShells + s)·nSpecies + X)·nSpecies + Y, X ≤ Y), h_b is the number of O whose
 * TM-layer triangle holds t TM and whose Li-layer triangle holds u TM (b = 4t + u), and n_class the number of O
 * with t + u = classTM. Metropolis swaps of two sites of one group holding different species; temperature
 * t0·cool^k at step k; the random stream is xoshiro128** seeded by splitmix32(seed), identical in both engines.
 */
export interface SqsProblem {
  /** species (0 … nSpecies−1) of every cation site at the start */
  occupation: Int32Array;
  nSpecies: number;
  /** swap group of every site (sites exchange only within a group); −1: fixed */
  group: Int32Array;
  /** sublattice of every site (0 … nSublattices−1), part of the pair key */
  sublattice: Int32Array;
  nSublattices: number;
  /** 1 for species counted as TM by the triangles, per species */
  isTM: Int32Array;
  /** in-plane neighbours of site i in shell s: pairJ[pairOffsets[i·nShells + s] … pairOffsets[i·nShells + s + 1]) */
  nShells: number;
  pairOffsets: Int32Array;
  pairJ: Int32Array;
  /** per pair key (nSublattices·nShells·nSpecies² entries): target count and weight (0 leaves the key out) */
  pairTarget: Float64Array;
  pairScale: Float64Array;
  /** 6 cation sites per O: three of its TM-layer triangle, then three of its Li-layer triangle */
  triangles: Int32Array;
  /** target share of the O in each of the 16 (t, u) bins */
  triangleTarget: Float64Array;
  triangleWeight: number;
  /** t + u of the target class (−1: no class term), target number of O in it, weight */
  classTM: number;
  classCount: number;
  classWeight: number;
  steps: number;
  t0: number;
  /** temperature factor per step */
  cool: number;
  seed: number;
  /** objective values recorded, evenly spaced over the steps (the last after the final step) */
  traceLength: number;
}

export interface SqsResult {
  /** occupation after the last step */
  occupation: Int32Array;
  /** objective of that occupation, recomputed from scratch */
  objective: number;
  /** current objective at evenly spaced steps */
  trace: Float64Array;
  accepted: number;
}

export interface Kernels {
  readonly engine: Engine;

  /** Whitespace-separated decimals → Float64Array; each value equals JS Number() of its token (D exponents and Fortran `1.0-100` fused exponents understood). */
  scan(bytes: Uint8Array, options?: ScanOptions): ScanResult;

  /**
   * ∫ over [a, b] of each of `nChannels` channels stored one after another (channel c at
   * channels[c*n .. c*n+n), n = energies.length), energies strictly increasing.
   */
  integrate(energies: Float64Array, channels: Float64Array, nChannels: number, a: number, b: number, mode: IntegrationMode): Float64Array;

  /**
   * Integral, centre and width over [a, b]: the `interp` rule applied to ρ, E·ρ and (E − centre)²·ρ. With a and b
   * on grid points this equals pymatgen's `get_band_center` and `sqrt(get_n_moment(2))`.
   */
  moments(energies: Float64Array, channels: Float64Array, nChannels: number, a: number, b: number): Moments;

  /** Cumulative trapezoid integral of each channel from the first energy (ICOHP from COHP). */
  cumulative(energies: Float64Array, channels: Float64Array, nChannels: number): Float64Array;

  /** All pairs i≠j (and periodic images of i itself) with distance ≤ cutoff under periodic boundaries, any triclinic cell. */
  neighbours(lattice: Float64Array, cart: Float64Array, cutoff: number, options?: NeighbourOptions): NeighbourList;

  /**
   * Neighbour counts without the pair list, for `nFrames` frames of one cell (fractional coordinates, frame-major,
   * nFrames × N × 3): out[(frame · nCentres + k) · nGroups + group[j]] counts the sites j ≠ centres[k] (and periodic
   * images of the centre itself) with dist ≤ pairCutoffs[type_i, type_j] and group[j] ≥ 0. The grid shape, the
   * cutoff table and the neighbour-cell tables are set up once per call and reused for every frame; only the binning
   * is per frame. Counts equal countByGroup over `neighbours` with the same cutoffs (up to the last ulp of the
   * fractional coordinates: `neighbours` derives them from Cartesian ones). `cutoff` bounds the search as there.
   */
  countNeighbours(lattice: Float64Array, frac: Float64Array, nFrames: number, cutoff: number, options: CountOptions): Int32Array;

  /** Per-centre counts of neighbours by group: out[i * nGroups + group[j]] (groups < 0 are not counted). */
  countByGroup(list: NeighbourList, group: Int32Array, nGroups: number): Int32Array;

  /** Minimum-image Cartesian displacement (Å) from configuration A to B, both fractional, per site (3N). Correct for skewed cells. */
  minImage(lattice: Float64Array, fracA: Float64Array, fracB: Float64Array): Float64Array;

  /** Nearest reference site (minimum image) for each site within `tol` Å. */
  assignSites(lattice: Float64Array, frac: Float64Array, refFrac: Float64Array, tol: number): SiteAssignment;

  /** Height of each Cartesian position along a unit axis (Å). */
  project(cart: Float64Array, axis: Float64Array): Float64Array;

  /**
   * Force-aware NEB profile: piecewise cubic Hermite through (x_i, E_i) with slopes −F∥_i (VTST/ASE);
   * NaN forces fall back to a zero slope at the ends and a finite-difference slope inside. Sampled at `samples` points.
   */
  nebSpline(x: Float64Array, energies: Float64Array, tangentForces: Float64Array, samples: number): NebFit;

  /** Sums and counts of values by integer key in [0, nKeys) (keys < 0 skipped). */
  segmentSums(values: Float64Array, keys: Int32Array, nKeys: number): SegmentSums;

  /** Simulated annealing of an SQS occupation (see SqsProblem); the same seed gives the same result in both engines. */
  sqsAnneal(problem: SqsProblem): SqsResult;
}
