import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { formatById, readFormat } from '../../src/io/formats.js';
import { fromBytes } from '../../src/io/source.js';
import { jsKernels } from '../../src/kernels/js.js';
import { loadKernels } from '../../src/node/kernels.js';
import type { Kernels } from '../../src/kernels/types.js';
import { fixtureText } from '../io/lobster/helpers.js';

// Issue 19.1: a number beyond a double (1e999, -1e400, a D exponent of 400) used to come out as ±Infinity or null.
// In every reader it must be a ParseError naming the file and the line that holds it, in both engines.

const R = 'real/';
const OSZICAR = ['       N       E                     dE             d eps       ncg     rms          rms(c)',
  'DAV:   1    -0.297224350687E+02   -0.29722E+02   -0.10000E+03   656   0.284E+02',
  '   1 F= -.29722435E+02 E0= -.29722435E+02  d E =-.297224E+02',
  ''].join('\n');

/** [format, 1-based line to poison, which number on it (-1: the last), fixture text] */
const CASES: [string, number, number, () => string][] = [
  ['doscar', 8, -1, () => fixtureText(`${R}vasp/doscar/aiida-vasp__doscar-spin/DOSCAR.spin`)],
  ['doscar', 6, 2, () => fixtureText(`${R}vasp/doscar/aiida-vasp__doscar-spin/DOSCAR.spin`)],
  ['vasprun', 1175, -1, () => fixtureText(`${R}vasp/vasprun/vasprun.xml.LiF`)],
  ['vasprun', 1164, -1, () => fixtureText(`${R}vasp/vasprun/vasprun.xml.LiF`)],
  ['cohpcar', 131, -1, () => fixtureText(`${R}lobster/cohpcar/COHPCAR.lobster.KF`)],
  ['doscar-lobster', 8, -1, () => fixtureText(`${R}lobster/doscar/pymatgen-test-files__KF-spin/DOSCAR.lobster.spin`)],
  ['icohplist', 3, -1, () => fixtureText(`${R}lobster/icohplist/ICOHPLIST.lobster.KF_nospin`)],
  ['charge-lobster', 4, -1, () => fixtureText(`${R}lobster/charge/custodian__lobster__v51/CHARGE.lobster`)],
  ['poscar', 9, -1, () => fixtureText(`${R}vasp/poscar/POSCAR.Li2O`)],
  ['xdatcar', 10, -1, () => fixtureText(`${R}vasp/xdatcar/XDATCAR_5`)],
  ['outcar', 1465, -1, () => fixtureText(`${R}vasp/outcar/pymatgen-test-files__static_silicon/OUTCAR`)],
  ['outcar', 1092, 0, () => fixtureText(`${R}vasp/outcar/pymatgen-test-files__static_silicon/OUTCAR`)],
  ['oszicar', 3, 0, () => OSZICAR],
];

/** The line with its k-th number (-1: the last) replaced by `token`. */
function poison(text: string, line: number, k: number, token: string): string {
  const lines = text.split('\n');
  const l = lines[line - 1];
  const all = [...l.matchAll(/[-+]?(?:\d+\.\d*|\.\d+)(?:[eEdD][-+]?\d+)?/g)];
  const m = all[k < 0 ? all.length - 1 : k];
  if (!m) throw new Error(`no number on line ${line}: ${l}`);
  lines[line - 1] = l.slice(0, m.index) + token + l.slice(m.index! + m[0].length);
  return lines.join('\n');
}

describe.each([
  ['js', () => Promise.resolve(jsKernels)],
  ['wasm', () => loadKernels('wasm')],
])('numbers beyond a double are a ParseError at file:line (%s engine)', (_, kernelsOf: () => Promise<Kernels>) => {
  it.each(CASES)('%s, line %i (number %i)', async (id, line, k, text) => {
    const kernels = await kernelsOf();
    const format = formatById(id);
    const t = text();
    // the unchanged file reads
    await readFormat(format, fromBytes(id, t), { kernels });
    for (const token of ['1e999', '-1e400', '0.5D+400']) {
      const err = await readFormat(format, fromBytes(id, poison(t, line, k, token)), { kernels }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, `${token} on line ${line}`).toBeInstanceOf(ParseError);
      expect((err as Error).message).toMatch(new RegExp(`^${id}:${line}(:\\d+)?: `));
    }
  });
});
