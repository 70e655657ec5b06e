import { Command, InvalidArgumentError } from 'commander';
import { basename } from 'node:path';
import { withEngine, parseList, parsePositive, type EngineOpts } from '../options.js';
import { loadKernels } from '../../node/kernels.js';
import { openSource, headText } from '../../node/files.js';
import { writeAtomic } from '../../node/write.js';
import { loadStructure } from '../../node/load.js';
import { fromBytes, readAll, type ByteSource } from '../../io/source.js';
import { detectFormat, FORMAT_NAMES } from '../../io/detect.js';
import { readIcohplist } from '../../io/lobster/icohplist.js';
import { readCohpcar } from '../../io/lobster/cohpcar.js';
import { mapLabelsToStructure } from '../../io/lobster/labels.js';
import { ParseError, UsageError } from '../../errors.js';
import { census } from '../../analysis/census.js';
import { cohpCurves, cohpcarAnalysis, icohpAnalysis, type BondGroup, type CohpcarResult, type IcohpResult } from '../../analysis/cohp.js';
import { cohpPlot } from '../../plot/cohp-plot.js';
import { fmt, renderCsv, renderTable, type Cell } from '../render.js';

type CohpCliOpts = EngineOpts & {
  structure?: string;
  bonds?: number[];
  cutoff?: number;
  plot?: string;
  force?: boolean;
  json?: boolean;
  csv?: boolean;
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

/** The human summary of an ICOHPLIST analysis (also used by `report`). */
export function renderIcohp(file: string, r: IcohpResult, bonds?: number[]): string {
  const unit = unitOf(r.kind);
  const spin = r.nspin === 2;
  const lines = [
    `${file}: ${r.kind.toUpperCase()} list (${r.layout}), ${r.bonds} bonds${r.cutoff === null ? '' : ` ≤ ${r.cutoff} Å`}; ${r.quantity} at E_F, positive = bonding${spin ? ', spins summed' : ''}`,
    renderTable(groupHeaders(r.quantity, unit, spin), groupRows(r.groups, spin)),
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
    `${file}: ${r.kind.toUpperCase()}CAR, ${r.bonds} bonds, ${r.nPoints} energies in [${fmt(r.energyRange[0], 2)}, ${fmt(r.energyRange[1], 2)}] eV (E − E_F), E_F = ${fmt(r.efermi, 4)} eV${spin ? ', spins summed' : ''}`,
    renderTable(groupHeaders(r.quantity, unit, spin), groupRows(r.groups, spin)),
    '',
    `${r.quantity} up to E_F: integrated from the curve vs the file's own column (${unit ? `${unit}/` : 'per '}bond)`,
    renderTable(['No.', 'bond', 'length (Å)', 'integrated', 'file', 'difference', 'file at first E'], rowsShown.map((b) => [b.index, b.label, b.length, b.integrated, b.file, b.difference, b.fileAtFirstEnergy])),
    `largest |difference|: ${fmt(r.maxDifference, 5)}${unit ? ` ${unit}` : ''}`,
  ].join('\n');
}

export function cohpCommand(): Command {
  return withEngine(
    new Command('cohp')
      .description('−ICOHP per bond from LOBSTER, by element pair and by O class (O4–TM, O5–TM) with a structure; COHPCAR integrated up to E_F vs its own column')
      .argument('<file>', 'ICOHPLIST.lobster (ICOOPLIST, ICOBILIST) or COHPCAR.lobster (COOPCAR, COBICAR); .gz works; - reads stdin')
      .option('--structure <poscar>', 'the structure LOBSTER read (CONTCAR/POSCAR): checks the labels and groups O–TM bonds by the census class of the O')
      .option('--bonds <list>', 'LOBSTER bond numbers (COHP#, No.k) to list and to plot, e.g. 1,2', parseBondNumbers)
      .option('--cutoff <Å>', 'only bonds up to this length', parsePositive)
      .option('--plot <file.svg>', 'COHPCAR: write −COHP of the chosen bonds (default: the 4 strongest) as SVG')
      .option('--force', 'replace an existing --plot file')
      .option('--json', 'print JSON only')
      .option('--csv', 'print CSV (groups)')
      .addHelpText(
        'after',
        '\n−ICOHP is positive for bonding (COOP/COBI are shown as they are); mean = per bond, sum = over the bonds of a group or an O.\n' +
          'Each LOBSTER line counts once (LOBSTER lists a pair once per lattice translation). JSON `sites` are 0-based.\n\n' +
          'Examples:\n  oxyscope cohp ICOHPLIST.lobster --structure CONTCAR --cutoff 2.5\n  oxyscope cohp COHPCAR.lobster --bonds 1,2 --plot cohp.svg\n  oxyscope cohp ICOHPLIST.lobster --json',
      ),
  ).action(async (path: string, opts: CohpCliOpts) => {
    if (opts.json && opts.csv) throw new UsageError('choose one of --json and --csv');
    const kernels = await loadKernels(opts.engine);
    let source: ByteSource = await openSource(path);
    if (path === '-') source = fromBytes('<stdin>', await readAll(source));
    const format = detectFormat(path === '-' ? '' : path, await headText(source));
    const isList = format === 'icohplist' || format === 'icooplist' || format === 'icobilist';
    const isCar = format === 'cohpcar' || format === 'coopcar' || format === 'cobicar';
    if (!isList && !isCar) {
      throw new ParseError({ file: source.name, line: 1, expected: 'an ICOHPLIST/ICOOPLIST/ICOBILIST or COHPCAR/COOPCAR/COBICAR', found: format ? FORMAT_NAMES[format] : 'an unknown format' });
    }
    const structure = opts.structure ? await loadStructure(opts.structure, kernels) : undefined;
    const files = { labels: source.name, structure: opts.structure ?? '' };
    let out: { file: string; structure: string | null } & (IcohpResult | CohpcarResult);
    let text: string;
    let csv: string;
    if (isList) {
      if (opts.plot) throw new UsageError('--plot draws COHP curves: give a COHPCAR.lobster (an ICOHPLIST has only values at E_F)');
      const list = await readIcohplist(source);
      if (structure) mapLabelsToStructure(list.bonds.flatMap((b) => b.atoms.map((a) => a.label)), structure, files);
      const c = structure ? census(structure, kernels, { file: opts.structure }) : undefined;
      const result = icohpAnalysis(list, kernels, { census: c, nSites: structure?.species.length, cutoff: opts.cutoff });
      out = { file: path, structure: opts.structure ?? null, ...result };
      text = renderIcohp(path, result, opts.bonds);
      csv = renderCsv(
        ['file', 'group', 'by', 'bonds', 'mean_per_bond', 'sum', 'quantity'],
        result.groups.map((g) => [path, g.name, g.by, g.count, g.meanMinusIcohp, g.sumMinusIcohp, result.quantity]),
      );
    } else {
      const cohp = await readCohpcar(source, { kernels });
      if (structure) mapLabelsToStructure(cohp.bonds.flatMap((b) => b.atoms.map((a) => a.label)), structure, files);
      const result = cohpcarAnalysis(cohp, kernels, { cutoff: opts.cutoff });
      if (opts.plot) {
        const curves = cohpCurves(cohp, opts.bonds);
        await writeAtomic(opts.plot, cohpPlot(curves, { title: `−${curves.kind} of ${opts.bonds ? 'selected' : 'the strongest'} bonds: ${path === '-' ? 'stdin' : basename(path)}` }), opts.force);
      }
      out = { file: path, structure: opts.structure ?? null, ...result };
      text = renderCohpcar(path, result, opts.bonds);
      csv = renderCsv(
        ['file', 'bond', 'label', 'length_A', 'integrated', 'file_value', 'difference', 'quantity'],
        result.integration.map((b) => [path, b.index, b.label, b.length, b.integrated, b.file, b.difference, result.quantity]),
      );
    }
    for (const w of out.warnings) process.stderr.write(`warning: ${w}\n`);
    if (opts.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    else if (opts.csv) process.stdout.write(csv);
    else process.stdout.write(`${text}\n`);
  });
}
