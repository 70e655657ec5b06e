import { describe, expect, it } from 'vitest';
import { parseOutcar } from '../../../src/io/vasp/outcar.js';
import { unconvergedReason } from '../../../src/model/neb.js';
import { formatById } from '../../../src/io/formats.js';
import { fixture, REAL } from './helpers.js';
import { runInProcess } from '../../cli/run.js';

/**
 * Electronic convergence against NELM. The OUTCARs here are cut down to the lines the reader looks at, in VASP's
 * wording (parameter echo `NELM   =`, `IBRION =`, `NSW    =`; `Iteration  ionic(  electronic)` per electronic step;
 * `aborting loop …`; `free  energy   TOTEN` closing each ionic step); the expected values follow from the lines.
 */
function outcar(o: { nelm: number; ibrion: number; nsw: number; steps: number[]; reached?: boolean }): string {
  const L = [' vasp.5.4.4.18Apr17-6-g9f103f2a35 (build Mar 09 2018) complex', '   number of ions     NIONS =      2'];
  L.push(`   NELM   = ${String(o.nelm).padStart(6)};   NELMIN=  2; NELMDL= -5     # of ELM steps`);
  L.push(`   NSW    = ${String(o.nsw).padStart(6)}    number of steps for IOM`, `   IBRION = ${String(o.ibrion).padStart(6)}    ionic relax: 0-MD 1-quasi-New 2-CG`);
  o.steps.forEach((n, k) => {
    for (let e = 1; e <= n; e++) L.push(`----------------------------------------- Iteration ${String(k + 1).padStart(4)}(${String(e).padStart(4)})  ---------------------------------------`);
    // VASP can print this even on the NELM-th step
    L.push('------------------------ aborting loop because EDIFF is reached ----------------------------------------');
    L.push(`  free  energy   TOTEN  =       -10.${String(k).padStart(8, '0')} eV`);
  });
  if (o.reached) L.push(' reached required accuracy - stopping structural energy minimisation');
  L.push(' General timing and accounting informations for this job:');
  return `${L.join('\n')}\n`;
}

describe('OUTCAR electronic convergence (NELM)', () => {
  it('a static run whose SCF used all NELM steps is not converged, though VASP wrote "EDIFF is reached"', () => {
    const o = parseOutcar(outcar({ nelm: 4, ibrion: -1, nsw: 0, steps: [4] }), 'OUTCAR');
    expect([o.nelm, o.convergence, o.electronicConverged, o.converged, o.scfUnconverged, o.atNelm]).toEqual([4, 'last-scf', false, false, [1], [1]]);
    const ok = parseOutcar(outcar({ nelm: 4, ibrion: -1, nsw: 0, steps: [3] }), 'OUTCAR');
    expect([ok.electronicConverged, ok.converged, ok.scfUnconverged, ok.atNelm]).toEqual([true, true, [], []]);
  });

  it('a relaxation whose every ionic step hit NELM: ionic accuracy written, still not converged', () => {
    const o = parseOutcar(outcar({ nelm: 5, ibrion: 2, nsw: 10, steps: [5, 5, 5], reached: true }), 'OUTCAR');
    expect([o.convergence, o.ionicConverged, o.electronicConverged, o.converged, o.scfUnconverged, o.atNelm]).toEqual(['ionic', true, false, false, [1, 2, 3], [1, 2, 3]]);
    expect(unconvergedReason(o)).toBe('the SCF loop did not converge in ionic steps 1, 2, 3 (3 used all NELM = 5 electronic steps)');
  });

  it('finite differences (IBRION 6): convergence means every displacement SCF; ionicConverged is not reported', () => {
    const good = parseOutcar(outcar({ nelm: 6, ibrion: 6, nsw: 1, steps: [5, 3, 3, 3] }), 'OUTCAR');
    expect([good.convergence, good.electronicConverged, good.converged, good.ionicSteps]).toEqual(['every-scf', true, true, 4]);
    const bad = parseOutcar(outcar({ nelm: 6, ibrion: 6, nsw: 1, steps: [5, 6, 3, 3] }), 'OUTCAR');
    // the last displacement converged, the second did not: the run is not converged
    expect([bad.electronicConverged, bad.converged, bad.scfUnconverged]).toEqual([false, false, [2]]);
    expect(unconvergedReason(bad)).toBe('finite differences (IBRION 6): the SCF loop did not converge in ionic step 2 (1 used all NELM = 6 electronic steps)');
    expect(unconvergedReason(good)).toBeUndefined();
    const info = formatById('outcar').describe(good);
    expect(info.ionicConverged).toBeNull();
    expect(info.convergence).toBe('every-scf');
    expect(String(info.convergenceMeans)).toMatch(/every displacement/);
  });

  it('the real relaxation OUTCAR.not-converged: NELM 100, SCF loops of 9 and 7 steps (by grep) converged', () => {
    const o = parseOutcar(fixture('outcar/aiida-vasp__outcar_extras/OUTCAR.not-converged'), 'OUTCAR');
    expect([o.nelm, o.ibrion, o.convergence, o.scfUnconverged, o.atNelm, o.electronicConverged, o.ionicConverged, o.converged]).toEqual([100, 2, 'ionic', [], [], true, false, false]);
  });

  it('oxyscope info shows it (text and --json)', async () => {
    const file = `${REAL}/outcar/aiida-vasp__outcar_extras/OUTCAR.not-converged`;
    const j = JSON.parse((await runInProcess('info', file, '--json')).stdout);
    expect([j.convergence, j.nelm, j.ibrion, j.scfUnconverged, j.scfAtNelm, j.ionicConverged, j.converged]).toEqual(['ionic', 100, 2, [], [], false, false]);
    const text = (await runInProcess('info', file)).stdout;
    expect(text).toMatch(/convergence\s+ionic/);
    expect(text).toMatch(/convergenceMeans\s+relaxation\/NEB: the ionic loop reached the required accuracy/);
  });
});
