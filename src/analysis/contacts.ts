import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import { ANION_RADIUS, FALLBACK_RADIUS, SHANNON_CN6 } from './cutoffs.js';

/**
 * Distances no relaxed oxide has: a cation–O pair shorter than SHORT_FRACTION of the Shannon radius sum (Mn–O
 * 1.64 Å, Li–O 1.73 Å; the shortest real Mn⁴⁺–O bonds are ≈ 1.85 Å) or two cations closer than CATION_MIN. They mark
 * an interpolated NEB image or a hand-built structure, whose census and coordination then mean little; they are
 * reported, not corrected. O–O pairs are left alone: short O–O (peroxo-like, 1.2–1.5 Å) is the O-redox signal
 * LRLO studies look for.
 */
export const SHORT_FRACTION = 0.8;
export const CATION_MIN = 2.0;
/** At most this many pairs are named in the warning; the count covers all. */
const SHOWN = 4;

const radius = (el: string) => SHANNON_CN6[el]?.r ?? FALLBACK_RADIUS;

/** The shortest unphysical contacts of `s` as one warning (atoms 1-based, as in POSCAR order), or none. */
export function shortContacts(s: Structure, kernels: Kernels, anion = 'O', where = ''): string[] {
  const names = [...new Set(s.species)];
  const types = Int32Array.from(s.species, (x) => names.indexOf(x));
  const n = names.length;
  const pair = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const [ea, eb] = [names[a], names[b]];
      if (ea === anion && eb === anion) continue;
      if (ea === anion || eb === anion) pair[a * n + b] = SHORT_FRACTION * (radius(ea === anion ? eb : ea) + ANION_RADIUS);
      else pair[a * n + b] = CATION_MIN;
    }
  }
  const max = Math.max(0, ...pair);
  if (max === 0 || s.species.length < 2) return [];
  const list = kernels.neighbours(s.lattice, s.cart, max, { types, nTypes: n, pairCutoffs: pair });
  const found: { i: number; j: number; d: number }[] = [];
  for (let i = 0; i < s.species.length; i++) {
    for (let p = list.offsets[i]; p < list.offsets[i + 1]; p++) if (list.j[p] >= i) found.push({ i, j: list.j[p], d: list.dist[p] });
  }
  if (found.length === 0) return [];
  found.sort((x, y) => x.d - y.d);
  const label = (k: number) => `${s.species[k]}${k + 1}`;
  const shown = found.slice(0, SHOWN).map((c) => `${label(c.i)}–${label(c.j)} ${c.d.toFixed(2)} Å`).join(', ');
  return [
    `${where}${found.length} unphysically short contact${found.length === 1 ? '' : 's'} (${shown}${found.length > SHOWN ? ', …' : ''}; cation–O below ${SHORT_FRACTION} × the Shannon radius sum, cation–cation below ${CATION_MIN} Å): an interpolated or unrelaxed structure? Its census and coordination are of that geometry`,
  ];
}
