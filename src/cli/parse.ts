import { UsageError } from '../errors.js';
import { pairKey, type CutoffOverrides } from '../analysis/cutoffs.js';
import { planeNormalTo, type Lattice } from '../math/lattice.js';

/**
 * Command-line strings → the typed options of the analyses (the analyses take values, never text). Syntax errors
 * are UsageErrors (exit 2), raised while commander parses the options, before any file is read.
 */

/**
 * `--cutoff`: `2.4` → global; `Mn-O=2.3,Li-O=2.5` → per pair; both may be mixed (`2.4,Mn-O=2.3`).
 * Throws UsageError on anything else.
 */
export function parseCutoffs(spec: string): CutoffOverrides {
  const out: CutoffOverrides = {};
  for (const part of spec.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = /^([A-Z][a-z]?)-([A-Z][a-z]?)=(.+)$/.exec(part);
    const value = Number(m ? m[3] : part);
    if (!Number.isFinite(value) || value <= 0 || (!m && part.includes('='))) {
      throw new UsageError(`--cutoff: expected a positive number or pairs like Mn-O=2.3 (got "${part}")`);
    }
    if (m) (out.pairs ??= {})[pairKey(m[1], m[2])] = value;
    else out.global = value;
  }
  return out;
}

/** `--axis` as given: a lattice vector's plane normal (a, b, c) or a Cartesian direction (needs the lattice). */
export type AxisSpec = { hkl: [number, number, number] } | { cartesian: [number, number, number] };

/** `a|b|c` or `x,y,z`, checked before any file is read. */
export function parseAxisSpec(spec: string): AxisSpec {
  const named: Record<string, [number, number, number]> = { a: [1, 0, 0], b: [0, 1, 0], c: [0, 0, 1] };
  const key = spec.trim().toLowerCase();
  if (named[key]) return { hkl: named[key] };
  const v = spec.split(',').map((x) => Number(x.trim()));
  if (v.length !== 3 || v.some((x) => !Number.isFinite(x)) || Math.hypot(v[0], v[1], v[2]) === 0) {
    throw new UsageError(`--axis: expected a, b, c or a Cartesian direction x,y,z (got "${spec}")`);
  }
  return { cartesian: [v[0], v[1], v[2]] };
}

/** The (h k l) of `--axis` in a structure's lattice; a Cartesian direction must be normal to a lattice plane. */
export function axisIn(spec: AxisSpec, lattice: Lattice): [number, number, number] {
  if ('hkl' in spec) return spec.hkl;
  const hkl = planeNormalTo(lattice, spec.cartesian);
  if (!hkl) throw new UsageError(`--axis ${spec.cartesian.join(',')}: not normal to a lattice plane with small indices; give a, b or c or a plane normal`);
  return hkl;
}

/** `--ratio O5:O4,O3:O4` → [['O5', 'O4'], ['O3', 'O4']]. */
export function parseRatios(value: string): [string, string][] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '').map((r) => {
    const parts = r.split(':').map((s) => s.trim());
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UsageError(`ratio "${r}": expected two group names as A:B, e.g. O5:O4`);
    return [parts[0], parts[1]];
  });
}
