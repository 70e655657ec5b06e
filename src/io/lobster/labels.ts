import { MismatchError } from '../../errors.js';
import { atomicNumber, SYMBOLS } from '../../model/elements.js';
import type { BondAtom, BondBasis } from '../../model/cohp.js';
import type { Structure } from '../../model/structure.js';

/**
 * LOBSTER atom and bond labels. Atoms are named element + 1-based POSCAR number (`Mn12`); COHPCAR label lines look like
 * `No.3:Mn1->O5(1.95)`, `No.3:Mn1[3d_xy]->O5[2p_x](1.95)`, `Mn1->O5` (older, or without length) and, for multi-centre
 * COBI, `No.1:Fe1[0 0 0]->Fe2[0 0 1]->Fe3[0 1 0]` with an optional orbital bracket after each cell.
 */

/** `Mn12` → element and number; undefined when the text is not a LOBSTER atom label. */
export function parseAtomLabel(text: string): Omit<BondAtom, 'translation' | 'orbital'> | undefined {
  const m = /^([A-Z][a-z]?)(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const z = atomicNumber(m[1]);
  const number = Number(m[2]);
  if (z === undefined || number < 1) return undefined;
  return { label: `${SYMBOLS[z]}${number}`, element: SYMBOLS[z], number };
}

/**
 * `AlN_1` → an LCFO fragment (name `AlN`, 1-based fragment number 1) in the BondAtom shape (see BondBasis);
 * undefined when the text is not one.
 */
export function parseFragmentLabel(text: string): Omit<BondAtom, 'translation' | 'orbital'> | undefined {
  const m = /^([A-Za-z][A-Za-z0-9]*)_(\d+)$/.exec(text.trim());
  if (!m || Number(m[2]) < 1) return undefined;
  return { label: `${m[1]}_${Number(m[2])}`, element: m[1], number: Number(m[2]) };
}

const CELL = /^\s*(-?\d+)\s+(-?\d+)\s+(-?\d+)\s*$/;

/** One centre: `Mn1`, `Mn1[3d_xy]`, `Fe1[0 0 1]`, `B1[0 0 0][2s]`; with basis 'lcfo' a fragment `AlN_1[1a1]`. */
export function parseCentre(text: string, basis: BondBasis = 'atoms'): BondAtom | undefined {
  const m = (basis === 'lcfo' ? /^\s*([A-Za-z][A-Za-z0-9]*_\d+)((?:\[[^\]]*\])*)\s*$/ : /^\s*([A-Za-z]+\d+)((?:\[[^\]]*\])*)\s*$/).exec(text);
  if (!m) return undefined;
  const atom: BondAtom | undefined = basis === 'lcfo' ? parseFragmentLabel(m[1]) : parseAtomLabel(m[1]);
  if (!atom) return undefined;
  for (const b of m[2].match(/\[[^\]]*\]/g) ?? []) {
    const inner = b.slice(1, -1);
    const cell = CELL.exec(inner);
    if (cell && atom.translation === undefined && atom.orbital === undefined) {
      atom.translation = [Number(cell[1]), Number(cell[2]), Number(cell[3])];
    } else if (!cell && atom.orbital === undefined && (basis === 'lcfo' ? /^[^\s[\]]+$/ : /^\d*[spdfg]/).test(inner.trim())) {
      atom.orbital = inner.trim();
    } else {
      return undefined;
    }
  }
  return atom;
}

export interface ParsedBondLabel {
  /** k of `No.k:`, undefined when the label has no such prefix */
  index?: number;
  /** label without the `No.k:` prefix */
  label: string;
  atoms: BondAtom[];
  /** Å, NaN when absent */
  length: number;
  orbitals?: string[];
}

/** A COHPCAR label line; undefined when it is not one. */
export function parseBondLabel(line: string, basis: BondBasis = 'atoms'): ParsedBondLabel | undefined {
  let rest = line.trim();
  let index: number | undefined;
  const pre = /^No\.(\d+):/.exec(rest);
  if (pre) {
    index = Number(pre[1]);
    rest = rest.slice(pre[0].length);
  }
  const label = rest;
  let length = NaN;
  const len = /\(([^()]*)\)$/.exec(rest);
  if (len) {
    length = Number(len[1]);
    if (!Number.isFinite(length) || len[1].trim() === '') return undefined;
    rest = rest.slice(0, len.index);
  }
  const parts = rest.split('->');
  if (parts.length < 2) return undefined;
  const atoms: BondAtom[] = [];
  for (const p of parts) {
    const a = parseCentre(p, basis);
    if (!a) return undefined;
    atoms.push(a);
  }
  const withOrbital = atoms.filter((a) => a.orbital !== undefined).length;
  if (withOrbital !== 0 && withOrbital !== atoms.length) return undefined;
  const orbitals = withOrbital ? atoms.map((a) => a.orbital!) : undefined;
  return { index, label, atoms, length, orbitals };
}

/**
 * Site indices (0-based) of LOBSTER atom labels in a structure. LOBSTER numbers atoms in the order of the POSCAR it
 * read; a label whose number is out of range or whose element differs from the structure's site is an error naming
 * both files, never a silent miss.
 */
export function mapLabelsToStructure(
  labels: readonly string[],
  structure: Pick<Structure, 'species'>,
  files: { labels: string; structure: string },
): Int32Array {
  const out = new Int32Array(labels.length);
  labels.forEach((text, i) => {
    const atom = parseAtomLabel(text);
    if (!atom) throw new MismatchError([files.labels, files.structure], `"${text}" is not a LOBSTER atom label like Mn12`);
    const n = structure.species.length;
    if (atom.number > n) {
      throw new MismatchError([files.labels, files.structure], `atom ${atom.label} does not exist: the structure has ${n} sites`);
    }
    const have = structure.species[atom.number - 1];
    if (have !== atom.element) {
      throw new MismatchError(
        [files.labels, files.structure],
        `atom ${atom.label} is ${have} in the structure (site ${atom.number}), not ${atom.element}`,
      );
    }
    out[i] = atom.number - 1;
  });
  return out;
}
