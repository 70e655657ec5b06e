import { describe, expect, it } from 'vitest';
import { parseOutcar, readOutcar } from '../../../src/io/vasp/outcar.js';
import { fromBytes } from '../../../src/io/source.js';
import { fixture, parseErrorOf } from './helpers.js';

/**
 * Expected values read by hand from each file (grep of `NIONS`, `E-fermi`, `free  energy   TOTEN`,
 * `energy  without entropy`, the last `TOTAL-FORCE` block, `NEB: projections`, `reached required accuracy`,
 * `General timing`); ionicSteps = number of `free  energy   TOTEN` lines. maxForce is the largest row norm of the
 * last force block, computed by hand from the rows shown in the comment.
 */
const CASES: {
  file: string; nions: number; efermi: number; energy: number; sigma0: number; noEntropy: number; converged: boolean;
  finished: boolean; steps: number; version: string; firstForce: number[]; maxForce: number; tangent: number;
}[] = [
  // last block rows: (0.008815, 0.005492, -0.000661), (0, -0.010764, 0.000700), …: max = |(0, -0.010764, 0.0007)|
  { file: 'neb/aiida-vasp__neb/01/OUTCAR', nions: 4, efermi: -5.7149, energy: -19.49164066, sigma0: -19.49550593, noEntropy: -19.50323647, converged: true, finished: true, steps: 23, version: '5.4.4', firstForce: [0.008815, 0.005492, -0.000661], maxForce: Math.hypot(0, -0.010764, 0.0007), tangent: 0.00532 },
  { file: 'neb/aiida-vasp__neb/02/OUTCAR', nions: 4, efermi: -4.925, energy: -19.27591934, sigma0: -19.27978461, noEntropy: -19.28751515, converged: true, finished: true, steps: 23, version: '5.4.4', firstForce: [-0.003648, -0.002827, 0], maxForce: 0.005218, tangent: -0.000001 },
  { file: 'neb/aiida-vasp__neb/03/OUTCAR', nions: 4, efermi: -5.715, energy: -19.49164203, sigma0: -19.4955073, noEntropy: -19.50323784, converged: true, finished: true, steps: 23, version: '5.4.4', firstForce: [0.007493, 0.004334, 0.001224], maxForce: 0.008742241188619769, tangent: -0.007243 },
  { file: 'outcar/OUTCAR.NiO_SOC.gz', nions: 4, efermi: 5.9075, energy: -19.60512351, sigma0: -19.60512351, noEntropy: -19.60512351, converged: true, finished: true, steps: 1, version: '5.4.1', firstForce: [0.000031, -0.000007, -0.000043], maxForce: 0.00006487680633323437, tangent: NaN },
  // fused numbers (`-1.8641-31.3417`) sit in its eigenvalue tables; its forces are all zero
  { file: 'outcar/OUTCAR_merged_numbers', nions: 2, efermi: 1.4799, energy: -13.93295368, sigma0: -13.93295368, noEntropy: -13.93295368, converged: true, finished: true, steps: 1, version: '5.4.4', firstForce: [0, -0, 0], maxForce: 0, tangent: NaN },
  { file: 'outcar/aiida-vasp__outcar_extras/OUTCAR.not-converged', nions: 2, efermi: 2.0478, energy: -3.64907508, sigma0: -3.64854068, noEntropy: -3.64800628, converged: false, finished: true, steps: 2, version: '5.4.4', firstForce: [-12.796626, -6.538496, 15.216151], maxForce: Math.hypot(12.796626, 6.538496, 15.216151), tangent: NaN },
  // last block (line 22713): (-1.158369, -0.815854, 0.625065), (1.158369, 0.815854, -0.625065)
  { file: 'outcar/aiida-vasp__outcar_extras/OUTCAR.unfinished', nions: 2, efermi: 2.2508, energy: -8.61714126, sigma0: -8.61579768, noEntropy: -8.61445411, converged: false, finished: false, steps: 12, version: '5.4.4', firstForce: [-1.158369, -0.815854, 0.625065], maxForce: Math.hypot(1.158369, 0.815854, 0.625065), tangent: NaN },
  { file: 'outcar/outcar_vasp_6.3.gz', nions: 10, efermi: 6.3592, energy: -72.00153186, sigma0: -72.00153186, noEntropy: -72.00153186, converged: true, finished: true, steps: 1, version: '6.3.0', firstForce: [-0.035318, 0, -0.012711], maxForce: 0.03753572491640464, tangent: NaN },
  { file: 'outcar/pymatgen-test-files__static_silicon/OUTCAR', nions: 2, efermi: 5.4677, energy: -10.645278, sigma0: -10.645278, noEntropy: -10.645278, converged: true, finished: true, steps: 1, version: '5.2.12', firstForce: [-0, 0, -0], maxForce: 0, tangent: NaN },
];

describe('OUTCAR convergence: ionic for relaxations, electronic for static runs', () => {
  // NSW/IBRION and the `aborting loop because EDIFF is reached` lines counted with grep in each file
  it.each([
    ['neb/aiida-vasp__neb/01/OUTCAR', true, true, true],
    ['outcar/aiida-vasp__outcar_extras/OUTCAR.not-converged', true, false, true],
    ['outcar/outcar_vasp_6.3.gz', false, false, true],
    ['outcar/pymatgen-test-files__static_silicon/OUTCAR', false, false, true],
  ])('%s', (file, relaxation, ionic, electronic) => {
    const o = parseOutcar(fixture(file), file);
    expect([o.relaxation, o.ionicConverged, o.electronicConverged]).toEqual([relaxation, ionic, electronic]);
    expect(o.converged).toBe(relaxation ? ionic : electronic);
  });
});

describe('OUTCAR on every real fixture', () => {
  for (const c of CASES) {
    it(c.file, async () => {
      const o = parseOutcar(fixture(c.file), c.file);
      expect(o.nions).toBe(c.nions);
      expect(o.efermi).toBe(c.efermi);
      expect(o.energy).toBe(c.energy);
      expect(o.energySigma0).toBe(c.sigma0);
      expect(o.energyWithoutEntropy).toBe(c.noEntropy);
      expect(o.converged).toBe(c.converged);
      expect(o.finished).toBe(c.finished);
      expect(o.ionicSteps).toBe(c.steps);
      expect(o.vaspVersion).toBe(c.version);
      expect(o.forces.length).toBe(3 * c.nions);
      expect(Array.from(o.forces.slice(0, 3))).toEqual(c.firstForce);
      expect(o.maxForce).toBeCloseTo(c.maxForce, 12);
      if (Number.isNaN(c.tangent)) expect(o.tangentForce).toBeNaN();
      else expect(o.tangentForce).toBe(c.tangent);
      // streamed in odd-sized chunks: the same summary
      const s = await readOutcar(fromBytes(c.file, fixture(c.file), 4093));
      expect({ ...s, forces: Array.from(s.forces) }).toEqual({ ...o, forces: Array.from(o.forces) });
    });
  }

  it('a copy cut inside the last force block keeps the previous step (a killed run), not a partial block', () => {
    const text = new TextDecoder().decode(fixture('outcar/aiida-vasp__outcar_extras/OUTCAR.unfinished'));
    const lines = text.split('\n');
    // line 22713 is the first row of the last force block; cut it after its first field
    const cut = `${lines.slice(0, 22712).join('\n')}\n      3.13931      3.7`;
    const o = parseOutcar(cut, 'OUTCAR');
    expect(o.ionicSteps).toBe(11);
    expect(o.energy).toBe(-8.01590339);
    // the block at line 20932 (step 11)
    expect(Array.from(o.forces)).toEqual([-0.65658, -1.995834, 0.109461, 0.65658, 1.995834, -0.109461]);
    expect(o.finished).toBe(false);
  });

  it('every fixture cut in its header (before NIONS) is a ParseError', () => {
    for (const c of CASES) {
      const bytes = fixture(c.file);
      const at = new TextDecoder().decode(bytes).indexOf('NIONS');
      expect(parseErrorOf(() => parseOutcar(bytes.slice(0, at - 50), c.file)).expected).toBe('an OUTCAR header with NIONS');
    }
  });

  it('a copy cut before NIONS, an empty file and a bad force row are ParseErrors', () => {
    const bytes = fixture('outcar/pymatgen-test-files__static_silicon/OUTCAR');
    parseErrorOf(() => parseOutcar(bytes.slice(0, 3000), 'OUTCAR'));
    expect(parseErrorOf(() => parseOutcar('', 'OUTCAR')).message).toBe('OUTCAR: expected an OUTCAR, found "an empty file"');
    const text = new TextDecoder().decode(bytes).replace('      3.41795      3.41795      3.41795         0.000000', '      3.41795      3.41795      3.41795         ********');
    expect(parseErrorOf(() => parseOutcar(text, 'OUTCAR')).line).toBe(1466);
  });

  it('fused force columns are split', () => {
    const text = ' vasp.6.4.2 test\n   number of ions     NIONS =      1\n POSITION                                       TOTAL-FORCE (eV/Angst)\n -----------\n    123.45678  -1234.56789     12.34567      -10.123456-1000.654321      0.000001\n -----------\n';
    const o = parseOutcar(text, 'OUTCAR');
    expect(Array.from(o.forces)).toEqual([-10.123456, -1000.654321, 0.000001]);
    expect(o.vaspVersion).toBe('6.4.2');
  });
  it('multi-byte and invalid UTF-8 before each force block: every chunking finds the blocks at their lines, and an observer sees every byte once', async () => {
    // the stream scans decoded text but keeps bytes: a block cut by a chunk resumes at its header's byte offset
    const c = CASES[0];
    const bytes = fixture(c.file);
    const parts: Uint8Array[] = [];
    const odd = Uint8Array.from([...new TextEncoder().encode(' Å €𝄞 '), 0xff, 0xc3, 10]);
    let from = 0;
    for (let at = bytes.indexOf(0x54, from); at >= 0; at = bytes.indexOf(0x54, at + 1)) {
      if (new TextDecoder().decode(bytes.subarray(at, at + 11)) !== 'TOTAL-FORCE') continue;
      const lineStart = bytes.lastIndexOf(10, at) + 1;
      parts.push(bytes.subarray(from, lineStart), odd);
      from = lineStart;
    }
    parts.push(bytes.subarray(from));
    const edited = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((off, p) => (edited.set(p, off), off + p.length), 0);
    expect(parts.length).toBe(2 * c.steps + 1);
    const whole = parseOutcar(edited, 'OUTCAR');
    expect(whole.ionicSteps).toBe(c.steps);
    expect(whole.energy).toBe(c.energy);
    expect(Array.from(whole.forces.slice(0, 3))).toEqual(c.firstForce);
    for (const size of [1 << 10, 997, 4093, 1 << 16]) {
      const seen: number[] = [];
      const s = await readOutcar(fromBytes('OUTCAR', edited, size), (chunk) => seen.push(chunk.length));
      expect({ ...s, forces: Array.from(s.forces) }).toEqual({ ...whole, forces: Array.from(whole.forces) });
      expect(seen.reduce((a, b) => a + b, 0)).toBe(edited.length);
    }
    // line numbers stay those of the bytes: a bad row in the last block, named at its line by every chunking
    const lastHeader = parts.slice(0, -1).reduce((n, p) => n + p.length, 0);
    const row = edited.indexOf(10, edited.indexOf(10, lastHeader) + 1) + 1;
    const broken = Uint8Array.from(edited);
    broken[edited.indexOf(0x2e, row)] = 0x2a;
    const line = edited.subarray(0, row).filter((x) => x === 10).length + 1;
    expect(parseErrorOf(() => parseOutcar(broken, 'OUTCAR')).line).toBe(line);
    for (const size of [997, 4093]) {
      const e = await readOutcar(fromBytes('OUTCAR', broken, size)).catch((x: unknown) => x);
      expect((e as { line: number }).line).toBe(line);
    }
  });
});
