import type { Kernels } from '../../kernels/types.js';
import type { Calculation } from '../../node/discover.js';
import { folderEnergy } from '../../node/series.js';
import type { FolderFiles } from '../../node/folder-files.js';
import { OxyError } from '../../errors.js';
import { groupByHost, voltageProfile, WORKING_ION, type VoltageInput, type VoltageProfile } from '../../analysis/voltage.js';
import { ENERGY_LABEL } from '../commands/neb.js';
import { energySource, renderVoltage } from '../commands/voltage.js';
import type { CalcReport } from '../../pipeline/calculation.js';
import { md, mdCode } from '../printable.js';

/**
 * The voltage across the calculations of a report: a host found at two or more Li contents, each with an energy
 * (OUTCAR, vasprun.xml or OSZICAR in its folder, energy(sigma->0)), is a series; a pure-Li calculation with an
 * energy is the Li reference. Run after every calculation is analysed: it reuses their structures and census.
 */

export interface ReportVoltage {
  energy: string;
  series: (VoltageProfile & { plot?: string })[];
  /** hosts at several Li contents that did not make a series, and why */
  notes: string[];
}

const ENERGY = 'energySigma0' as const;

/** `Li48Mn15Ni6Co3O72` (formula() of the structure: symbols with counts, order of appearance) → counts. */
function countsOf(formula: string): Record<string, number> {
  const c: Record<string, number> = {};
  for (const m of formula.matchAll(/([A-Z][a-z]?)(\d*)/g)) c[m[1]] = (c[m[1]] ?? 0) + (m[2] ? Number(m[2]) : 1);
  return c;
}

/** A calculation of a folder's files, not a renamed file on its own (whose path is that file's): as discovery made it. */
const inFolder = (calc: Calculation): boolean => calc.files.length > 0 && calc.path !== calc.files[0].path;

/**
 * The voltage series of a report, or undefined when no host appears at two Li contents. An energy file that does
 * not read is an error of its calculation (analysis `voltage`), as for every other analysis. The ids of the reports
 * given notes or errors that way are added to `changed`; `folders`: the run's folder listings.
 */
export async function reportVoltage(calcs: Calculation[], reports: CalcReport[], kernels: Kernels, changed: Set<string>, folders: FolderFiles): Promise<ReportVoltage | undefined> {
  const candidates = calcs
    .map((calc, i) => ({ calc, report: reports[i] }))
    .filter(({ calc, report }) => calc.kind === 'files' && report.structure && inFolder(calc))
    .map((c) => ({ ...c, composition: countsOf(c.report.structure!.formula) }));
  const distinctX = (g: { composition: Record<string, number> }[]) => new Set(g.map((c) => (c.composition[WORKING_ION] ?? 0) / Object.entries(c.composition).reduce((s, [el, n]) => s + (el === WORKING_ION ? 0 : n), 0))).size;
  const groups = groupByHost(candidates).filter((g) => distinctX(g) >= 2);
  if (groups.length === 0) return undefined;

  const withEnergy = async (c: (typeof candidates)[number]): Promise<VoltageInput | undefined> => {
    const warnings: string[] = [];
    try {
      const e = await folderEnergy(c.calc.path, c.report.structure!.nSites, ENERGY, kernels, warnings, folders);
      if (warnings.length > 0) {
        c.report.notes.push(...warnings);
        changed.add(c.report.id);
      }
      if (!e) return undefined;
      return { id: c.calc.id, file: c.report.structure!.file, composition: c.composition, energy: e.value, energySource: energySource(e), classes: c.report.census?.fractions };
    } catch (err) {
      if (!(err instanceof OxyError)) throw err;
      c.report.errors.push({ analysis: 'voltage', message: err.message });
      changed.add(c.report.id);
      return undefined;
    }
  };
  const li: VoltageInput[] = [];
  for (const c of candidates.filter((c) => Object.keys(c.composition).every((el) => el === WORKING_ION))) {
    const input = await withEnergy(c);
    if (input) li.push(input);
  }
  const out: ReportVoltage = { energy: ENERGY_LABEL[ENERGY], series: [], notes: [] };
  for (const g of groups) {
    const inputs: VoltageInput[] = [];
    for (const c of g) {
      const input = await withEnergy(c);
      if (input) inputs.push(input);
    }
    if (inputs.length === 0) continue; // structures only (e.g. model cells): not a voltage series
    if (distinctX(inputs) < 2) {
      out.notes.push(`${g.map((c) => c.calc.id).join(', ')}: one host at ${distinctX(g)} Li contents, but energies for ${inputs.map((i) => i.id).join(', ')} only: no voltage`);
      continue;
    }
    out.series.push(voltageProfile([...li, ...inputs]));
  }
  return out.series.length > 0 || out.notes.length > 0 ? out : undefined;
}

/** report.md's voltage section: per series the text table (as `oxyscope voltage` prints it) and the plot. */
export function voltageMarkdown(v: ReportVoltage | undefined): string[] {
  if (!v) return [];
  const out = [
    '## Voltage (hull in Li content)',
    '',
    `Energies: ${v.energy} from each folder's OUTCAR (else vasprun.xml, else OSZICAR), per formula unit of the host; V = −[E(x₂) − E(x₁) − (x₂ − x₁)·E_Li] / (x₂ − x₁) between neighbouring hull points; E_Li from a pure-Li calculation of the folder. O classes: the census of each structure.`,
    '',
  ];
  for (const s of v.series) {
    out.push(...mdCode(renderVoltage(s)), '');
    for (const w of s.warnings) out.push(`- warning: ${md(w)}`);
    if (s.warnings.length > 0) out.push('');
    if (s.plot) out.push(`![voltage profile and O classes: Li_x${md(s.host.formula)}](${encodeURI(s.plot)})`, '');
  }
  for (const n of v.notes) out.push(`- ${md(n)}`);
  return out;
}
