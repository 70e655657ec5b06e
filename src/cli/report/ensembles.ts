import { ensemble, type CensusEnsemble } from '../../analysis/census.js';
import type { CalcReport } from '../../pipeline/calculation.js';

/**
 * The ensembles of a report (numbered folders of unrelated structures, e.g. SQS cells): the census statistics
 * over their members, so that a folder of hundreds of cells reads as one row and one bar per class.
 */

export interface EnsembleReport extends CensusEnsemble {
  /** the folder holding the numbered member folders, relative to the report root */
  id: string;
  /** why its numbered folders are not an NEB path */
  reason: string;
  /** member calculations (ids), and those of them with a census */
  members: string[];
  withCensus: string[];
}

export function ensemblesOf(calcs: CalcReport[], reasons: ReadonlyMap<string, string>): EnsembleReport[] {
  const out: EnsembleReport[] = [];
  for (const [id, reason] of reasons) {
    // a member is the calculation of a numbered folder itself; renamed extras inside it (POSCAR.pristine) are not
    const members = calcs.filter((c) => c.ensemble === id && c.id.slice(0, c.id.lastIndexOf('/')) === (id === '.' ? '' : id) && /^\d+$/.test(c.id.slice(c.id.lastIndexOf('/') + 1)));
    if (members.length === 0) continue;
    const counted = members.filter((c) => c.census && c.census.nO > 0);
    out.push({ id, reason, members: members.map((c) => c.id), withCensus: counted.map((c) => c.id), ...ensemble(counted.map((c) => c.census!)) });
  }
  return out;
}
