import type { Kernels } from '../kernels/types.js';
import { shortContacts } from './contacts.js';
import type { NebPath } from '../model/neb.js';
import { MismatchError } from '../errors.js';
import { differentCell } from './series.js';

/**
 * NEB analysis: energy profile, barriers (highest image and force-aware spline), reaction coordinate and the
 * migrating atoms with their unwrapped path. Energies in eV, lengths in Å, forces in eV/Å; every number that the
 * run did not provide is `null` (JSON has no NaN).
 */

export interface NebImageRow {
  name: string;
  /** eV, relative to the reference image (the first image, or the first image with an energy; see `reference`) */
  energy: number | null;
  /** eV, as read (`energyKind`) */
  energyAbsolute: number | null;
  /** cumulative minimum-image path length from the first image, all atoms, Å */
  reactionCoordinate: number;
  /** VTST tangential force (REAL), eV/Å */
  tangentForce: number | null;
  /** largest per-atom force, eV/Å */
  maxForce: number | null;
  /** null: unknown (the energy came from an OSZICAR, which does not say) */
  converged: boolean | null;
}

export interface NebBarrier {
  /** highest image − reference (first) image, eV */
  forward: number | null;
  /** highest image − last image with an energy, eV */
  backward: number | null;
  /** name of the highest image */
  highestImage: string | null;
  /** maximum of the force-aware Hermite spline (within the images used) − reference image, eV */
  spline: number | null;
  /** reaction coordinate of the spline maximum, Å */
  splineReactionCoordinate: number | null;
  /** spline maximum − last image with an energy, eV */
  splineBackward: number | null;
  /**
   * `all-images`: both end points have energies (true barriers). `images-with-energies`: some images (usually the
   * end points, which the NEB job does not run) have no energy, so the numbers span only the images that do.
   */
  basis: 'all-images' | 'images-with-energies' | 'none';
  /** why a barrier is null or partial */
  note?: string;
}

export interface MigratingAtom {
  /** 0-based site index */
  index: number;
  species: string;
  /** |r_last − r_first| along the unwrapped path, Å */
  displacement: number;
  /** length of the unwrapped path through all images, Å */
  pathLength: number;
}

export interface NebAnalysis {
  folder: string;
  nImages: number;
  nSites: number;
  energyKind: NebPath['energyKind'];
  images: NebImageRow[];
  /** eV per image, relative to the reference image (null where the image has no energy) */
  energies: (number | null)[];
  /** eV per image, as read */
  energiesAbsolute: (number | null)[];
  /** Å per image */
  reactionCoordinate: number[];
  /** the image the relative energies and barriers are measured from */
  reference: { image: string; index: number; energy: number } | null;
  barrier: NebBarrier;
  /** the sampled spline (relative energies), for plots */
  spline: { x: number[]; energy: number[] } | null;
  /** atoms whose total displacement exceeds half the largest one, largest first */
  migratingAtoms: MigratingAtom[];
  /** unwrapped Cartesian positions (Å) of each migrating atom at every image */
  path: { index: number; species: string; positions: [number, number, number][] }[];
  warnings: string[];
}

export interface NebAnalysisOptions {
  /** spline samples over the path (default 201) */
  samples?: number;
  /** an atom migrates when its displacement exceeds this fraction of the largest one (default 0.5) */
  migratingFraction?: number;
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

function checkImages(path: NebPath): void {
  const n = path.images.length;
  if (n < 2) throw new MismatchError([path.folder], `an NEB path needs at least 2 images, found ${n}`);
  const first = path.images[0];
  for (let i = 1; i < n; i++) {
    const s = path.images[i];
    if (s.species.length !== first.species.length || s.species.some((sp, k) => sp !== first.species[k])) {
      throw new MismatchError(
        [`${path.folder}/${path.names[0]}`, `${path.folder}/${path.names[i]}`],
        `images hold different atoms (${first.species.length} vs ${s.species.length} sites or another species order)`,
      );
    }
  }
  for (const [what, len] of [['energies', path.energies.length], ['tangentForces', path.tangentForces.length], ['maxForces', path.maxForces.length], ['converged', path.converged.length], ['names', path.names.length]] as const) {
    if (len !== n) throw new MismatchError([path.folder], `${what} has ${len} entries for ${n} images`);
  }
}

/**
 * Positions of every atom at every image, unwrapped: image i = image i−1 + the minimum-image step, so an atom that
 * crosses the cell boundary keeps a continuous path. Also returns the cumulative path length (all atoms).
 */
function unwrap(path: NebPath, kernels: Kernels): { cart: Float64Array[]; x: Float64Array } {
  const n = path.images.length;
  const cart: Float64Array[] = [Float64Array.from(path.images[0].cart)];
  const x = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const step = kernels.minImage(path.images[i].lattice, path.images[i - 1].frac, path.images[i].frac);
    const prev = cart[i - 1];
    const next = new Float64Array(prev.length);
    let sq = 0;
    for (let k = 0; k < prev.length; k++) {
      next[k] = prev[k] + step[k];
      sq += step[k] * step[k];
    }
    cart.push(next);
    x[i] = x[i - 1] + Math.sqrt(sq);
  }
  return { cart, x };
}

function migrating(path: NebPath, cart: Float64Array[], fraction: number): MigratingAtom[] {
  const nSites = path.images[0].species.length;
  const first = cart[0];
  const last = cart[cart.length - 1];
  const atoms: MigratingAtom[] = [];
  for (let a = 0; a < nSites; a++) {
    const d = Math.hypot(last[3 * a] - first[3 * a], last[3 * a + 1] - first[3 * a + 1], last[3 * a + 2] - first[3 * a + 2]);
    let len = 0;
    for (let i = 1; i < cart.length; i++) {
      const p = cart[i - 1], q = cart[i];
      len += Math.hypot(q[3 * a] - p[3 * a], q[3 * a + 1] - p[3 * a + 1], q[3 * a + 2] - p[3 * a + 2]);
    }
    atoms.push({ index: a, species: path.images[0].species[a], displacement: d, pathLength: len });
  }
  const largest = atoms.reduce((m, t) => Math.max(m, t.displacement), 0);
  if (largest === 0) return [];
  return atoms
    .filter((t) => t.displacement > fraction * largest)
    .sort((p, q) => q.displacement - p.displacement || p.index - q.index);
}

export function nebAnalysis(path: NebPath, kernels: Kernels, options: NebAnalysisOptions = {}): NebAnalysis {
  checkImages(path);
  const n = path.images.length;
  const warnings: string[] = [...path.warnings];
  const cell = differentCell(path.images);
  if (cell) {
    warnings.push(`the cell of image ${path.names[cell.image]} differs from ${path.names[0]}'s by up to ${cell.maxDifference.toFixed(3)} Å: a variable-cell NEB or images of different runs; each step of the reaction coordinate uses the later image's cell`);
  }
  const { cart, x } = unwrap(path, kernels);

  const withEnergy: number[] = [];
  for (let i = 0; i < n; i++) if (Number.isFinite(path.energies[i])) withEnergy.push(i);
  const missing = path.names.filter((_, i) => !Number.isFinite(path.energies[i]));
  if (missing.length > 0) warnings.push(`no energy for image${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (no OUTCAR/OSZICAR there)`);
  const unconverged = path.names.filter((_, i) => Number.isFinite(path.energies[i]) && path.converged[i] === false);
  if (unconverged.length > 0) warnings.push(`image${unconverged.length > 1 ? 's' : ''} ${unconverged.join(', ')} did not reach the required accuracy`);
  const unknown = path.names.filter((_, i) => Number.isFinite(path.energies[i]) && path.converged[i] === null);
  if (unknown.length > 0) warnings.push(`convergence of image${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} unknown: the energy comes from an OSZICAR, which does not say whether the run reached the required accuracy (an OUTCAR does)`);
  path.images.forEach((img, i) => warnings.push(...shortContacts(img, kernels, 'O', `image ${path.names[i]}: `)));

  const refIndex = withEnergy.length > 0 ? withEnergy[0] : -1;
  const refEnergy = refIndex >= 0 ? path.energies[refIndex] : NaN;
  const relative = Array.from(path.energies, (e) => finite(e - refEnergy));

  const barrier: NebBarrier = { forward: null, backward: null, highestImage: null, spline: null, splineReactionCoordinate: null, splineBackward: null, basis: 'none' };
  let spline: NebAnalysis['spline'] = null;
  if (withEnergy.length < 2) {
    barrier.note = `barriers need energies on at least 2 images; ${withEnergy.length} image${withEnergy.length === 1 ? ' has' : 's have'} one`;
  } else {
    const lastIndex = withEnergy[withEnergy.length - 1];
    const endsKnown = refIndex === 0 && lastIndex === n - 1;
    barrier.basis = endsKnown && withEnergy.length === n ? 'all-images' : 'images-with-energies';
    if (barrier.basis !== 'all-images') {
      barrier.note = `computed over images ${withEnergy.map((i) => path.names[i]).join(', ')} only (${missing.join(', ')} without energy)${endsKnown ? '' : ': the end points are missing, so these are not the true barriers'}`;
      warnings.push(`barriers ${barrier.note}`);
    }
    let top = withEnergy[0];
    for (const i of withEnergy) if (path.energies[i] > path.energies[top]) top = i;
    barrier.highestImage = path.names[top];
    barrier.forward = path.energies[top] - refEnergy;
    barrier.backward = path.energies[top] - path.energies[lastIndex];

    const xs = Float64Array.from(withEnergy, (i) => x[i]);
    const es = Float64Array.from(withEnergy, (i) => path.energies[i] - refEnergy);
    const fs = Float64Array.from(withEnergy, (i) => path.tangentForces[i]);
    const fit = kernels.nebSpline(xs, es, fs, options.samples ?? 201);
    barrier.spline = fit.max;
    barrier.splineReactionCoordinate = fit.xMax;
    barrier.splineBackward = fit.max - (path.energies[lastIndex] - refEnergy);
    spline = { x: Array.from(fit.xs), energy: Array.from(fit.ys) };
  }

  const movers = migrating(path, cart, options.migratingFraction ?? 0.5);
  const images: NebImageRow[] = path.names.map((name, i) => ({
    name,
    energy: relative[i],
    energyAbsolute: finite(path.energies[i]),
    reactionCoordinate: x[i],
    tangentForce: finite(path.tangentForces[i]),
    maxForce: finite(path.maxForces[i]),
    converged: path.converged[i],
  }));

  return {
    folder: path.folder,
    nImages: n,
    nSites: path.images[0].species.length,
    energyKind: path.energyKind,
    images,
    energies: relative,
    energiesAbsolute: Array.from(path.energies, finite),
    reactionCoordinate: Array.from(x),
    reference: refIndex >= 0 ? { image: path.names[refIndex], index: refIndex, energy: refEnergy } : null,
    barrier,
    spline,
    migratingAtoms: movers,
    path: movers.map((m) => ({
      index: m.index,
      species: m.species,
      positions: cart.map((c) => [c[3 * m.index], c[3 * m.index + 1], c[3 * m.index + 2]] as [number, number, number]),
    })),
    warnings,
  };
}
