/** Element symbols by atomic number (index 0 is the placeholder `X`). */
export const SYMBOLS = [
  'X', 'H', 'He', 'Li', 'Be', 'B', 'C', 'N', 'O', 'F', 'Ne', 'Na', 'Mg', 'Al', 'Si', 'P', 'S', 'Cl', 'Ar', 'K', 'Ca',
  'Sc', 'Ti', 'V', 'Cr', 'Mn', 'Fe', 'Co', 'Ni', 'Cu', 'Zn', 'Ga', 'Ge', 'As', 'Se', 'Br', 'Kr', 'Rb', 'Sr', 'Y', 'Zr',
  'Nb', 'Mo', 'Tc', 'Ru', 'Rh', 'Pd', 'Ag', 'Cd', 'In', 'Sn', 'Sb', 'Te', 'I', 'Xe', 'Cs', 'Ba', 'La', 'Ce', 'Pr', 'Nd',
  'Pm', 'Sm', 'Eu', 'Gd', 'Tb', 'Dy', 'Ho', 'Er', 'Tm', 'Yb', 'Lu', 'Hf', 'Ta', 'W', 'Re', 'Os', 'Ir', 'Pt', 'Au', 'Hg',
  'Tl', 'Pb', 'Bi', 'Po', 'At', 'Rn', 'Fr', 'Ra', 'Ac', 'Th', 'Pa', 'U', 'Np', 'Pu', 'Am', 'Cm', 'Bk', 'Cf', 'Es', 'Fm',
  'Md', 'No', 'Lr',
] as const;

const BY_SYMBOL = new Map<string, number>(SYMBOLS.map((s, z) => [s.toLowerCase(), z]));

export function atomicNumber(symbol: string): number | undefined {
  const z = BY_SYMBOL.get(symbol.toLowerCase());
  return z === undefined || z === 0 ? undefined : z;
}

export function isElement(symbol: string): boolean {
  return atomicNumber(symbol) !== undefined;
}

/**
 * The element inside a POTCAR/POSCAR species label: `Mn_pv` → `Mn`, `Li_sv/7a8b9c` → `Li`,
 * `Fe4+` → `Fe`, `O_h` → `O`, `Mn1` (LOBSTER atom label) → `Mn`. Undefined when it names no element.
 */
export function elementOfLabel(label: string): string | undefined {
  const m = /^([A-Z][a-z]?)/.exec(label.trim());
  if (!m) return undefined;
  // "Co" vs "C" + "o…": prefer the two-letter symbol only when it is an element
  const two = m[1];
  if (isElement(two)) return SYMBOLS[atomicNumber(two)!];
  const one = two[0];
  return isElement(one) ? one : undefined;
}
