import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateGroup, type Group } from '../../bench/generate/index.js';
import { fromBytes } from '../../src/io/source.js';
import { readDoscar } from '../../src/io/vasp/doscar.js';
import { readVasprun } from '../../src/io/vasp/vasprun.js';
import { readDoscarLobster } from '../../src/io/lobster/doscar-lobster.js';
import { readCohpcar } from '../../src/io/lobster/cohpcar.js';
import { parseIcohplist } from '../../src/io/lobster/icohplist.js';
import { parsePoscar } from '../../src/io/vasp/poscar.js';
import { readXdatcar } from '../../src/io/vasp/xdatcar.js';
import { ByteWriter } from '../../bench/generate/writer.js';

// small versions of every bench recipe (36·n²·m atoms)
const GROUPS: Group[] = [
  { id: 'dos', kind: 'dos', n: 1, m: 1, nedos: 301, twins: ['doscar', 'vasprun', 'lobster'], seed: 3 },
  { id: 'cohp', kind: 'cohp', n: 2, m: 1, bonds: 40, nedos: 201, seed: 4 },
  { id: 'xdatcar', kind: 'xdatcar', n: 1, m: 1, frames: 20, seed: 5 },
];

function generateAll(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const g of GROUPS) {
    for (const f of generateGroup(join(root, g.id), g)) out.set(`${g.id}/${f.path.split('/').pop()}`, readFileSync(f.path));
  }
  return out;
}

describe('bench input generators', () => {
  const a = mkdtempSync(join(tmpdir(), 'oxy-bench-a-'));
  const b = mkdtempSync(join(tmpdir(), 'oxy-bench-b-'));
  const first = generateAll(a);
  const second = generateAll(b);
  const text = (k: string) => first.get(k)!.toString('latin1');

  it('are byte-identical on re-run', () => {
    expect([...first.keys()].sort()).toEqual(['cohp/COHPCAR.lobster', 'cohp/ICOHPLIST.lobster', 'cohp/POSCAR', 'dos/DOSCAR', 'dos/DOSCAR.lobster', 'dos/POSCAR', 'dos/vasprun.xml', 'xdatcar/POSCAR', 'xdatcar/XDATCAR']);
    for (const [k, v] of first) expect(second.get(k)!.equals(v), k).toBe(true);
    rmSync(a, { recursive: true });
    rmSync(b, { recursive: true });
  });

  it('write a VASP 5 DOSCAR that readDoscar takes as LORBIT 11, ISPIN 2', async () => {
    const lines = text('dos/DOSCAR').split('\n');
    // header: 4I4 with 36 ions and the partial-DOS flag; line 6 2F16.8,I5,2F16.8
    expect(lines[0]).toBe('  36  36   1   0');
    expect(lines[5]).toBe('     15.43210000    -14.56790000  301      5.43210000      1.00000000');
    // rows 3X,F8.3 then E12.4: 11 + 4·12 (total) and 11 + 18·12 (per atom)
    expect(lines[6].length).toBe(11 + 4 * 12);
    expect(lines[6 + 301 + 1].length).toBe(11 + 18 * 12);
    const dos = await readDoscar(fromBytes('DOSCAR', first.get('dos/DOSCAR')!));
    expect(dos.nSites).toBe(36);
    expect(dos.nedos).toBe(301);
    expect(dos.nspin).toBe(2);
    expect(dos.meta.layout).toBe('lm-spin');
    expect(dos.efermi).toBe(5.4321);
    expect(dos.energies[0]).toBe(-14.568);
    // the first total-DOS value as written in the text
    expect(dos.total[0]).toBe(Number(lines[6].slice(11, 23)));
  });

  it('write the vasprun.xml and DOSCAR.lobster twins of the same DOS', async () => {
    const v = await readVasprun(fromBytes('vasprun.xml', first.get('dos/vasprun.xml')!));
    expect(v.warnings).toEqual([]);
    expect(v.atoms.length).toBe(36);
    expect(v.efermi).toBe(5.4321);
    expect(v.dos!.nedos).toBe(301);
    expect(v.dos!.orbitals[0]).toEqual(['s', 'py', 'pz', 'px', 'dxy', 'dyz', 'dz2', 'dxz', 'x2-y2']);
    const l = await readDoscarLobster(fromBytes('DOSCAR.lobster', first.get('dos/DOSCAR.lobster')!));
    expect(l.nSites).toBe(36);
    expect(l.nspin).toBe(2);
    expect(l.species).toEqual(v.atoms);
    expect(l.orbitals[v.atoms.indexOf('O')]).toEqual(['2s', '2p_y', '2p_z', '2p_x']);
    // same grid: LOBSTER energies are the DOSCAR ones minus E_F (5 decimals)
    expect(l.energies[10]).toBeCloseTo(v.dos!.energies[10] - 5.4321, 5);
  });

  it('write a COHPCAR whose integrated column at E_F is the ICOHPLIST value', async () => {
    const c = await readCohpcar(fromBytes('COHPCAR.lobster', first.get('cohp/COHPCAR.lobster')!));
    expect(c.bonds.length).toBe(40);
    expect(c.nspin).toBe(2);
    const list = parseIcohplist(first.get('cohp/ICOHPLIST.lobster')!, 'ICOHPLIST.lobster');
    expect(list.bonds.length).toBe(40);
    expect(list.bonds[0].translation.length).toBe(3);
    const e0 = Array.from(c.energies).indexOf(0);
    expect(e0).toBeGreaterThan(0);
    const poscar = parsePoscar(first.get('cohp/POSCAR')!, 'POSCAR');
    expect(poscar.species.length).toBe(144);
    // pymatgen's Cohpcar needs the last row without a newline, as LOBSTER writes it
    expect(text('cohp/COHPCAR.lobster').endsWith('\n')).toBe(false);
  });

  it('write an XDATCAR of the requested frames', async () => {
    const t = await readXdatcar(fromBytes('XDATCAR', first.get('xdatcar/XDATCAR')!));
    expect(t.nSites).toBe(36);
    expect(t.nFrames).toBe(20);
    expect(t.truncated).toBe(false);
    expect(Math.min(...t.frac)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...t.frac)).toBeLessThan(1);
  });
});

describe('ByteWriter number formats', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oxy-bench-w-'));
  it('prints Fortran E, C %e and F fields as Fortran/C would', () => {
    const p = join(dir, 'x');
    const w = new ByteWriter(p);
    w.fortranE(0, 12, 4).fortranE(1234.5678, 12, 4).fortranE(-0.000999996, 12, 4).fortranE(2.5e-31, 12, 4).nl();
    w.cE(601.43191, 15, 7).cE(-15, 14, 5).nl();
    w.fixed(-14.568, 8, 3).fixed(0.000004, 10, 5).fixed(-0.000004, 10, 5).fixed(12345.678, 8, 3).nl();
    w.close();
    expect(readFileSync(p, 'latin1')).toBe(
      '  0.0000E+00  0.1235E+04 -0.1000E-02  0.2500E-30\n' +
        '  6.0143191e+02  -1.50000e+01\n' +
        ' -14.568   0.00000   0.0000012345.678\n',
    );
    rmSync(dir, { recursive: true });
  });
});
