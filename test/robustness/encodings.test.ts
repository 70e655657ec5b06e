import { describe, expect, it } from 'vitest';
import { formatById, readFormat } from '../../src/io/formats.js';
import { fromBytes } from '../../src/io/source.js';
import { jsKernels } from '../../src/kernels/js.js';
import type { OutcarSummary } from '../../src/model/neb.js';
import type { OszicarSummary } from '../../src/io/vasp/oszicar.js';
import type { LobsterOut } from '../../src/model/lobster.js';
import { fixtureText } from '../io/lobster/helpers.js';

// Issue 19.4 and the BOM item: line ends, byte-order marks and Fortran spellings that used to give wrong values.
// Every case reads through the format registry (as the CLI and the viewer do) and is compared with the plain file.

const R = 'real/';
const OSZICAR = `       N       E                     dE             d eps       ncg     rms          rms(c)
DAV:   1    -0.425437258809E+02   -0.42544E+02   -0.26514E+03  1520   0.168E+02
   1 F= -.10645278E+02 E0= -.10645269E+02  d E =-.106453E+02  mag=     1.9999
DAV:   1    -0.10645E+02   -0.1E-03   -0.2E-03  1520   0.1E-01
   2 F= -.10651234E+02 E0= -.10651220E+02  d E =-.595600E-02  mag=     1.9998
`;

const FILES: [string, () => string][] = [
  ['poscar', () => fixtureText(`${R}vasp/poscar/POSCAR.Li2O`)],
  ['xdatcar', () => fixtureText(`${R}vasp/xdatcar/XDATCAR_5`)],
  ['doscar', () => fixtureText(`${R}vasp/doscar/aiida-vasp__doscar-spin/DOSCAR.spin`)],
  ['vasprun', () => fixtureText(`${R}vasp/vasprun/vasprun.xml.LiF`)],
  ['outcar', () => fixtureText(`${R}vasp/outcar/aiida-vasp__outcar_extras/OUTCAR.not-converged`)],
  ['oszicar', () => OSZICAR],
  ['cohpcar', () => fixtureText(`${R}lobster/cohpcar/COHPCAR.lobster.KF`)],
  ['icohplist', () => fixtureText(`${R}lobster/icohplist/ICOHPLIST.lobster`)],
  ['icobilist', () => fixtureText(`${R}lobster/icohplist/ICOBILIST.lobster`)],
  ['doscar-lobster', () => fixtureText(`${R}lobster/doscar/pymatgen-test-files__KF-spin/DOSCAR.lobster.spin`)],
  ['charge-lobster', () => fixtureText(`${R}lobster/charge/custodian__lobster__v51/CHARGE.lobster`)],
  ['lobsterout', () => fixtureText(`${R}lobster/lobsterout/lobsterout.normal`)],
];

const read = async (id: string, text: string | Uint8Array, chunk?: number) =>
  (await readFormat(formatById(id), fromBytes(id, text, chunk), { kernels: jsKernels })).value;

describe('line ends and byte-order marks are undone once, where sources reach the readers', () => {
  it.each(FILES)('%s: CR-only, CRLF and a UTF-8 BOM read as the LF file (chunks of 4 MiB and 5 bytes)', async (id, text) => {
    const lf = text();
    const want = await read(id, lf);
    for (const chunk of [undefined, 5]) {
      expect(await read(id, lf.replace(/\n/g, '\r'), chunk), 'CR only').toEqual(want);
      expect(await read(id, lf.replace(/\n/g, '\r\n'), chunk), 'CRLF').toEqual(want);
      expect(await read(id, `\ufeff${lf}`, chunk), 'BOM').toEqual(want);
    }
  });

  it('a CR-only OUTCAR keeps its last E-fermi and every ionic step (was: the first E-fermi, 0 steps)', async () => {
    const o = (await read('outcar', fixtureText(`${R}vasp/outcar/aiida-vasp__outcar_extras/OUTCAR.not-converged`).replace(/\n/g, '\r'))) as OutcarSummary;
    // grep: last `E-fermi :   2.0478`; two `free  energy   TOTEN` lines
    expect([o.efermi, o.ionicSteps, o.energy]).toEqual([2.0478, 2, -3.64907508]);
  });

  it('a CR-only OSZICAR has its two ionic steps', async () => {
    const o = (await read('oszicar', OSZICAR.replace(/\n/g, '\r'))) as OszicarSummary;
    expect(Array.from(o.F)).toEqual([-10.645278, -10.651234]);
  });

  it('a DOSCAR with a BOM reads (was refused while the other readers accepted one)', async () => {
    const d = fixtureText(`${R}vasp/doscar/aiida-vasp__doscar-spin/DOSCAR.spin`);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(d)]);
    expect(await read('doscar', withBom)).toEqual(await read('doscar', d));
  });
});

describe('Fortran D exponents are one number', () => {
  it('OUTCAR force rows and E-fermi written with D exponents give the same forces, maxForce and Fermi level', async () => {
    const text = fixtureText(`${R}vasp/outcar/aiida-vasp__outcar_extras/OUTCAR.not-converged`);
    // the last force block (lines 4832–4833) and the last E-fermi (line 3339), respelled 0.dddD±ee
    const lines = text.split('\n');
    const fortran = (x: string) => {
      const v = Number(x);
      const e = v === 0 ? 0 : Math.floor(Math.log10(Math.abs(v))) + 1;
      return `${v < 0 ? '-' : ''}${(Math.abs(v) / 10 ** e).toFixed(9)}D${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
    };
    for (const n of [4832, 4833]) lines[n - 1] = lines[n - 1].replace(/-?\d+\.\d+/g, fortran);
    lines[3338] = lines[3338].replace('2.0478', '0.20478D+01');
    expect(lines[4831]).toContain('-0.127966260D+02');
    const o = (await read('outcar', lines.join('\n'))) as OutcarSummary;
    expect(Array.from(o.forces)).toEqual([-12.796626, -6.538496, 15.216151, 12.796626, 6.538496, -15.216151]);
    expect(o.maxForce).toBe(Math.hypot(12.796626, 6.538496, 15.216151));
    expect(o.efermi).toBe(2.0478);
  });
});

describe('tabs are whitespace', () => {
  it('a lobsterout with tabs for spaces keeps its basis, spilling and wall time', async () => {
    const text = fixtureText(`${R}lobster/lobsterout/lobsterout.normal`);
    const want = (await read('lobsterout', text)) as LobsterOut;
    expect(want.basis.length).toBeGreaterThan(0);
    const got = (await read('lobsterout', text.replace(/ /g, '\t'))) as LobsterOut;
    expect([got.basis, got.chargeSpilling, got.wallTimeSeconds, got.threads]).toEqual([want.basis, want.chargeSpilling, want.wallTimeSeconds, want.threads]);
  });
});
