import type { Cohp, CohpBond } from '../../model/cohp.js';

/**
 * Bond totals of COHPCAR entries. LOBSTER writes a bond's summed line and then its orbital-wise lines; a file may
 * hold only the orbital-wise lines of a bond (no summed line). Those lines must not be filed under the bond before
 * them: an orbital entry belongs to the total before it only when it names the same atoms (cells included) at the
 * same length, and its number is the total's (LOBSTER ≥ 5) or the next one (older versions number orbital lines
 * k + 1; the first orbital line filed under a total tells which, for the whole file). The others are grouped per
 * bond, and the bond's total is the sum of its orbital pairs.
 */

/** The bond an entry is about: atoms with cells, and the length, without orbitals. */
function bondKey(b: Pick<CohpBond, 'atoms' | 'length'>): string {
  const atoms = b.atoms.map((a) => `${a.label}${a.translation ? `[${a.translation.join(' ')}]` : ''}`).join('->');
  return `${atoms}(${Number.isNaN(b.length) ? '' : b.length})`;
}

/**
 * Sets `parent` of every orbital entry (label lines in file order); returns, per bond that has no summed line,
 * the positions of its orbital entries.
 */
export function linkOrbitalEntries(bonds: CohpBond[]): number[][] {
  const orphans = new Map<string, number[]>();
  let total = -1;
  /** 0: orbital lines repeat their total's number; 1: they carry the next one; undefined until seen */
  let offset: 0 | 1 | undefined;
  bonds.forEach((b, j) => {
    if (!b.orbitals) {
      total = j;
      return;
    }
    const key = bondKey(b);
    const t = total >= 0 ? bonds[total] : undefined;
    const step = t ? b.index - t.index : -1;
    if (t && bondKey(t) === key && (offset === undefined ? step === 0 || step === 1 : step === offset)) {
      offset = step as 0 | 1;
      b.parent = total;
      return;
    }
    // the same atoms at the same length in another cell is another bond: its lines carry their own number
    const own = `${b.index} ${key}`;
    const group = orphans.get(own) ?? [];
    group.push(j);
    orphans.set(own, group);
  });
  return [...orphans.values()];
}

/**
 * Appends a summed entry (`summedFromOrbitals`) for each group of orbital entries without a summed line: its
 * curves are the sums of theirs, channel by channel. Returns the COHP with the new entries and a warning naming them.
 */
export function addOrbitalTotals(c: Cohp, groups: number[][]): Cohp {
  if (groups.length === 0) return c;
  const per = c.nspin * c.nPoints;
  const n = c.bonds.length + groups.length;
  const cohp = new Float64Array(n * per);
  const icohp = new Float64Array(n * per);
  cohp.set(c.cohp.subarray(0, c.bonds.length * per));
  icohp.set(c.icohp.subarray(0, c.bonds.length * per));
  const bonds = [...c.bonds];
  for (const group of groups) {
    const at = bonds.length;
    const first = c.bonds[group[0]];
    const atoms = first.atoms.map(({ orbital: _o, ...rest }) => rest);
    const label = `${atoms.map((a) => `${a.label}${a.translation ? `[${a.translation.join(' ')}]` : ''}`).join('->')}${Number.isNaN(first.length) ? '' : `(${first.length})`}`;
    bonds.push({ index: first.index, label, atoms, length: first.length, summedFromOrbitals: true });
    for (const j of group) {
      c.bonds[j].parent = at;
      for (let k = 0; k < per; k++) {
        cohp[at * per + k] += c.cohp[j * per + k];
        icohp[at * per + k] += c.icohp[j * per + k];
      }
    }
  }
  const named = groups.map((g) => `No.${c.bonds[g[0]].index} ${bonds[c.bonds[g[0]].parent!].label} (${g.length} orbital pairs)`);
  const warning = `${groups.length} bond${groups.length === 1 ? ' has' : 's have'} only orbital-wise lines (no summed line): ${named.slice(0, 5).join(', ')}${named.length > 5 ? ', …' : ''}; each total is the sum of its orbital pairs`;
  return { ...c, bonds, cohp, icohp, warnings: [...(c.warnings ?? []), warning] };
}
