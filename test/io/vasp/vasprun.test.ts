import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { parseVasprun, readVasprun } from '../../../src/io/vasp/vasprun.js';
import { fromBytes } from '../../../src/io/source.js';
import { pdosChannel } from '../../../src/model/dos.js';
import { formula } from '../../../src/model/structure.js';
import { latticeParameters } from '../../../src/model/lattice.js';
import { ParseError } from '../../../src/errors.js';

const DIR = join(__dirname, '../../fixtures/real/vasp');
/** b without the bytes [p, q) */
const cutOut = (b: Uint8Array, p: number, q: number): Uint8Array => {
  const x = new Uint8Array(b.length - (q - p));
  x.set(b.subarray(0, p));
  x.set(b.subarray(q), p);
  return x;
};
const load = (p: string) => {
  const b = readFileSync(join(DIR, p));
  return p.endsWith('.gz') ? gunzipSync(b) : b;
};

/**
 * Reference values from pymatgen 2022.11 (Debian /usr/bin/python3), computed once:
 *   v = Vasprun(f, parse_potcar_file=False, parse_projected_eigen=False)
 *   len(v.final_structure), len(v.ionic_steps), v.efermi, v.final_energy, v.ionic_steps[-1]['e_fr_energy'],
 *   v.final_structure.lattice.abc, t = v.tdos: len(t.energies), i = n // 2, t.energies[i], t.densities[Spin.up][i]
 *   (and Spin.down), v.idos.densities[Spin.up][-1], and for site 0 the first orbital: j = argmax(pdos[0][s][up]),
 *   its value (and the down value at j).
 * aiida-vasp__spin and __partial make pymatgen fail on KINTER '******'; their numbers come from a copy with that
 * one field replaced by 0. pymatgen reads the spin-orbit file's m_x as spin down (pymatgen#4239); only its
 * 'up' (the total) is compared there.
 */
const CASES: {
  file: string;
  nsites: number;
  steps: number;
  efermi: number;
  e0: number;
  efr: number;
  abc: number[];
  formula: string;
  nedos: number;
  E: number;
  up: number;
  down?: number;
  idosLast: number;
  noncollinear?: boolean;
  orbs?: number;
  pdos0?: [number, number, number?]; // index j, value up (, down)
}[] = [
  { file: 'doscar/aiida-vasp__basic_run/vasprun.xml', nsites: 8, steps: 1, efermi: 4.29634683, e0: -36.09616894, efr: -36.09677152, abc: [6.05836, 6.05836, 6.05836], formula: 'In4As4', nedos: 301, E: 1.5113, up: 9.4605, idosLast: 96, orbs: 9, pdos0: [118, 1.084] },
  { file: 'doscar/aiida-vasp__doscar/vasprun.xml', nsites: 4, steps: 1, efermi: 7.29482275, e0: -14.16209692, efr: -14.21187812, abc: [4.04, 4.04, 4.04], formula: 'Al4', nedos: 10, E: 6.0659, up: -0.0, idosLast: 20, orbs: 9, pdos0: [4, 0.1163] },
  { file: 'doscar/custodian__lobster__v51/vasprun.xml', nsites: 8, steps: 1, efermi: -0.89230356, e0: -27.11090125, efr: -27.11090125, abc: [5.69462508, 5.69462508, 5.69462508], formula: 'Na4Cl4', nedos: 301, E: -7.0158, up: 0, idosLast: 64 },
  { file: 'doscar/custodian__lobster__vasp_lobster_output/vasprun.xml', nsites: 14, steps: 1, efermi: 2.53291965, e0: -67.72457099, efr: -67.72457099, abc: [7.37352735, 7.37352735, 7.37352735], formula: 'K4Sn4O6', nedos: 301, E: -8.5732, up: 0, down: 0, idosLast: 80, orbs: 9, pdos0: [14, 6.1639, 6.1638] },
  { file: 'vasprun/aiida-vasp__ionic-relax-magmom-carry-on__calc-001/vasprun.xml', nsites: 1, steps: 4, efermi: 0.54850507, e0: -1.99021689, efr: -1.9924927, abc: [3.35091822, 3.35091822, 3.35091822], formula: 'Si', nedos: 301, E: 5.1251, up: 1.0847, down: 0.7204, idosLast: 12, orbs: 3, pdos0: [50, 0.5606, 0.0129] },
  { file: 'vasprun/aiida-vasp__partial/vasprun.xml', nsites: 8, steps: 1, efermi: 5.96751531, e0: -42.91113295, efr: -42.91231648, abc: [5.46503124, 5.46503124, 5.46503124], formula: 'Si8', nedos: 1000, E: 0.01, up: 1.9697, idosLast: 41.8373, orbs: 9, pdos0: [448, 0.1876] },
  { file: 'vasprun/aiida-vasp__spin/vasprun.xml', nsites: 8, steps: 1, efermi: 5.96622533, e0: -42.91111184, efr: -42.91229866, abc: [5.46503124, 5.46503124, 5.46503124], formula: 'Si8', nedos: 1000, E: 0.01, up: 0.9839, down: 0.9844, idosLast: 24.0122 },
  { file: 'vasprun/custodian__postprocess/vasprun.xml', nsites: 4, steps: 28, efermi: 2.41549698, e0: -28.21851457, efr: -28.21851457, abc: [2.31352706, 3.27339979, 6.24732775], formula: 'Fe2O2', nedos: 301, E: 0.5428, up: 2.1484, down: 7.08, idosLast: 24, orbs: 9, pdos0: [284, 0.8952, 0] },
  { file: 'vasprun/pymatgen-test-files__fe_monomer/vasprun.xml', nsites: 1, steps: 1, efermi: 11.57777542, e0: 711.33751372, efr: 711.33751372, abc: [2.44658946, 2.44658946, 1.73], formula: 'Fe', nedos: 301, E: 15.6106, up: 0.1766, down: 0.1766, idosLast: 16, orbs: 9, pdos0: [104, 0.1112, 0.1112] },
  { file: 'vasprun/vasprun.xml.LiF', nsites: 2, steps: 1, efermi: -1.23130125, e0: -9.64589684, efr: -9.64589684, abc: [2.88741963, 2.88741963, 2.88741963], formula: 'LiF', nedos: 301, E: -7.2094, up: 0, down: 0, idosLast: 10, orbs: 9, pdos0: [247, 0.13, 0.13] },
  { file: 'vasprun/vasprun.xml.dielectric_6.0.8', nsites: 30, steps: 1, efermi: 3.66818026, e0: -189.85475819, efr: -189.85475819, abc: [5.54368881, 6.07261634, 10.2680641], formula: 'Li12Bi4O14', nedos: 2000, E: -7.8296, up: 2.3612, idosLast: 384, noncollinear: true },
  { file: 'vasprun/vasprun.xml.etest1.gz', nsites: 1, steps: 8, efermi: 8.9069311, e0: -11.18981538, efr: -11.217323, abc: [2.27068336, 2.27068336, 2.27068336], formula: 'Cu', nedos: 301, E: 23.9869, up: 0, idosLast: 24 },
  { file: 'vasprun/vasprun.xml.indirect.gz', nsites: 2, steps: 1, efermi: 5.6977647, e0: -9.72296268, efr: -9.72296268, abc: [3.86755165, 3.86755165, 3.86755165], formula: 'Si2', nedos: 301, E: 11.1313, up: 0, idosLast: 32, orbs: 9, pdos0: [33, 0.0427] },
];

describe('parseVasprun on every real vasprun.xml (cross-checked with pymatgen)', () => {
  for (const c of CASES) {
    it(c.file, async () => {
      const v = parseVasprun(load(c.file), c.file);
      expect(v.atoms.length).toBe(c.nsites);
      expect(formula(v.atoms)).toBe(c.formula);
      expect(v.ionicSteps).toBe(c.steps);
      expect(v.efermi).toBe(c.efermi);
      expect(v.finalEnergy!.energy).toBeCloseTo(c.efr, 8);
      expect(v.finalEnergy!.energySigma0).toBeCloseTo(c.e0, 8);
      const lp = latticeParameters(v.structures.final.lattice);
      expect([lp.a, lp.b, lp.c].map((x) => +x.toFixed(8))).toEqual(c.abc);
      expect(v.structures.final.species.length).toBe(c.nsites);
      expect(v.structures.initial.frac.length).toBe(3 * c.nsites);
      const d = v.dos!;
      expect(d.source).toBe('vasprun');
      expect(d.energyZero).toBe('absolute');
      expect(d.nedos).toBe(c.nedos);
      expect(v.nedos).toBe(c.nedos);
      expect(d.species).toEqual(v.atoms);
      const n = c.nedos;
      const i = n >> 1;
      expect(d.energies[i]).toBe(c.E);
      expect(d.total[i]).toBe(c.up);
      expect(d.nspin).toBe(c.down === undefined ? 1 : 2);
      if (c.down !== undefined) expect(d.total[n + i]).toBe(c.down);
      expect(d.integrated![n - 1]).toBe(c.idosLast);
      expect(d.noncollinear).toBe(c.noncollinear ?? false);
      expect(v.noncollinear).toBe(c.noncollinear ?? false);
      if (c.orbs) {
        expect(d.orbitals[0].length).toBe(c.orbs);
        expect(d.pdos!.length).toBe(c.nsites * c.orbs * d.nspin * n);
        const s = pdosChannel(d, 0, 0, 0);
        let j = 0;
        for (let e = 0; e < n; e++) if (s[e] > s[j]) j = e;
        expect(j).toBe(c.pdos0![0]);
        expect(s[j]).toBe(c.pdos0![1]);
        if (c.pdos0![2] !== undefined) expect(pdosChannel(d, 0, 0, 1)[j]).toBe(c.pdos0![2]);
      } else expect(d.pdos).toBeUndefined();
      // the same through the streaming reader in 97-byte chunks
      const sv = await readVasprun(fromBytes(c.file, load(c.file), 97));
      expect(sv.dos!.total).toEqual(d.total);
      expect(sv.dos!.energies).toEqual(d.energies);
      expect(sv.dos!.pdos).toEqual(d.pdos);
      expect(sv.structures.final.frac).toEqual(v.structures.final.frac);
      expect(sv.warnings).toEqual(v.warnings);
    });
  }

  it('trims the padded partial field names and names dx2 x2-y2 in every version', () => {
    expect(parseVasprun(load('vasprun/vasprun.xml.LiF'), 'x').dos!.orbitals[1]).toEqual(['s', 'py', 'pz', 'px', 'dxy', 'dyz', 'dz2', 'dxz', 'x2-y2']);
    expect(parseVasprun(load('vasprun/custodian__postprocess/vasprun.xml'), 'x').dos!.orbitals[3][8]).toBe('x2-y2');
    expect(parseVasprun(load('vasprun/aiida-vasp__ionic-relax-magmom-carry-on__calc-001/vasprun.xml'), 'x').dos!.orbitals[0]).toEqual(['s', 'p', 'd']);
  });

  it('keeps the spin-orbit m_x, m_y, m_z apart from the DOS', () => {
    const v = parseVasprun(load('vasprun/vasprun.xml.dielectric_6.0.8'), 'x');
    const d = v.dos!;
    expect(v.lsorbit).toBe(true);
    expect(d.nspin).toBe(1);
    expect(d.total.length).toBe(2000);
    expect(d.magnetization!.length).toBe(3 * 2000);
    // spin 2 (m_x) row 1000 of the total DOS, by hand from the file (<set comment="spin 2">, 1001st <r>)
    const text = load('vasprun/vasprun.xml.dielectric_6.0.8').toString('latin1');
    const spin2 = text.indexOf('<set comment="spin 2">', text.indexOf('<dos>'));
    const rows = text.slice(spin2, spin2 + 200000).match(/<r>([^<]*)<\/r>/g)!;
    expect(d.magnetization![1000]).toBe(Number(rows[1000].replace(/<\/?r>/g, '').trim().split(/\s+/)[1]));
  });

  it('reads parameters, generator and tolerates ****** integers with a warning', () => {
    const v = parseVasprun(load('vasprun/aiida-vasp__spin/vasprun.xml'), 'x');
    expect(v.parameters).toMatchObject({ ISPIN: 2, NEDOS: 1000, ISMEAR: 0, SIGMA: 0.2, NELECT: 32, LSORBIT: false });
    expect(v.generator.version).toBe('5.4.1');
    expect(v.warnings.some((w) => /KINTER/.test(w))).toBe(true);
    const lif = parseVasprun(load('vasprun/vasprun.xml.LiF'), 'x');
    expect(lif.lorbit).toBe(11);
    expect(lif.ispin).toBe(2);
    expect(lif.generator).toEqual({ program: 'vasp', version: '5.4.4.18Apr17-6-g9f103f2a35' });
  });

  it('keeps the DOS of the last calculation of a relaxation and its final structure', () => {
    const v = parseVasprun(load('vasprun/custodian__postprocess/vasprun.xml'), 'x');
    expect(v.ionicSteps).toBe(28);
    expect(v.dos!.meta.calculation).toBe(28);
    expect(v.structures.final.frac).not.toEqual(v.structures.initial.frac);
  });
});

describe('parseVasprun refuses broken files', () => {
  const parseErr = (b: Uint8Array | string) => {
    try {
      parseVasprun(b, 'vasprun.xml');
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      return e as ParseError;
    }
    throw new Error('no error');
  };

  it('empty file and non-XML', () => {
    expect(parseErr('').message).toMatch(/empty/);
    expect(parseErr('<?xml version="1.0"?>\n<html></html>').message).toMatch(/modeling/);
  });

  for (const c of CASES) {
    it(`cut in the middle of the DOS: ${c.file}`, async () => {
      const b = load(c.file);
      const text = b.toString('latin1');
      const cut = text.indexOf('<r>', text.indexOf('<set comment="spin 1">', text.lastIndexOf('<dos>'))) + 2000;
      const e = parseErr(b.subarray(0, cut));
      expect(e.line).toBeGreaterThan(1);
      expect(e.message).toMatch(/dos|DOS/);
      await expect(readVasprun(fromBytes('x', b.subarray(0, cut), 97))).rejects.toThrow(ParseError);
    });
  }

  it('a file cut after its DOS returns what is complete with a warning', () => {
    const b = load('vasprun/vasprun.xml.LiF');
    const text = b.toString('latin1');
    const v = parseVasprun(b.subarray(0, text.indexOf('<structure name="finalpos"') + 10), 'x');
    expect(v.dos!.nedos).toBe(301);
    expect(v.structures.final.species).toEqual(['Li', 'F']);
    expect(v.warnings.some((w) => /before <\/modeling>/.test(w))).toBe(true);
  });

  it('a **** DOS value names its line', () => {
    const text = load('vasprun/vasprun.xml.LiF').toString('latin1').split('\n');
    const k = text.findIndex((l, i) => i > 1200 && /<r>/.test(l));
    text[k] = text[k].replace(/0\.0000/, '******');
    const e = parseErr(text.join('\n'));
    expect(e.line).toBe(k + 1);
    expect(e.found).toContain('***');
  });
});

describe('parseVasprun on hand-made files', () => {
  // a minimal vasprun.xml made in this test: 1 Li atom, two calculations with a 2-point non-spin DOS each
  const calc = (ef: number, d: number, extra = '') => `
 <calculation>
  <energy>
   <i name="e_fr_energy">     ${-d} </i>
   <i name="e_0_energy">      ${-d} </i>
  </energy>
  ${extra}
  <dos>
   <i name="efermi">   ${ef} </i>
   <total><array><field>energy</field><field>total</field><field>integrated</field>
    <set><set comment="spin 1">
      <r>  -1.0000  ${d} 0.0 </r>
      <r>   1.0000  ${2 * d} ${d} </r>
    </set></set>
   </array></total>
  </dos>
  <eigenvalues><array><set><set comment="spin 1"><r> 1 2 </r></set></set></array></eigenvalues>
 </calculation>`;
  const head = `<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE modeling>
<!-- a comment with <tags> inside -->
<modeling>
 <atominfo><atoms> 1 </atoms><array name="atoms"><set><rc><c>Li</c><c> 1</c></rc></set></array></atominfo>
 <structure name="initialpos"><crystal><varray name="basis"><v> 3 0 0 </v><v> 0 3 0 </v><v> 0 0 3 </v></varray></crystal>
  <varray name="positions"><v> 0.1 0.2 0.3 </v></varray></structure>`;
  const tail = `
 <structure name="finalpos"><crystal><varray name="basis"><v> 3 0 0 </v><v> 0 3 0 </v><v> 0 0 3.5 </v></varray></crystal>
  <varray name="positions"><v> 0.1 0.2 0.35 </v></varray></structure>
</modeling>
`;
  const opt = `<dos comment="kpoints_opt"><i name="efermi"> 9 </i><total><array><set><set><r> 5 5 5 </r></set></set></array></total></dos>`;

  it('keeps the last DOS, skips the KPOINTS_OPT one, reads through comments and a DOCTYPE', () => {
    const v = parseVasprun(head + calc(0.5, 1) + calc(0.7, 3, opt) + tail, 'hand.xml');
    expect(v.ionicSteps).toBe(2);
    expect(v.efermi).toBe(0.7);
    expect(Array.from(v.dos!.total)).toEqual([3, 6]);
    expect(Array.from(v.dos!.integrated!)).toEqual([0, 3]);
    expect(v.dos!.meta.calculation).toBe(2);
    expect(v.finalEnergy).toEqual({ energy: -3, energySigma0: -3 });
    expect(v.structures.final.lattice[8]).toBe(3.5);
    expect(Array.from(v.structures.initial.cart)).toEqual([0.30000000000000004, 0.6000000000000001, 0.8999999999999999]);
    expect(v.warnings).toEqual([expect.stringMatching(/KPOINTS_OPT/)]);
  });

  it('a file cut inside <eigenvalues> after a complete DOS is read with a warning', () => {
    const text = head + calc(0.5, 1);
    const v = parseVasprun(text.slice(0, text.indexOf('<eigenvalues>') + 30), 'hand.xml');
    expect(v.dos!.efermi).toBe(0.5);
    expect(v.structures.final).toBe(v.structures.initial);
    expect(v.warnings.join()).toMatch(/before <\/modeling>/);
  });

  it('a file cut before the initial structure is a ParseError', () => {
    expect(() => parseVasprun(head.slice(0, head.indexOf('<structure') + 40), 'hand.xml')).toThrow(ParseError);
  });

  it('a DOS row with a missing value names its line', () => {
    const text = head + calc(0.5, 1).replace('<r>   1.0000  2 1 </r>', '<r>   1.0000  2 </r>') + tail;
    const line = text.split('\n').findIndex((l) => l.includes('<r>   1.0000  2 </r>')) + 1;
    try {
      parseVasprun(text, 'hand.xml');
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      expect((e as ParseError).line).toBe(line);
    }
  });
});

describe('parseVasprun on damaged copies', () => {
  it('any prefix, any one-byte change and any cut-out gives a result or a ParseError, nothing else', () => {
    let seed = 5;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const c of CASES) {
      const b = load(c.file);
      for (let k = 0; k < 12; k++) {
        const p = Math.floor(rnd() * b.length);
        let x: Uint8Array;
        if (k % 3 === 0) x = b.subarray(0, p);
        else if (k % 3 === 1) {
          x = Uint8Array.from(b);
          x[p] = [42, 60, 62, 10, 47, 65][k % 6];
        } else x = cutOut(b, p, Math.min(b.length, p + 1 + Math.floor(rnd() * 300)));
        try {
          const v = parseVasprun(x, c.file);
          expect(v.atoms.length).toBe(c.nsites);
        } catch (e) {
          expect(e).toBeInstanceOf(ParseError);
        }
      }
    }
  });
});
