import type { Structure } from '../../src/model/structure.js';
import { ByteWriter } from './writer.js';
import { Rng } from './random.js';

/**
 * Synthetic spin-polarised, lm-decomposed DOS of a Li-rich layered oxide, written as the three twins a user meets:
 * VASP 5 DOSCAR (LORBIT 11, ISPIN 2), vasprun.xml (`<dos>` with `<partial>`) and DOSCAR.lobster. Each channel is a
 * sum of Gaussian bands per species and shell (O 2p below E_F, TM 3d split by exchange across E_F), scaled per atom
 * and channel by a seeded factor, so every site differs and window integrals are non-trivial.
 */
export interface DosSpec {
  structure: Structure;
  nedos: number;
  seed: number;
}

const EFERMI = 5.4321;
const EMIN = EFERMI - 20;
const EMAX = EFERMI + 10;
/** values below this are written as exact zeros (VASP's own files are full of 0.0000E+00 in band gaps and tails) */
const TINY = 1e-30;

const LM = ['s', 'py', 'pz', 'px', 'dxy', 'dyz', 'dz2', 'dxz', 'x2-y2'];
const SHELL = [0, 1, 1, 1, 2, 2, 2, 2, 2];

/** bands per species and shell: [centre rel. E_F (eV), width (eV), weight (states)] for spin up; down shifts TM d */
type Band = [number, number, number];
const BANDS: Record<string, Band[][]> = {
  O: [[[-18.5, 0.6, 0.9]], [[-5.5, 1.2, 0.55], [-1.2, 0.7, 0.3], [2.5, 0.8, 0.05]], [[-5.0, 1.5, 0.02]]],
  Li: [[[-0.5, 3, 0.02]], [[1.5, 3, 0.03]], [[3, 3, 0.01]]],
  Mn: [[[-4, 2, 0.1]], [[-15.5, 0.4, 0.6], [-3, 2, 0.1]], [[-2.0, 0.8, 0.55], [1.8, 0.6, 0.35]]],
  Ni: [[[-4, 2, 0.1]], [[-15.0, 0.4, 0.6], [-3, 2, 0.1]], [[-1.4, 0.7, 0.8], [1.2, 0.5, 0.15]]],
  Co: [[[-4, 2, 0.1]], [[-15.2, 0.4, 0.6], [-3, 2, 0.1]], [[-1.6, 0.6, 0.9], [2.2, 0.6, 0.1]]],
};
const EXCHANGE: Record<string, number> = { O: 0.2, Li: 0, Mn: 2.6, Ni: 1.2, Co: 0.4 };

export interface DosModel {
  energies: Float64Array;
  /** per species: 9 lm × 2 spins curves, [ (lm * 2 + spin) * nedos + e ] */
  curves: Map<string, Float64Array>;
  /** per atom: 9 lm × 2 spin scale factors */
  scale: Float64Array;
  species: string[];
  total: Float64Array;
  integrated: Float64Array;
  nedos: number;
  efermi: number;
}

function gauss(e: number, [c, w, a]: Band): number {
  const x = (e - c) / w;
  return (a / (w * Math.sqrt(2 * Math.PI))) * Math.exp(-0.5 * x * x);
}

export function dosModel(spec: DosSpec): DosModel {
  const { nedos } = spec;
  const species = spec.structure.species;
  const energies = new Float64Array(nedos);
  // rounded to the 3 decimals DOSCAR keeps, so all three twins carry the same grid
  for (let i = 0; i < nedos; i++) energies[i] = Math.round((EMIN + ((EMAX - EMIN) * i) / (nedos - 1)) * 1000) / 1000;
  const curves = new Map<string, Float64Array>();
  for (const sp of new Set(species)) {
    const bands = BANDS[sp] ?? BANDS.Li;
    const c = new Float64Array(18 * nedos);
    for (let lm = 0; lm < 9; lm++) {
      const shell = bands[SHELL[lm]];
      for (let spin = 0; spin < 2; spin++) {
        const shift = spin === 1 && SHELL[lm] === 2 ? EXCHANGE[sp] ?? 0 : spin === 1 ? 0.1 * (EXCHANGE[sp] ?? 0) : 0;
        const base = (lm * 2 + spin) * nedos;
        for (let e = 0; e < nedos; e++) {
          let v = 0;
          for (const b of shell) v += gauss(energies[e] - EFERMI, [b[0] + shift, b[1], b[2] * (1 + 0.04 * (lm % 3))]);
          c[base + e] = v < TINY ? 0 : v;
        }
      }
    }
    curves.set(sp, c);
  }
  const rng = new Rng(spec.seed);
  const scale = new Float64Array(species.length * 18);
  for (let k = 0; k < scale.length; k++) scale[k] = 1 + 0.15 * (rng.next() - 0.5);
  const total = new Float64Array(2 * nedos);
  species.forEach((sp, a) => {
    const c = curves.get(sp)!;
    for (let ch = 0; ch < 18; ch++) {
      const s = scale[a * 18 + ch];
      const spin = ch & 1;
      for (let e = 0; e < nedos; e++) total[spin * nedos + e] += c[ch * nedos + e] * s;
    }
  });
  const integrated = new Float64Array(2 * nedos);
  for (let spin = 0; spin < 2; spin++) {
    let acc = 0;
    for (let e = 1; e < nedos; e++) {
      const o = spin * nedos;
      acc += 0.5 * (total[o + e] + total[o + e - 1]) * (energies[e] - energies[e - 1]);
      integrated[o + e] = acc;
    }
  }
  return { energies, curves, scale, species, total, integrated, nedos, efermi: EFERMI };
}

/** value of channel (lm, spin) of atom a at grid point e */
function pd(m: DosModel, a: number, lm: number, spin: number, e: number, c: Float64Array): number {
  return c[(lm * 2 + spin) * m.nedos + e] * m.scale[a * 18 + lm * 2 + spin];
}

/** VASP 5.x DOSCAR, ISPIN 2, LORBIT 11: `4I4`, `5E15.7`, `2F16.8,I5,2F16.8`, rows `3X,F8.3,nE12.4`. */
export function writeDoscar(path: string, m: DosModel, volume: number): number {
  const w = new ByteWriter(path);
  const n = m.species.length;
  w.str(`${String(n).padStart(4)}${String(n).padStart(4)}   1   0`).nl();
  w.fortranE(volume, 15, 7).fortranE(2.85e-10, 15, 7).fortranE(2.85e-10, 15, 7).fortranE(14.25e-10, 15, 7).fortranE(5e-16, 15, 7).nl();
  w.str('   1.0000000000000000E-004').nl().str('  CAR ').nl().str(' oxyscope bench (synthetic LRLO)          ').nl();
  const head = () => w.fixed(EMAX, 16, 8).fixed(EMIN, 16, 8).str(String(m.nedos).padStart(5)).fixed(m.efermi, 16, 8).fixed(1, 16, 8).nl();
  head();
  for (let e = 0; e < m.nedos; e++) {
    w.spaces(3).fixed(m.energies[e], 8, 3);
    w.fortranE(m.total[e], 12, 4).fortranE(m.total[m.nedos + e], 12, 4);
    w.fortranE(m.integrated[e], 12, 4).fortranE(m.integrated[m.nedos + e], 12, 4).nl();
  }
  for (let a = 0; a < n; a++) {
    head();
    const c = m.curves.get(m.species[a])!;
    for (let e = 0; e < m.nedos; e++) {
      w.spaces(3).fixed(m.energies[e], 8, 3);
      for (let lm = 0; lm < 9; lm++) w.fortranE(pd(m, a, lm, 0, e, c), 12, 4).fortranE(pd(m, a, lm, 1, e, c), 12, 4);
      w.nl();
    }
  }
  return w.close();
}

function xmlVector(w: ByteWriter, tag: string, v: ArrayLike<number>, at: number): void {
  w.str(`    <${tag}>`).fixed(v[at], 17, 8).fixed(v[at + 1], 17, 8).fixed(v[at + 2], 17, 8).str(` </${tag}>`).nl();
}

function xmlStructure(w: ByteWriter, s: Structure, name?: string): void {
  w.str(name ? ` <structure name="${name}" >` : '  <structure>').nl().str('  <crystal>').nl().str('   <varray name="basis" >').nl();
  for (let r = 0; r < 3; r++) xmlVector(w, 'v', s.lattice, 3 * r);
  w.str('   </varray>').nl();
  const l = s.lattice;
  const vol = Math.abs(l[0] * (l[4] * l[8] - l[5] * l[7]) - l[1] * (l[3] * l[8] - l[5] * l[6]) + l[2] * (l[3] * l[7] - l[4] * l[6]));
  w.str('   <i name="volume">').fixed(vol, 17, 8).str(' </i>').nl();
  w.str('  </crystal>').nl().str('  <varray name="positions" >').nl();
  for (let i = 0; i < s.species.length; i++) xmlVector(w, 'v', s.frac, 3 * i);
  w.str('  </varray>').nl().str(' </structure>').nl();
}

/**
 * vasprun.xml of a single-point LORBIT 11, ISPIN 2 run (VASP 5.4.4 layout): generator, incar, kpoints,
 * parameters, atominfo, initialpos, one calculation with energy and dos (total + partial), finalpos.
 * Eigenvalues and projections are left out, as in the reference twin.
 */
export function writeVasprun(path: string, m: DosModel, s: Structure): number {
  const w = new ByteWriter(path);
  const n = m.species.length;
  const types = [...new Set(m.species)];
  w.str('<?xml version="1.0" encoding="ISO-8859-1"?>\n<modeling>\n <generator>\n');
  w.str('  <i name="program" type="string">vasp </i>\n  <i name="version" type="string">5.4.4.18Apr17-6-g9f103f2a35  </i>\n');
  w.str('  <i name="subversion" type="string">(build Nov 25 2026 00:00:00) complex  parallel </i>\n  <i name="platform" type="string">LinuxIFC </i>\n');
  w.str('  <i name="date" type="string">2026 11 25 </i>\n  <i name="time" type="string">12:00:00 </i>\n </generator>\n');
  w.str(' <incar>\n  <i type="string" name="SYSTEM">oxyscope bench</i>\n  <i name="ISPIN">     2</i>\n  <i name="ISMEAR">     0</i>\n');
  w.str('  <i name="SIGMA">      0.05000000</i>\n  <i name="LORBIT">    11</i>\n');
  w.str(`  <i name="NEDOS">  ${m.nedos}</i>\n </incar>\n`);
  w.str(' <kpoints>\n  <generation param="Gamma">\n   <v type="int" name="divisions">       1        1        1 </v>\n');
  w.str('   <v name="usershift">      0.00000000       0.00000000       0.00000000 </v>\n  </generation>\n');
  w.str('  <varray name="kpointlist" >\n   <v>       0.00000000       0.00000000       0.00000000 </v>\n  </varray>\n');
  w.str('  <varray name="weights" >\n   <v>       1.00000000 </v>\n  </varray>\n </kpoints>\n');
  w.str(' <parameters>\n  <separator name="electronic" >\n   <i name="NELECT">    1000.00000000</i>\n   <i type="int" name="NELM">    60</i>\n');
  w.str('   <separator name="electronic spin" >\n    <i type="int" name="ISPIN">     2</i>\n');
  w.str('    <i type="logical" name="LNONCOLLINEAR"> F  </i>\n    <i type="logical" name="LSORBIT"> F  </i>\n   </separator>\n');
  w.str('   <separator name="electronic smearing" >\n    <i type="int" name="ISMEAR">     0</i>\n    <i name="SIGMA">      0.05000000</i>\n   </separator>\n  </separator>\n');
  w.str('  <separator name="ionic" >\n   <i type="int" name="NSW">     0</i>\n   <i type="int" name="IBRION">    -1</i>\n  </separator>\n');
  w.str(`  <separator name="dos" >\n   <i type="int" name="LORBIT">    11</i>\n   <i type="int" name="NEDOS">  ${m.nedos}</i>\n  </separator>\n </parameters>\n`);
  w.str(` <atominfo>\n  <atoms>${String(n).padStart(6)} </atoms>\n  <types>${String(types.length).padStart(7)} </types>\n`);
  w.str('  <array name="atoms" >\n   <dimension dim="1">ion</dimension>\n   <field type="string">element</field>\n   <field type="int">atomtype</field>\n   <set>\n');
  for (const sp of m.species) w.str(`    <rc><c>${sp.padEnd(2)}</c><c>${String(types.indexOf(sp) + 1).padStart(4)}</c></rc>\n`);
  w.str('   </set>\n  </array>\n  <array name="atomtypes" >\n   <dimension dim="1">type</dimension>\n');
  w.str('   <field type="int">atomspertype</field>\n   <field type="string">element</field>\n   <field>mass</field>\n   <field>valence</field>\n   <field type="string">pseudopotential</field>\n   <set>\n');
  for (const sp of types) {
    const count = m.species.filter((x) => x === sp).length;
    w.str(`    <rc><c>${String(count).padStart(4)}</c><c>${sp.padEnd(2)}</c><c>     1.00000000</c><c>      1.00000000</c><c>  PAW_PBE ${sp} 01Jan2000                  </c></rc>\n`);
  }
  w.str('   </set>\n  </array>\n </atominfo>\n');
  xmlStructure(w, s, 'initialpos');
  w.str(' <calculation>\n');
  xmlStructure(w, s);
  w.str('  <energy>\n   <i name="e_fr_energy">  -4321.12345678 </i>\n   <i name="e_wo_entrp">  -4321.02345678 </i>\n   <i name="e_0_energy">  -4321.07345678 </i>\n  </energy>\n');
  w.str('  <time name="totalsc">    1.00    1.00</time>\n  <dos>\n');
  w.str('   <i name="efermi">').fixed(m.efermi, 16, 8).str(' </i>\n   <total>\n    <array>\n     <dimension dim="1">gridpoints</dimension>\n     <dimension dim="2">spin</dimension>\n');
  w.str('     <field>energy</field>\n     <field>total</field>\n     <field>integrated</field>\n     <set>\n');
  for (let spin = 0; spin < 2; spin++) {
    w.str(`      <set comment="spin ${spin + 1}">\n`);
    for (let e = 0; e < m.nedos; e++) {
      w.str('       <r>').fixed(m.energies[e], 11, 4).fixed(m.total[spin * m.nedos + e], 11, 4).fixed(m.integrated[spin * m.nedos + e], 11, 4).str(' </r>').nl();
    }
    w.str('      </set>\n');
  }
  w.str('     </set>\n    </array>\n   </total>\n   <partial>\n    <array>\n     <dimension dim="1">gridpoints</dimension>\n');
  w.str('     <dimension dim="2">spin</dimension>\n     <dimension dim="3">ion</dimension>\n     <field>energy</field>\n');
  for (const o of LM) w.str(`     <field>${o.padStart(5)}</field>\n`);
  w.str('     <set>\n');
  for (let a = 0; a < n; a++) {
    const c = m.curves.get(m.species[a])!;
    w.str(`      <set comment="ion ${a + 1}">\n`);
    for (let spin = 0; spin < 2; spin++) {
      w.str(`       <set comment="spin ${spin + 1}">\n`);
      for (let e = 0; e < m.nedos; e++) {
        w.str('        <r>').fixed(m.energies[e], 11, 4);
        for (let lm = 0; lm < 9; lm++) w.fixed(pd(m, a, lm, spin, e, c), 11, 4);
        w.str(' </r>').nl();
      }
      w.str('       </set>\n');
    }
    w.str('      </set>\n');
  }
  w.str('     </set>\n    </array>\n   </partial>\n  </dos>\n </calculation>\n');
  xmlStructure(w, s, 'finalpos');
  w.str('</modeling>\n');
  return w.close();
}

/** LOBSTER orbital basis per species (pbeVaspFit2015-like) and which VASP lm channels feed each orbital. */
const LOBSTER_BASIS: Record<string, [string, number][]> = {
  O: [['2s', 0], ['2p_y', 1], ['2p_z', 2], ['2p_x', 3]],
  Li: [['1s', 0], ['2s', 0]],
  TM: [['4s', 0], ['3p_y', 1], ['3p_z', 2], ['3p_x', 3], ['3d_xy', 4], ['3d_yz', 5], ['3d_z^2', 6], ['3d_xz', 7], ['3d_x^2-y^2', 8]],
};
const Z: Record<string, number> = { Li: 3, O: 8, Mn: 25, Co: 27, Ni: 28 };

/**
 * DOSCAR.lobster, spin-polarised: energies shifted to E_F = 0, per-atom headers `…; Z= 8; 2s 2p_y …`, rows
 * `F9.5` energy then `F10.5` per orbital with spins interleaved.
 */
export function writeDoscarLobster(path: string, m: DosModel, volume: number): number {
  const w = new ByteWriter(path);
  const n = m.species.length;
  w.str(`${String(n).padStart(4)} ${String(n).padStart(4)}    1    2`).nl();
  w.cE(volume, 15, 7).cE(2.85e-10, 16, 7).cE(2.85e-10, 16, 7).cE(14.25e-10, 16, 7).cE(5e-16, 16, 7).nl();
  w.str('            1.000000e-04').nl().str('  CAR').nl();
  w.str(' DOS and projected DOS file by LOBSTER. Energy is shifted such that the Fermi level lies at 0 eV. ').nl();
  const head = () => w.fixed(EMAX - m.efermi, 16, 8).fixed(EMIN - m.efermi, 17, 8).str(String(m.nedos).padStart(6)).fixed(m.efermi, 17, 8).fixed(1, 17, 8);
  head().nl();
  for (let e = 0; e < m.nedos; e++) {
    w.fixed(m.energies[e] - m.efermi, 9, 5);
    // LOBSTER's F10.5 runs totals above 999.99999 into each other; one blank is kept between them instead
    for (const v of [m.total[e], m.total[m.nedos + e], m.integrated[e], m.integrated[m.nedos + e]]) w.spaces(1).fixed(v, 9, 5);
    w.nl();
  }
  for (let a = 0; a < n; a++) {
    const sp = m.species[a];
    const basis = LOBSTER_BASIS[sp] ?? LOBSTER_BASIS.TM;
    head().str(`; Z=${String(Z[sp] ?? 25).padStart(3)}; ${basis.map((b) => b[0]).join(' ')} `).nl();
    const c = m.curves.get(sp)!;
    for (let e = 0; e < m.nedos; e++) {
      w.fixed(m.energies[e] - m.efermi, 9, 5);
      for (const [, lm] of basis) w.fixed(pd(m, a, lm, 0, e, c), 10, 5).fixed(pd(m, a, lm, 1, e, c), 10, 5);
      w.nl();
    }
  }
  return w.close();
}
