import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';

/**
 * Whether numbered folders `00 … NN` hold one NEB path or an ensemble of unrelated structures (an SQS set is
 * numbered the same way). NEB images are interpolated between neighbouring sites and relaxed a little, so between
 * consecutive images no atom moves far; structures of an ensemble put atoms of the same species on other sites, so
 * at least one atom jumps by a cation–cation distance (≥ 2.5 Å in oxides).
 */

/** Largest minimum-image displacement (Å) of any atom between consecutive NEB images. */
export const NEB_STEP_BOUND = 2.0;
/** Largest difference (Å) of a lattice-vector component between NEB images before the cells count as different. */
export const NEB_CELL_TOLERANCE = 1e-3;

export type SeriesKind =
  | {
      kind: 'path';
      /** largest step of any atom between consecutive images (Å) and where it happens */
      maxStep: { value: number; site: number; from: number };
      /** the cells of the images are not all the same (a variable-cell NEB, or images from other runs) */
      cellsDiffer: { image: number; maxDifference: number } | null;
    }
  | { kind: 'ensemble'; reason: string };

function sameSpecies(a: Structure, b: Structure): boolean {
  return a.species.length === b.species.length && a.species.every((x, k) => x === b.species[k]);
}

function latticeDifference(a: Structure, b: Structure): number {
  let d = 0;
  for (let k = 0; k < 9; k++) d = Math.max(d, Math.abs(a.lattice[k] - b.lattice[k]));
  return d;
}

/** The image whose cell differs most from the first image's (beyond NEB_CELL_TOLERANCE), or null when all agree. */
export function differentCell(images: Structure[]): { image: number; maxDifference: number } | null {
  let worst: { image: number; maxDifference: number } | null = null;
  for (let i = 1; i < images.length; i++) {
    const d = latticeDifference(images[0], images[i]);
    if (d > NEB_CELL_TOLERANCE && (!worst || d > worst.maxDifference)) worst = { image: i, maxDifference: d };
  }
  return worst;
}

/** Images (at least two) in order; messages name them by `names` (the image folders). */
export function seriesKind(images: Structure[], kernels: Kernels, names: string[] = images.map((_, i) => String(i).padStart(2, '0'))): SeriesKind {
  const first = images[0];
  for (let i = 1; i < images.length; i++) {
    if (!sameSpecies(first, images[i])) {
      return { kind: 'ensemble', reason: `${names[0]} and ${names[i]} hold different atoms (${first.species.length} vs ${images[i].species.length} sites, or another species order)` };
    }
  }
  let maxStep = { value: 0, site: 0, from: 0 };
  for (let i = 1; i < images.length; i++) {
    const d = kernels.minImage(images[i - 1].lattice, images[i - 1].frac, images[i].frac);
    for (let s = 0; s < first.species.length; s++) {
      const step = Math.hypot(d[3 * s], d[3 * s + 1], d[3 * s + 2]);
      if (step > maxStep.value) maxStep = { value: step, site: s, from: i - 1 };
    }
  }
  if (maxStep.value > NEB_STEP_BOUND) {
    const { site, from, value } = maxStep;
    return {
      kind: 'ensemble',
      reason: `atom ${site + 1} (${first.species[site]}) moves ${value.toFixed(2)} Å between ${names[from]} and ${names[from + 1]}; consecutive NEB images move no atom more than ${NEB_STEP_BOUND} Å`,
    };
  }
  return { kind: 'path', maxStep, cellsDiffer: differentCell(images) };
}
