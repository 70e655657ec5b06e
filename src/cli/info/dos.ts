import type { InfoSummary, SummarizerTable } from './types.js';
import type { Dos } from '../../model/dos.js';
import { formula } from '../../model/structure.js';
import { readDoscar } from '../../io/vasp/doscar.js';
import { readVasprun } from '../../io/vasp/vasprun.js';
import { doscarCompanion } from '../../node/load.js';
import { MismatchError } from '../../errors.js';

/** What every DOS summary shares. Energies absolute (eV), as the file gives them. */
function dosFields(dos: Dos): Record<string, unknown> {
  const distinct = [...new Set(dos.orbitals.map((o) => o.join(' ')))].filter((s) => s !== '');
  return {
    efermi: dos.efermi,
    nedos: dos.nedos,
    ispin: dos.nspin,
    noncollinear: dos.noncollinear,
    nSites: dos.nSites,
    orbitals: dos.orbitals[0] ?? [],
    ...(distinct.length > 1 ? { orbitalSets: distinct.map((s) => s.split(' ')) } : {}),
    energyRange: [dos.energies[0], dos.energies[dos.nedos - 1]],
    hasPdos: dos.pdos !== undefined,
  };
}

export const summarizers: SummarizerTable = {
  async doscar(source, kernels, path, hints): Promise<InfoSummary> {
    const { structure, structureFile, flags } = await doscarCompanion(path, kernels);
    let dos: Dos;
    try {
      dos = await readDoscar(source, { kernels, structure, speciesFrom: structureFile, ...flags, layout: hints?.layout });
    } catch (e) {
      // a companion from another run (other atom count) must not hide what the DOSCAR itself holds
      if (!structure || !(e instanceof MismatchError)) throw e;
      dos = await readDoscar(source, { kernels, ...flags, layout: hints?.layout });
      dos.meta.warning = `${e.message}; species ignored`;
    }
    return {
      format: 'doscar',
      ...dosFields(dos),
      layout: dos.meta.layout ?? null,
      lorbit: dos.meta.lorbit ?? null,
      ...(dos.species ? { formula: formula(dos.species), speciesFrom: structureFile } : {}),
      ...(dos.meta.warning ? { warnings: [dos.meta.warning] } : {}),
    };
  },
  async vasprun(source, kernels): Promise<InfoSummary> {
    const v = await readVasprun(source, { kernels });
    const dos = v.dos;
    return {
      format: 'vasprun',
      version: v.generator.version ?? null,
      formula: formula(v.atoms),
      nSites: v.atoms.length,
      ionicSteps: v.ionicSteps,
      finalEnergy: v.finalEnergy ?? null,
      lorbit: v.lorbit ?? null,
      ...(dos
        ? { ...dosFields(dos), layout: dos.pdos ? `${dos.orbitals[0].length > 4 ? 'lm' : 'l'}-${dos.noncollinear ? 'noncollinear' : dos.nspin === 2 ? 'spin' : 'nonspin'}` : null }
        : { efermi: v.efermi ?? null, nedos: v.nedos ?? null, ispin: v.ispin ?? null, noncollinear: v.noncollinear, hasPdos: false }),
      parameters: v.parameters,
      ...(v.warnings.length ? { warnings: v.warnings } : {}),
    };
  },
};
