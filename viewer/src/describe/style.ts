/**
 * Colours and display radii. Oxygen is coloured by census class with the reference study's colours (O4 purple,
 * O5 yellow); Li is green and TM-site cations are shades of blue so the O classes stand out; every other element
 * keeps its Jmol colour.
 */

import { CLASS_COLORS } from '../../../src/plot/class-colors.js';

export const LI_COLOR = 0x2f9e44;

/** Blues for the TM-site cations, one per element so they stay apart in the legend. */
const TM_BLUES: Readonly<Record<string, number>> = {
  Mn: 0x1c7ed6,
  Ni: 0x74c0fc,
  Co: 0x364fc7,
  Fe: 0x1098ad,
  Cr: 0x4c6ef5,
  Ti: 0x91a7ff,
  V: 0x3bc9db,
};
const TM_DEFAULT_BLUE = 0x4263eb;

/** Jmol colours of the elements that occur in oxide and NEB work; others fall back to grey. */
const JMOL: Readonly<Record<string, number>> = {
  H: 0xffffff, He: 0xd9ffff, Li: 0xcc80ff, Be: 0xc2ff00, B: 0xffb5b5, C: 0x909090, N: 0x3050f8, O: 0xff0d0d,
  F: 0x90e050, Ne: 0xb3e3f5, Na: 0xab5cf2, Mg: 0x8aff00, Al: 0xbfa6a6, Si: 0xf0c8a0, P: 0xff8000, S: 0xffff30,
  Cl: 0x1ff01f, Ar: 0x80d1e3, K: 0x8f40d4, Ca: 0x3dff00, Sc: 0xe6e6e6, Ti: 0xbfc2c7, V: 0xa6a6ab, Cr: 0x8a99c7,
  Mn: 0x9c7ac7, Fe: 0xe06633, Co: 0xf090a0, Ni: 0x50d050, Cu: 0xc88033, Zn: 0x7d80b0, Ga: 0xc28f8f, Ge: 0x668f8f,
  As: 0xbd80e3, Se: 0xffa100, Br: 0xa62929, Kr: 0x5cb8d1, Rb: 0x702eb0, Sr: 0x00ff00, Y: 0x94ffff, Zr: 0x94e0e0,
  Nb: 0x73c2c9, Mo: 0x54b5b5, Ru: 0x248f8f, Rh: 0x0a7d8c, Pd: 0x006985, Ag: 0xc0c0c0, Cd: 0xffd98f, In: 0xa67573,
  Sn: 0x668080, Sb: 0x9e63b5, Te: 0xd47a00, I: 0x940094, Xe: 0x429eb0, Cs: 0x57178f, Ba: 0x00c900, La: 0x70d4ff,
  Ce: 0xffffc7, W: 0x2194d6, Pt: 0xd0d0e0, Au: 0xffd123, Pb: 0x575961, Bi: 0x9e4fb5,
};
const UNKNOWN_COLOR = 0xff1493;

/** Covalent radii (Å, Cordero et al. 2008; Mn low-spin) behind the display radii. */
const COVALENT: Readonly<Record<string, number>> = {
  H: 0.31, He: 0.28, Li: 1.28, Be: 0.96, B: 0.84, C: 0.76, N: 0.71, O: 0.66, F: 0.57, Ne: 0.58, Na: 1.66, Mg: 1.41,
  Al: 1.21, Si: 1.11, P: 1.07, S: 1.05, Cl: 1.02, Ar: 1.06, K: 2.03, Ca: 1.76, Sc: 1.7, Ti: 1.6, V: 1.53, Cr: 1.39,
  Mn: 1.39, Fe: 1.32, Co: 1.26, Ni: 1.24, Cu: 1.32, Zn: 1.22, Ga: 1.22, Ge: 1.2, As: 1.19, Se: 1.2, Br: 1.2, Kr: 1.16,
  Rb: 2.2, Sr: 1.95, Y: 1.9, Zr: 1.75, Nb: 1.64, Mo: 1.54, Ru: 1.46, Rh: 1.42, Pd: 1.39, Ag: 1.45, Cd: 1.44, In: 1.42,
  Sn: 1.39, Sb: 1.39, Te: 1.38, I: 1.39, Xe: 1.4, Cs: 2.44, Ba: 2.15, La: 2.07, Ce: 2.04, W: 1.62, Pt: 1.36, Au: 1.36,
  Pb: 1.46, Bi: 1.48,
};

/**
 * Sphere radius drawn for an element (Å): a fixed part plus a third of the covalent radius, so that cation–O
 * bonds (≈ 1.9–2.1 Å) stay visible between the spheres in ball-and-stick style.
 */
export function displayRadius(symbol: string): number {
  return 0.25 + 0.3 * covalentRadius(symbol);
}

/** Covalent radius (Å); 1.5 Å for elements outside the table. */
export function covalentRadius(symbol: string): number {
  return COVALENT[symbol] ?? 1.5;
}

export type SiteRole = 'tm' | 'alkali' | 'oxygen' | 'other';

/** Colour of a site from its element, role and (for O) census class. */
export function siteColor(symbol: string, role: SiteRole, oClass?: string): number {
  if (role === 'oxygen' && oClass !== undefined) return CLASS_COLORS[oClass] ?? JMOL.O;
  if (symbol === 'Li') return LI_COLOR;
  if (role === 'tm') return TM_BLUES[symbol] ?? TM_DEFAULT_BLUE;
  return JMOL[symbol] ?? UNKNOWN_COLOR;
}

/** Colours of the migration arrows and paths. */
/** In-plane moves near-black and out-of-plane orange: apart from each other and from Li green, TM blues and O4/O5. */
export const ARROW_COLORS = { inPlane: 0x212529, outOfPlane: 0xe8590c } as const;
/** The shell around the picked atom. */
export const PICK_COLOR = 0xf06595;
export const PATH_COLOR = 0xf03e3e;
export const BOND_COLOR = 0x9aa0a6;
export const CLUSTER_COLOR = 0xffe066;

/** O–O short contacts (peroxo- and O2-like dimers). */
export const CONTACT_COLOR = 0xe64980;

export function cssHex(color: number): string {
  return `#${color.toString(16).padStart(6, '0')}`;
}

/**
 * Per-pair bond cutoffs for structures without oxygen (molecules in NEB tests, metals): 1.15 × the sum of covalent
 * radii, in the layout kernels.neighbours takes (site types and an nTypes × nTypes matrix).
 */
export function covalentCutoffs(species: string[]): { types: Int32Array; nTypes: number; pairCutoffs: Float64Array; maxCutoff: number } {
  const names = [...new Set(species)];
  const types = Int32Array.from(species, (s) => names.indexOf(s));
  const nTypes = names.length;
  const pairCutoffs = new Float64Array(nTypes * nTypes);
  let maxCutoff = 0;
  for (let a = 0; a < nTypes; a++) {
    for (let b = 0; b < nTypes; b++) {
      const c = 1.15 * (covalentRadius(names[a]) + covalentRadius(names[b]));
      pairCutoffs[a * nTypes + b] = c;
      maxCutoff = Math.max(maxCutoff, c);
    }
  }
  return { types, nTypes, pairCutoffs, maxCutoff };
}
