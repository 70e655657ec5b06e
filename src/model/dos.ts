/**
 * Density of states from a VASP DOSCAR, a vasprun.xml or a LOBSTER DOSCAR.lobster. Units: energies in eV,
 * DOS in states/eV (per cell for the total, per site and orbital for the projections), integrated DOS in states.
 *
 * Layouts (all arrays contiguous along energy so that window kernels see one channel as one slice):
 * - `total[s * nedos + e]`, `integrated[s * nedos + e]` for spin s in [0, nspin)
 * - `pdos[((orbitalOffset[site] + o) * nspin + s) * nedos + e]` for orbital o of `orbitals[site]`
 * - for non-collinear runs nspin = 1 (the total component) and the magnetisation components mx, my, mz
 *   are kept apart in `magnetization` (total block: `[c * nedos + e]`; projected: `pdosMagnetization`
 *   `[((orbitalOffset[site] + o) * 3 + c) * nedos + e]`), never read as spin down.
 * Spin-down DOS is stored positive, as VASP and LOBSTER write it.
 */
export interface Dos {
  source: 'doscar' | 'vasprun' | 'doscar-lobster';
  /** Fermi level in eV as the DFT run gives it (absolute) */
  efermi: number;
  /**
   * Energies in eV as written in the file. `energyZero` says what they are relative to:
   * 'absolute' (VASP DOSCAR and vasprun.xml) or 'fermi' (LOBSTER, already E − E_F).
   */
  energies: Float64Array;
  energyZero: 'absolute' | 'fermi';
  nedos: number;
  /** 1 or 2 spin channels in `total` and `pdos` */
  nspin: 1 | 2;
  noncollinear: boolean;
  total: Float64Array;
  /** integrated total DOS as the file gives it (states), same layout as total; absent when the file has none */
  integrated?: Float64Array;
  /** total-DOS magnetisation components (non-collinear only) */
  magnetization?: Float64Array;
  nSites: number;
  /**
   * orbital labels per site, one list per site (VASP: s py pz px dxy dyz dz2 dxz x2-y2, then fy3x2 fxyz fyz2 fz3
   * fxz2 fzx2 fx3, or s p d [f] for LORBIT 10, the same names from DOSCAR and vasprun.xml; LOBSTER: 2s 2p_x …);
   * every list is empty when the file has no PDOS
   */
  orbitals: string[][];
  /** start of each site's orbitals in the orbital index, length nSites + 1 */
  orbitalOffset: Int32Array;
  pdos?: Float64Array;
  pdosMagnetization?: Float64Array;
  /** element per site when the source names them (vasprun.xml, a companion structure, LOBSTER Z=) */
  species?: string[];
  /**
   * what the "sites" are: atoms (every VASP file, DOSCAR.lobster) or LCFO fragments (DOSCAR.LCFO.lobster: one block
   * per fragment, named in `fragments`, no species). Absent means atoms.
   */
  basis?: 'atoms' | 'lcfo';
  /** fragment label per block for basis 'lcfo' (`AlN_1`, `Al_2`: name and 1-based fragment number) */
  fragments?: string[];
  /**
   * provenance and parameters as far as the file says. VASP DOSCAR: nions, ncdij, partialFlag, ispin,
   * columnsTotal, and with PDOS layout (`lm-spin` …), lorbit (10 or 11, guessed from the layout), columns;
   * `warning` when the file announces PDOS but ends after the total DOS. vasprun.xml: spinSets (1, 2, 4),
   * calculation (1-based index of the ionic step the DOS belongs to), program, version, lorbit, ispin, nedos.
   */
  meta: Record<string, string | number | boolean>;
}

/** Energies relative to the Fermi level (E − E_F), in eV. */
export function relativeEnergies(dos: Dos): Float64Array {
  if (dos.energyZero === 'fermi') return dos.energies;
  const out = new Float64Array(dos.nedos);
  for (let i = 0; i < dos.nedos; i++) out[i] = dos.energies[i] - dos.efermi;
  return out;
}

/** One projected channel as a view (no copy). */
export function pdosChannel(dos: Dos, site: number, orbital: number, spin: number): Float64Array {
  if (!dos.pdos) throw new RangeError('this DOS has no projections');
  const start = ((dos.orbitalOffset[site] + orbital) * dos.nspin + spin) * dos.nedos;
  return dos.pdos.subarray(start, start + dos.nedos);
}

/** The l character of an orbital label (VASP or LOBSTER naming): 's' | 'p' | 'd' | 'f'. */
export function orbitalShell(label: string): 's' | 'p' | 'd' | 'f' {
  const m = /^\d*([spdf])/.exec(label.trim()) ?? /([spdf])/.exec(label);
  if (m) return m[1] as 's' | 'p' | 'd' | 'f';
  // VASP writes d orbitals without a prefix letter for x2-y2 / dx2
  return label.includes('x2') ? 'd' : 's';
}
