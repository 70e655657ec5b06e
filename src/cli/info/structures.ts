import type { SummarizerTable } from './types.js';
import { readAll } from '../../io/source.js';
import { readXdatcar } from '../../io/vasp/xdatcar.js';
import { readOutcar } from '../../io/vasp/outcar.js';
import { parseOszicar } from '../../io/vasp/oszicar.js';
import { formula, speciesGroups } from '../../model/structure.js';
import { cellVolume, latticeParameters } from '../../model/lattice.js';
import { structureOf } from '../../node/load.js';

/** JSON has no NaN: absent quantities print as null. */
const num = (x: number): number | null => (Number.isNaN(x) ? null : x);

function rows(lattice: Float64Array): number[][] {
  return [0, 1, 2].map((r) => Array.from(lattice.subarray(3 * r, 3 * r + 3)));
}

export const summarizers: SummarizerTable = {
  async poscar(source, kernels, path, hints) {
    const s = await structureOf({ source, path, format: 'poscar' }, kernels, hints);
    return {
      format: 'poscar',
      comment: s.comment,
      nSites: s.species.length,
      formula: formula(s.species),
      volume: cellVolume(s.lattice),
      lattice: rows(s.lattice),
      latticeParameters: latticeParameters(s.lattice),
      species: speciesGroups(s.species),
      ...(s.speciesLabels ? { speciesLabels: s.speciesLabels } : {}),
      selectiveDynamics: s.selective !== undefined,
      hasVelocities: s.velocities !== undefined,
    };
  },
  async xdatcar(source, kernels, _path, hints) {
    const t = await readXdatcar(source, { kernels, species: hints?.species });
    return {
      format: 'xdatcar',
      nFrames: t.nFrames,
      nSites: t.nSites,
      formula: formula(t.species),
      variableCell: t.variableCell,
      truncated: t.truncated,
      ...(t.warnings.length > 0 ? { warnings: t.warnings } : {}),
      firstStep: t.steps[0],
      lastStep: t.steps[t.nFrames - 1],
      lattice: rows(t.lattices.subarray(0, 9)),
    };
  },
  async outcar(source) {
    const o = await readOutcar(source);
    return {
      format: 'outcar',
      vaspVersion: o.vaspVersion ?? null,
      nions: o.nions,
      efermi: num(o.efermi),
      energy: num(o.energy),
      energySigma0: num(o.energySigma0),
      energyWithoutEntropy: num(o.energyWithoutEntropy),
      maxForce: num(o.maxForce),
      tangentForce: num(o.tangentForce),
      ionicSteps: o.ionicSteps,
      converged: o.converged,
      ionicConverged: o.ionicConverged,
      electronicConverged: o.electronicConverged,
      relaxation: o.relaxation,
      finished: o.finished,
    };
  },
  async oszicar(source) {
    const o = parseOszicar(await readAll(source), source.name);
    return { format: 'oszicar', ionicSteps: o.steps.length, F: num(o.lastF), E0: num(o.lastE0) };
  },
};
