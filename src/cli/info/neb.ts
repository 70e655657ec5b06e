import type { Kernels } from '../../kernels/types.js';
import type { InfoSummary } from './types.js';
import { Loader } from '../../node/load.js';

export { isNebFolder } from '../../node/load.js';

/** NEB folder summary: energies in eV (null where an image has no OUTCAR/OSZICAR), relative to the first known one. */
export async function summarizeNeb(path: string, kernels: Kernels): Promise<InfoSummary> {
  const loader = new Loader(kernels);
  const neb = await loader.nebAt(path);
  const energies = Array.from(neb.energies, (e) => (Number.isNaN(e) ? null : e));
  const ref = energies.find((e) => e !== null) ?? null;
  const missing = neb.names.filter((_, i) => energies[i] === null);
  return {
    format: 'neb',
    images: neb.names.length,
    names: neb.names,
    nSites: neb.images[0].species.length,
    energyKind: neb.energyKind,
    energies,
    relativeEnergies: energies.map((e) => (e === null || ref === null ? null : e - ref)),
    converged: neb.converged,
    ...(missing.length > 0 ? { note: `no OUTCAR/OSZICAR energy for image(s) ${missing.join(', ')}` } : {}),
    warnings: loader.warnings,
  };
}
