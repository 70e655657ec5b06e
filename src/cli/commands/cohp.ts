import { Command, InvalidArgumentError } from 'commander';
import { basename } from 'node:path';
import { withEngine, withFormat, parseList, parsePositive, type EngineOpts, type FormatOpts } from '../options.js';
import { withCensusOptions, censusSettings, type CensusCliOpts } from '../census-options.js';
import { withOutput, withPlot, emit, type OutputOpts } from '../output.js';
import { loadKernels } from '../../node/kernels.js';
import { writeAtomic } from '../../node/write.js';
import { Loader } from '../../node/load.js';
import { UsageError } from '../../errors.js';
import { census } from '../../analysis/census.js';
import { checkBondsAgainstStructure } from '../../analysis/bond-check.js';
import { cohpCurves, cohpcarAnalysis, icohpAnalysis, LCFO_LABELS, type BondGroup, type CohpcarResult, type IcohpResult, type MultiCentreRow } from '../../analysis/cohp.js';
import { fmt, renderCsv, renderTable, type Cell } from '../render.js';

type CohpCliOpts = EngineOpts & FormatOpts & CensusCliOpts & OutputOpts & {
  structure?: string;
  bonds?: number[];
  /** longest bond kept, Å */
  maxLength?: number;
  plot?: string;
  force?: boolean;
};

function parseBondNumbers(value: string): number[] {
  return parseList(value).map((s) => {
    const v = Number(s);
    if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(`expected LOBSTER bond numbers like 1,2 (got "${s}")`);
    return v;
  });
}

/** Numbers stay numbers so the table right-aligns them (3 decimals); JSON and CSV carry full precision. */
function groupRows(groups: BondGroup[], spin: boolean): Cell[][] {
  return groups.map((g) => [g.name, g.by, g.count, g.meanMinusIcohp, g.sumMinusIcohp, ...(spin ? [g.spins![0].mean, g.spins![1].mean] : [])]);
}

function groupHeaders(quantity: string, unit: string, spin: boolean): string[] {
  const sum = unit ? `sum ${quantity} (${unit})` : `sum ${quantity}`;
  return ['group', 'by', 'bonds', `mean ${quantity} (${unit ? `${unit}/` : 'per '}bond)`, sum, ...(spin ? ['mean ↑', 'mean ↓'] : [])];
}

/** Table unit of the bond quantity: eV for COHP, electrons for COOP, none for the COBI bond index. */
function unitOf(kind: string): string {
  return kind === 'cohp' ? 'eV' : kind === 'coop' ? 'e' : '';
}

/** The multi-centre entries as their own table (they are never part of the pair groups). */
function multiCentreLines(rows: MultiCentreRow[], spin: boolean): string[] {
  if (rows.length === 0) return [];
  return [
    '',
    `multi-centre COBI entries (${rows.length}): ICOBI of each n-centre interaction at E_F, dimensionless, per entry${spin ? ', spins summed' : ''}; no length (the length filter does not apply)`,
    renderTable(['No.', 'centres', 'atoms', 'ICOBI', ...(spin ? ['↑', '↓'] : [])], rows.map((m) => [m.index, m.nCentres, m.label, m.value, ...(spin ? m.bySpin! : [])])),
  ];
}

/** " + 3 multi-centre entries" for the summary line. */
function multiCentreCount(rows: MultiCentreRow[]): string {
  return rows.length === 0 ? '' : ` + ${rows.length} multi-centre entr${rows.length === 1 ? 'y' : 'ies'}`;
}

/** The human summary of an ICOHPLIST analysis (also used by `report`). */
export function renderIcohp(file: string, r: IcohpResult, bonds?: number[]): string {
  const unit = unitOf(r.kind);
  const spin = r.nspin === 2;
  const lines = [
    `${file}: ${r.kind.toUpperCase()} list (${r.layout}${r.basis === 'lcfo' ? ', LCFO fragments, not atoms' : ''}), ${r.bonds} bonds${r.cutoff === null ? '' : ` ≤ ${r.cutoff} Å`}${multiCentreCount(r.multiCentre)}; ${r.quantity} at E_F, positive = bonding${spin ? ', spins summed' : ''}`,
    renderTable(groupHeaders(r.quantity, unit, spin), groupRows(r.groups, spin)),
    ...multiCentreLines(r.multiCentre, spin),
  ];
  if (r.perO.length > 0) {
    const withClass = r.perO.some((o) => o.class !== undefined);
    lines.push('', `per O (sum over its bonds${unit ? `, ${unit}` : ''}):`);
    lines.push(renderTable(
      ['O', ...(withClass ? ['class'] : []), 'bonds', `sum ${r.quantity}`, ...(withClass ? ['TM bonds', `sum to TM`] : [])],
      r.perO.map((o) => [o.label, ...(withClass ? [o.class ?? '–'] : []), o.nBonds, o.sumMinusIcohp, ...(withClass ? [o.nTMBonds, o.sumMinusIcohpTM] : [])]),
    ));
  }
  if (bonds && bonds.length > 0) {
    const wanted = new Set(bonds);
    lines.push('', 'selected bonds:');
    lines.push(renderTable(['No.', 'bond', 'length (Å)', 'translation', `${r.quantity}${unit ? ` (${unit})` : ''}`], r.bondList.filter((b) => wanted.has(b.index)).map((b) => [b.index, b.label, b.length, b.translation ? b.translation.join(' ') : '–', b.value])));
  }
  return lines.join('\n');
}

/** The human summary of a COHPCAR analysis. */
export function renderCohpcar(file: string, r: CohpcarResult, bonds?: number[]): string {
  const unit = unitOf(r.kind);
  const spin = r.nspin === 2;
  const wanted = bonds && bonds.length > 0 ? new Set(bonds) : undefined;
  const rowsShown = r.integration.filter((b) => !wanted || wanted.has(b.index));
  return [
    `${file}: ${r.kind.toUpperCase()}CAR${r.basis === 'lcfo' ? ' (LCFO fragments, not atoms)' : ''}, ${r.bonds} bonds${multiCentreCount(r.multiCentre)}, ${r.nPoints} energies in [${fmt(r.energyRange[0], 2)}, ${fmt(r.energyRange[1], 2)}] eV (E − E_F), E_F = ${fmt(r.efermi, 4)} eV${spin ? ', spins summed' : ''}`,
    renderTable(groupHeaders(r.quantity, unit, spin), groupRows(r.groups, spin)),
    ...multiCentreLines(r.multiCentre, spin),
    '',
    `${r.quantity} up to E_F: integrated from the curve vs the file's own column (${unit ? `${unit}/` : 'per '}bond)`,
    renderTable(['No.', 'bond', 'length (Å)', 'integrated', 'file', 'difference', 'file at first E'], rowsShown.map((b) => [b.index, b.label, b.length, b.integrated, b.file, b.difference, b.fileAtFirstEnergy])),
    `largest |difference|: ${fmt(r.maxDifference, 5)}${unit ? ` ${unit}` : ''}`,
  ].join('\n');
}

export function cohpCommand(): Command {
  const cmd = new Command('cohp')
    .summary('−ICOHP by element pair and O class (LOBSTER)')
    .description('−ICOHP per bond from LOBSTER, by element pair and by O class (O4–TM, O5–TM) with a structure; COHPCAR integrated up to E_F vs its own column')
    .argument('<file>', 'ICOHPLIST.lobster (ICOOPLIST, ICOBILIST) or COHPCAR.lobster (COOPCAR, COBICAR); .gz works; - reads stdin')
    .option('--structure <poscar>', 'the structure LOBSTER read (CONTCAR/POSCAR): checks each bond\'s atoms and length against it and groups O–TM bonds by the census class of the O')
    .option('--bonds <list>', 'LOBSTER bond numbers (COHP#, No.k) to list and to plot, e.g. 1,2', parseBondNumbers)
    .option('--max-length <Å>', 'only bonds up to this length', parsePositive);
  withCensusOptions(cmd);
  withFormat(cmd, 'the LOBSTER file (not --structure)');
  withPlot(cmd, 'COHPCAR: write −COHP of the chosen bonds (default: the 4 strongest) as SVG');
  withOutput(cmd, 'print CSV (groups)');
  return withEngine(cmd)
    .addHelpText(
      'after',
      '\n−ICOHP is positive for bonding (COOP/COBI are shown as they are); mean = per bond, sum = over the bonds of a group or an O.\n' +
        'Each LOBSTER line counts once (LOBSTER lists a pair once per lattice translation). JSON `sites` are 0-based.\n' +
        '--tm, --alkali and --cutoff set the census of --structure, as in `oxyscope census`.\n\n' +
        'Examples:\n  oxyscope cohp ICOHPLIST.lobster --structure CONTCAR --max-length 2.5\n  oxyscope cohp COHPCAR.lobster --bonds 1,2 --plot cohp.svg\n  oxyscope cohp ICOHPLIST.lobster --json',
    )
    .action(async (path: string, opts: CohpCliOpts) => {
      const kernels = await loadKernels(opts.engine);
      const loader = new Loader(kernels);
      const data = await loader.bondsAt(path, opts.format);
      if (data.kind === 'list' && opts.plot) throw new UsageError('--plot draws COHP curves: give a COHPCAR.lobster (an ICOHPLIST has only values at E_F)');
      const structure = opts.structure ? await loader.structureAt(opts.structure) : undefined;
      const basis = data.kind === 'list' ? data.list.basis : data.cohp.basis;
      if (structure && basis === 'lcfo') throw new UsageError(`--structure: no check of bonds against the structure and no O-class grouping on LCFO labels: ${LCFO_LABELS}`);
      if (structure) {
        const bonds = data.kind === 'list' ? data.list.bonds : data.cohp.bonds;
        checkBondsAgainstStructure(bonds, structure, { bonds: path === '-' ? '<stdin>' : path, structure: opts.structure! });
      }
      let out: { result: IcohpResult | CohpcarResult; csv: () => string; text: () => string };
      if (data.kind === 'list') {
        const c = structure ? census(structure, kernels, { ...censusSettings(opts), file: opts.structure, neighbours: false }) : undefined;
        const result = icohpAnalysis(data.list, kernels, { census: c, nSites: structure?.species.length, cutoff: opts.maxLength });
        out = {
          result,
          csv: () => renderCsv(
            ['file', 'group', 'by', 'bonds', 'mean_per_bond', 'sum', 'quantity'],
            result.groups.map((g) => [path, g.name, g.by, g.count, g.meanMinusIcohp, g.sumMinusIcohp, result.quantity]),
          ),
          text: () => renderIcohp(path, result, opts.bonds),
        };
      } else {
        const result = cohpcarAnalysis(data.cohp, kernels, { cutoff: opts.maxLength });
        if (opts.plot) {
          const curves = cohpCurves(data.cohp, opts.bonds);
          const { cohpPlot } = await import('../../plot/cohp-plot.js');
          await writeAtomic(opts.plot, cohpPlot(curves, { title: `−${curves.kind} of ${opts.bonds ? 'selected' : 'the strongest'} bonds: ${path === '-' ? 'stdin' : basename(path)}` }), opts.force);
        }
        out = {
          result,
          csv: () => renderCsv(
            ['file', 'bond', 'label', 'length_A', 'integrated', 'file_value', 'difference', 'quantity'],
            [
              ...result.integration.map((b) => [path, b.index, b.label, b.length, b.integrated, b.file, b.difference, result.quantity]),
              // multi-centre entries: the file's value only (no length, no curve integration)
              ...result.multiCentre.map((m) => [path, m.index, m.label, undefined, undefined, m.value, undefined, `${result.quantity} (${m.nCentres} centres)`]),
            ],
          ),
          text: () => renderCohpcar(path, result, opts.bonds),
        };
      }
      emit(opts, { json: () => ({ file: path, structure: opts.structure ?? null, ...out.result }), csv: out.csv, text: out.text }, [...loader.warnings, ...out.result.warnings]);
    });
}
