import type { Kernels } from '../../kernels/types.js';
import type { InfoSummary } from './types.js';

/** Placeholder until the NEB folder reader lands (issue 2). */
export async function isNebFolder(_path: string): Promise<boolean> {
  return false;
}

export async function summarizeNeb(path: string, _kernels: Kernels): Promise<InfoSummary> {
  return { format: 'neb', folder: path };
}
