import type { Kernels } from '../../kernels/types.js';
import { makeStructure, type Structure } from '../../model/structure.js';
import { findLayers } from '../../analysis/layers.js';
import { cationGroups, DEFAULT_ALKALI, DEFAULT_TM } from '../../analysis/cutoffs.js';
import { buildLrlo } from '../lrlo.js';
import { UsageError } from '../../errors.js';

/**
 * The parent lattice of an SQS: the cation sites of an O3 layered rock-salt split into the TM-layer (sublattice 0)
 * and Li-layer (sublattice 1) sites, their in-plane neighbour shells, the six cation sites around every O, and the
 * cation pairs between adjacent layers (out-of-plane migration).
 *
 * Built-in parents (a = 2.85 Å, c = 14.25 Å, O at z = ±0.26, the lrlo builder's geometry): `r3m`, the hexagonal
 * R-3m cell of LiTMO2 (3 TM + 3 Li + 6 O sites) repeated A×B×C; `li2mno3`, the builder's √3×√3 Li2MnO3-like cell
 * (36 sites) repeated A×A×C. A user's POSCAR is repeated A×B×C; its layers come from the layer analysis (layers.ts).
 */
export type BuiltinCell = 'r3m' | 'li2mno3';

export const TM_LAYER = 0;
export const LI_LAYER = 1;

export interface ParentLattice {
  lattice: Float64Array;
  /** fractional coordinates of the cation sites (3 per site) and of the O sites */
  siteFrac: Float64Array;
  oFrac: Float64Array;
  /** TM_LAYER or LI_LAYER per cation site */
  sublattice: Int32Array;
  /** cation layer index per site (layers along the stacking axis) */
  layer: Int32Array;
  /** in-plane shells: distance (Å) and CSR neighbours of site i in shell s at pairJ[pairOffsets[i·n + s] …) */
  shells: number[];
  pairOffsets: Int32Array;
  pairJ: Int32Array;
  /** 6 cation sites per O: its TM-layer triangle, then its Li-layer triangle */
  triangles: Int32Array;
  /** nearest cation pairs between adjacent layers, CSR over sites */
  interOffsets: Int32Array;
  interJ: Int32Array;
  description: string;
}

const A = 2.85, C = 14.25, U = 0.26;
/** distances closer than this (Å) are one shell: the parent is ideal */
const SHELL_TOL = 0.1;

/** The hexagonal R-3m cell of LiTMO2 (TM on 3a, Li on 3b, O on 6c); species Mn / Li mark the layers. */
function r3mCell(): Structure {
  const lattice = new Float64Array([A, 0, 0, -A / 2, (A * Math.sqrt(3)) / 2, 0, 0, 0, C]);
  const species: string[] = [];
  const frac: number[] = [];
  const centring = [[0, 0, 0], [2 / 3, 1 / 3, 1 / 3], [1 / 3, 2 / 3, 2 / 3]];
  const wrap = (z: number) => z - Math.floor(z);
  for (const [x, y, z] of centring) {
    species.push('Mn', 'Li', 'O', 'O');
    frac.push(x, y, z, x, y, wrap(z + 0.5), x, y, wrap(z + U), x, y, wrap(z - U));
  }
  return makeStructure({ comment: 'R-3m LiTMO2', lattice, species, frac: Float64Array.from(frac) });
}

/** `s` repeated a×b×c. */
export function repeat(s: Structure, a: number, b: number, c: number): Structure {
  const L = s.lattice;
  const lattice = new Float64Array([L[0] * a, L[1] * a, L[2] * a, L[3] * b, L[4] * b, L[5] * b, L[6] * c, L[7] * c, L[8] * c]);
  const n = s.species.length;
  const species: string[] = [];
  const frac = new Float64Array(3 * n * a * b * c);
  let k = 0;
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      for (let l = 0; l < c; l++) {
        for (let p = 0; p < n; p++) {
          species.push(s.species[p]);
          const f = [s.frac[3 * p], s.frac[3 * p + 1], s.frac[3 * p + 2]].map((x) => x - Math.floor(x));
          frac[k++] = (f[0] + i) / a;
          frac[k++] = (f[1] + j) / b;
          frac[k++] = (f[2] + l) / c;
        }
      }
    }
  }
  return makeStructure({ comment: s.comment, lattice, species, frac });
}

/** The parent structure before classification: a built-in cell or the user's, repeated. */
export function parentStructure(supercell: [number, number, number], from: { cell?: BuiltinCell; structure?: Structure }): { structure: Structure; description: string } {
  const [a, b, c] = supercell;
  if (from.structure) return { structure: repeat(from.structure, a, b, c), description: `${from.structure.comment.trim() || 'parent POSCAR'} repeated ${a}x${b}x${c}` };
  if ((from.cell ?? 'r3m') === 'r3m') return { structure: repeat(r3mCell(), a, b, c), description: `R-3m hexagonal LiTMO2 cell (a = ${A} Å, c = ${C} Å) repeated ${a}x${b}x${c}` };
  if (a !== b) throw new UsageError(`the li2mno3 cell repeats equally in plane: --supercell ${a}x${a}x${c}, not ${a}x${b}x${c}`);
  return {
    structure: buildLrlo({ n: a, m: c }).structure,
    description: `Li2MnO3-like √3×√3 cell of the lrlo builder (a = ${A} Å, c = ${C} Å) repeated ${a}x${a}x${c}`,
  };
}

/** Sites and neighbour lists of an O3 layered parent structure (cations: every non-O site). */
export function parentLattice(s: Structure, kernels: Kernels, nShells: number, description: string): ParentLattice {
  const tm = new Set(DEFAULT_TM), alk = new Set(DEFAULT_ALKALI);
  const group = cationGroups(s.species, 'O', tm, alk);
  const layering = findLayers(s, kernels, group);
  const cat: number[] = [], oIdx: number[] = [];
  s.species.forEach((x, i) => (x === 'O' ? oIdx : cat).push(i));
  if (oIdx.length === 0) throw new UsageError(`${description}: the parent has no O`);
  const n = cat.length;
  const sublattice = new Int32Array(n);
  const layer = new Int32Array(n);
  cat.forEach((i, k) => {
    const L = layering.layers[layering.layerOf[i]];
    if (L.kind === 'other') throw new UsageError(`${description}: layer ${L.index} is neither a TM nor a Li layer`);
    sublattice[k] = L.kind === 'TM' ? TM_LAYER : LI_LAYER;
    layer[k] = L.index;
  });
  const gather = (idx: number[], from: Float64Array) => Float64Array.from(idx.flatMap((i) => [from[3 * i], from[3 * i + 1], from[3 * i + 2]]));
  const siteCart = gather(cat, s.cart);

  // nearest cation–cation distance first, then a search wide enough for nShells in-plane shells (shell k ≤ k·d1)
  const probe = kernels.neighbours(s.lattice, siteCart, 3.5);
  let d1 = Infinity;
  for (let e = 0; e < probe.dist.length; e++) d1 = Math.min(d1, probe.dist[e]);
  if (!Number.isFinite(d1)) throw new UsageError(`${description}: no cation pairs within 3.5 Å; not a layered rock-salt`);
  const list = kernels.neighbours(s.lattice, siteCart, nShells * d1 + SHELL_TOL + 0.5);
  const inPlane: number[] = [];
  let dInter = Infinity;
  for (let i = 0; i < n; i++) {
    for (let e = list.offsets[i]; e < list.offsets[i + 1]; e++) {
      if (layer[i] === layer[list.j[e]]) inPlane.push(list.dist[e]);
      else dInter = Math.min(dInter, list.dist[e]);
    }
  }
  const shells = clusters(inPlane).slice(0, nShells);
  const shellOf = (d: number) => shells.findIndex((x) => Math.abs(x - d) <= SHELL_TOL);
  const rows: number[][][] = Array.from({ length: n }, () => shells.map(() => []));
  const inter: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let e = list.offsets[i]; e < list.offsets[i + 1]; e++) {
      const j = list.j[e], d = list.dist[e];
      if (layer[i] === layer[j]) {
        const sh = shellOf(d);
        if (sh >= 0) rows[i][sh].push(j);
      } else if (d <= dInter + SHELL_TOL && sublattice[i] !== sublattice[j]) inter[i].push(j);
    }
  }
  const pairOffsets = new Int32Array(n * shells.length + 1);
  const pairJ: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let sh = 0; sh < shells.length; sh++) {
      for (const j of rows[i][sh].sort((x, y) => x - y)) pairJ.push(j);
      pairOffsets[i * shells.length + sh + 1] = pairJ.length;
    }
  }
  const interOffsets = new Int32Array(n + 1);
  inter.forEach((js, i) => (interOffsets[i + 1] = interOffsets[i] + js.length));

  return {
    lattice: s.lattice, siteFrac: gather(cat, s.frac), oFrac: gather(oIdx, s.frac), sublattice, layer, shells,
    pairOffsets, pairJ: Int32Array.from(pairJ), triangles: octahedra(s, kernels, cat, oIdx, sublattice, description),
    interOffsets, interJ: Int32Array.from(inter.flat()), description,
  };
}

/** Distinct distances (groups within SHELL_TOL), ascending. */
function clusters(ds: number[]): number[] {
  const out: number[] = [];
  for (const d of [...ds].sort((x, y) => x - y)) if (out.length === 0 || d - out[out.length - 1] > SHELL_TOL) out.push(d);
  return out.map((x) => Math.round(x * 1e4) / 1e4);
}

/** The six nearest cation sites of every O, TM-layer triangle first; the parent must be O3 (3 + 3 per O). */
function octahedra(s: Structure, kernels: Kernels, cat: number[], oIdx: number[], sublattice: Int32Array, description: string): Int32Array {
  const slot = new Int32Array(s.species.length).fill(-1);
  cat.forEach((i, k) => (slot[i] = k));
  const list = kernels.neighbours(s.lattice, s.cart, 3.0, { centres: Int32Array.from(oIdx) });
  const out = new Int32Array(6 * oIdx.length);
  oIdx.forEach((o, k) => {
    const pairs: { j: number; d: number }[] = [];
    for (let e = list.offsets[o]; e < list.offsets[o + 1]; e++) if (slot[list.j[e]] >= 0) pairs.push({ j: slot[list.j[e]], d: list.dist[e] });
    pairs.sort((p, q) => p.d - q.d || p.j - q.j);
    const six = pairs.slice(0, 6);
    const tmSide = six.filter((p) => sublattice[p.j] === TM_LAYER).map((p) => p.j);
    const liSide = six.filter((p) => sublattice[p.j] === LI_LAYER).map((p) => p.j);
    if (six.length < 6 || tmSide.length !== 3 || six[5].d > 1.25 * six[0].d || (pairs.length > 6 && pairs[6].d < 1.25 * six[0].d)) {
      throw new UsageError(`${description}: O ${o + 1} does not sit in an O3 octahedron of 3 TM-layer and 3 Li-layer sites (found ${tmSide.length} + ${liSide.length})`);
    }
    out.set([...tmSide, ...liSide], 6 * k);
  });
  return out;
}
