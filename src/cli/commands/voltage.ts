import { Command, InvalidArgumentError, Option } from 'commander';
import { dirname, relative, resolve } from 'node:path';
import { withEngine, type EngineOpts } from '../options.js';
import { withCensusOptions, censusSettings, type CensusCliOpts } from '../census-options.js';
import { withOutput, withPlot, emit, warn, type OutputOpts } from '../output.js';
import { loadKernels } from '../../node/kernels.js';
import { loadStructure } from '../../node/load.js';
import { loadEnergyTable, readSeriesCalculation, type CalcEnergy } from '../../node/series.js';
import { writeAtomic } from '../../node/write.js';
import { UsageError } from '../../errors.js';
import type { Kernels } from '../../kernels/types.js';
import type { Structure } from '../../model/structure.js';
import { census, type CensusOptions } from '../../analysis/census.js';
import { compositionOf, liReference, voltageProfile, type FormulaUnit, type VoltageInput, type VoltageProfile } from '../../analysis/voltage.js';
import { fmt, pct, renderCsv, renderTable } from '../render.js';
import { ENERGY_CHOICES, ENERGY_LABEL, type EnergyChoice } from './neb.js';

type VoltageOpts = EngineOpts & OutputOpts & CensusCliOpts & {
  liEnergy?: number;
  liRef?: string;
  energies?: string;
  energy: EnergyChoice;
  reference?: string;
  formulaUnit?: FormulaUnit;
  plot?: string;
  force?: boolean;
};

function parseEnergy(value: string): number {
  const v = Number(value);
  if (value.trim() === '' || !Number.isFinite(v)) throw new InvalidArgumentError(`expected an energy in eV per Li atom, e.g. -1.909 (got "${value}")`);
  return v;
}

/** `file: energy(sigma->0)`, or `table.csv:4` for a row of `--energies`. */
export function energySource(e: CalcEnergy): string {
  return e.from === 'table' ? `${e.file} (--energies)` : `${e.file}: ${ENERGY_LABEL[e.field]}`;
}

/** The census class fractions of a structure with O (none without O). */
export function classFractions(s: Structure, kernels: Kernels, options: CensusOptions): Record<string, number> | undefined {
  return s.species.includes('O') ? census(s, kernels, { ...options, neighbours: false }).fractions : undefined;
}

const f4 = (v: number) => String(Number(v.toFixed(4)));

/** The human summary: hull points with their O classes, then the steps. */
export function renderVoltage(p: VoltageProfile): string {
  const h = p.host;
  const lines = [
    `Li_x${h.formula}: ${p.points.length} calculations, x = Li per formula unit ${h.formula} (${h.formulaUnit === 'O2' ? 'per 2 O' : 'the reduced Li-free host'}; host ${h.reduced}${h.mass === null ? '' : `, ${fmt(h.mass, 3)} g/mol`})`,
    `E_Li = ${p.liEnergy ? `${fmt(p.liEnergy.value, 6)} eV per Li atom (${p.liEnergy.source})` : '– (no Li metal energy: no voltages)'}`,
    '',
    renderTable(
      ['calculation', 'x', 'V (V)', ...p.classNames.map((c) => `${c} %`), 'E (eV/f.u.)', 'E_f (eV/f.u.)', 'above hull (meV/atom)', 'hull'],
      p.points.map((q) => [q.id, f4(q.x), q.voltage === null ? null : fmt(q.voltage, 3), ...p.classNames.map((c) => (q.classes ? pct(q.classes[c] ?? 0) : null)), fmt(q.energy, 4), fmt(q.formationEnergy, 4), fmt(1000 * q.hullDistancePerAtom, 1), q.onHull ? 'yes' : '']),
    ),
    '',
    'hull steps (V = −[E(x₂) − E(x₁) − (x₂ − x₁)·E_Li] / (x₂ − x₁); capacity per g of the most lithiated composition):',
    renderTable(
      ['x₁', 'x₂', 'from', 'to', 'V (V)', 'capacity (mAh/g)'],
      p.steps.map((s) => [f4(s.x1), f4(s.x2), s.from, s.to, s.voltage === null ? null : fmt(s.voltage, 3), s.capacity === null ? null : fmt(s.capacity, 1)]),
    ),
    '',
    `average ${p.averageVoltage === null ? '–' : `${fmt(p.averageVoltage, 3)} V`} over x = ${f4(p.xRange[0])} … ${f4(p.xRange[1])}, ${p.capacity === null ? '–' : `${fmt(p.capacity, 1)} mAh/g`}`,
  ];
  if (p.points.some((q) => q.classes === null)) lines.push('O classes: – where the structure has no O');
  for (const n of p.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

/** One row per calculation: x, V, class fractions (0..1), energies, hull distance. */
export function voltageCsv(p: VoltageProfile): string {
  return renderCsv(
    ['calculation', 'x', 'voltage_V', ...p.classNames.map((c) => `${c}_fraction`), 'energy_eV_per_fu', 'formation_energy_eV_per_fu', 'hull_distance_eV_per_fu', 'hull_distance_eV_per_atom', 'on_hull', 'energy_source'],
    p.points.map((q) => [q.id, q.x, q.voltage, ...p.classNames.map((c) => (q.classes ? (q.classes[c] ?? 0) : null)), q.energy, q.formationEnergy, q.hullDistance, q.hullDistancePerAtom, q.onHull ? 1 : 0, q.energySource]),
  );
}

/** The voltage profile above the O-class fractions (also used by `report`). */
export async function voltageSvg(p: VoltageProfile, title?: string): Promise<string> {
  // plots (d3) load only when a plot is asked for: they dominate the CLI's start-up time
  const { voltagePlot } = await import('../../plot/voltage-plot.js');
  const li = p.liEnergy ? `E_Li ${fmt(p.liEnergy.value, 4)} eV` : 'no Li energy';
  return voltagePlot(p, { title, xLabel: `x in Li_x${p.host.formula}`, note: `energies per formula unit ${p.host.formula}; ${li}; lower hull in x` });
}

/** Folders from the arguments and the table (its paths relative to its folder), each once; table energies by folder. */
async function seriesPaths(folders: string[], table: string | undefined): Promise<{ paths: string[]; energies: Map<string, { value: number; file: string }> }> {
  const energies = new Map<string, { value: number; file: string }>();
  const paths: string[] = [];
  const seen = new Map<string, string>();
  const add = (p: string) => {
    const key = resolve(p);
    const before = seen.get(key);
    if (before !== undefined) {
      if (before !== p) throw new UsageError(`${before} and ${p} are the same calculation`);
      return;
    }
    seen.set(key, p);
    paths.push(p);
  };
  for (const f of folders) {
    if (seen.has(resolve(f))) throw new UsageError(`${f} is given twice`);
    add(f);
  }
  if (table) {
    for (const row of await loadEnergyTable(table)) {
      const p = relative('.', resolve(dirname(table), row.path)) || '.';
      energies.set(resolve(p), { value: row.energy, file: `${table}:${row.line}` });
      if (!seen.has(resolve(p))) add(p);
    }
  }
  return { paths, energies };
}

export function voltageCommand(): Command {
  const cmd = new Command('voltage')
    .summary('voltage steps from DFT energies, O classes')
    .description('average voltages of a host at several Li contents: energies per formula unit, lower convex hull in x, the voltage and capacity of each hull step, the distance above the hull of the rest, and the O4/O5 census of every structure')
    .argument('[folder...]', 'calculation folders (CONTCAR/POSCAR/vasprun.xml and OUTCAR/vasprun.xml/OSZICAR), or structure files with energies from --energies')
    .addOption(new Option('--li-energy <eV>', 'energy of Li metal per atom (eV), from the same DFT settings').argParser(parseEnergy).conflicts('liRef'))
    .option('--li-ref <folder>', 'a Li metal calculation: E_Li = its energy / number of Li')
    .option('--energies <table.csv>', 'energies instead of OUTCARs: CSV with columns path,energy_eV (eV per cell; paths relative to the table)')
    .addOption(new Option('--energy <kind>', 'which energy: sigma0 = energy(sigma->0), toten or free = free energy TOTEN, no-entropy = energy without entropy (OUTCAR only)').choices(Object.keys(ENERGY_CHOICES)).default('sigma0'))
    .addOption(new Option('--formula-unit <unit>', 'x and energies per: O2 = two O of the host (LixTMO2; default with O), host = the reduced Li-free host').choices(['O2', 'host']))
    .option('--reference <poscar>', 'pristine structure for the census: cation sites (and vacancies) come from it');
  withCensusOptions(cmd);
  withPlot(cmd, 'write the voltage profile above the O-class fractions as SVG');
  withOutput(cmd, 'print one CSV row per calculation');
  return withEngine(cmd)
    .addHelpText('after', [
      '',
      'V = −[E(x₂) − E(x₁) − (x₂ − x₁)·E_Li] / (x₂ − x₁) between neighbouring hull points (one electron per Li).',
      'A pure-Li calculation among the folders is the Li reference when --li-energy/--li-ref are not given.',
      '',
      'Examples:',
      '  oxyscope voltage x0/ x0.5/ x1/ --li-ref li-bcc/ --plot voltage.svg',
      '  oxyscope voltage --energies energies.csv --li-energy -1.909 --reference pristine/POSCAR --csv',
    ].join('\n'))
    .action(async (folders: string[], opts: VoltageOpts) => {
      if (folders.length === 0 && !opts.energies) throw new UsageError('give calculation folders, or an --energies table naming them');
      const kernels = await loadKernels(opts.engine);
      const field = ENERGY_CHOICES[opts.energy];
      const reference = opts.reference ? await loadStructure(opts.reference, kernels) : undefined;
      const { paths, energies } = await seriesPaths(folders, opts.energies);
      const warnings: string[] = [];
      const inputs: VoltageInput[] = [];
      for (const path of paths) {
        const c = await readSeriesCalculation(path, kernels, field, energies.get(resolve(path)));
        warnings.push(...c.warnings);
        inputs.push({
          id: path,
          file: c.structureFile,
          composition: compositionOf(c.structure.species),
          energy: c.energy.value,
          energySource: energySource(c.energy),
          classes: classFractions(c.structure, kernels, { ...censusSettings(opts), reference, file: c.structureFile }),
        });
      }
      let liEnergy = opts.liEnergy === undefined ? undefined : { value: opts.liEnergy, source: '--li-energy' };
      if (opts.liRef) {
        const c = await readSeriesCalculation(opts.liRef, kernels, field, energies.get(resolve(opts.liRef)));
        warnings.push(...c.warnings);
        liEnergy = liReference({ file: c.structureFile, composition: compositionOf(c.structure.species), energy: c.energy.value, energySource: energySource(c.energy) });
      }
      const profile = voltageProfile(inputs, { liEnergy, formulaUnit: opts.formulaUnit });
      profile.warnings.unshift(...warnings);
      if (opts.plot) await writeAtomic(opts.plot, await voltageSvg(profile), opts.force);
      warn(profile.warnings);
      emit(opts, {
        json: () => ({ energy: ENERGY_LABEL[field], reference: opts.reference ?? null, ...profile }),
        csv: () => voltageCsv(profile),
        text: () => renderVoltage(profile),
      });
    });
}
