import { Command, InvalidArgumentError, Option } from 'commander';
import { basename } from 'node:path';
import { withEngine, withFormat, withLayout, parseList, parseRange, type EngineOpts, type FormatOpts, type HintOpts } from '../options.js';
import { withCensusOptions, censusSettings, type CensusCliOpts } from '../census-options.js';
import { withOutput, withPlot, emit, type OutputOpts } from '../output.js';
import { loadKernels } from '../../node/kernels.js';
import { writeAtomic } from '../../node/write.js';
import { Loader } from '../../node/load.js';
import { UsageError } from '../../errors.js';
import type { IntegrationMode } from '../../kernels/types.js';
import { census, classesBySite } from '../../analysis/census.js';
import { pdosCurves, pdosWindow, type PdosGrouping, type PdosOptions, type PdosResult, type SpinChoice } from '../../analysis/pdos.js';
import { fmt, renderCsv, renderTable, type Cell } from '../render.js';
import { parseRatios } from '../parse.js';

type PdosCliOpts = EngineOpts & HintOpts & FormatOpts & CensusCliOpts & OutputOpts & {
  structure?: string;
  window: [number, number];
  mode: IntegrationMode;
  groupBy: PdosGrouping;
  elements?: string[];
  sites?: SiteRanges;
  orbitals?: string[];
  spin: SpinChoice;
  momentWindow?: [number, number];
  ratio?: [string, string][];
  plot?: string;
  force?: boolean;
};

/** Sites as given on the command line: 0-based inclusive ranges, kept unexpanded until the structure is known. */
export type SiteRanges = [number, number][];

/** `1-4,7` (1-based, as in POSCAR order) → [[0, 3], [6, 6]]. */
export function parseSites(value: string): SiteRanges {
  return parseList(value).map((part) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    const from = m ? Number(m[1]) : NaN;
    const to = m && m[2] !== undefined ? Number(m[2]) : from;
    if (!m || from < 1 || to < from) throw new InvalidArgumentError(`expected 1-based site numbers and ranges like 1-4,7 (got "${part}")`);
    return [from - 1, to - 1];
  });
}

/**
 * The sites of `ranges` (0-based) once the number of sites is known: checked first, so `1-999999999` is a one-line
 * usage error instead of a billion-element list.
 */
export function expandSites(ranges: SiteRanges, nSites: number): number[] {
  const bad = ranges.find(([, to]) => to >= nSites);
  if (bad) throw new UsageError(`--sites ${bad[0] === bad[1] ? bad[0] + 1 : `${bad[0] + 1}-${bad[1] + 1}`}: the DOS has sites 1..${nSites}`);
  const out = new Set<number>();
  for (const [from, to] of ranges) for (let i = from; i <= to; i++) out.add(i);
  return [...out];
}

const HEADERS = ['group', 'atoms', 'states', 'per atom', '↑ per atom', '↓ per atom', 'centre (eV)', 'width (eV)', 'filling'];

/** Numbers stay numbers so the table right-aligns them (3 decimals); JSON and CSV carry full precision. */
function rows(r: PdosResult): Cell[][] {
  return r.groups.map((g) => [g.name, g.atoms.length, g.statesInWindow, g.perAtom, g.spins?.up.perAtom, g.spins?.down.perAtom, g.center, g.width, g.filling]);
}

/** The human summary of a PDOS window analysis (also used by `report`). */
export function renderPdos(file: string, r: PdosResult): string {
  const lines = [
    `${file}: ${r.source}, E_F = ${fmt(r.efermi, 4)} eV, ${r.nspin === 2 ? 'spin-polarised' : r.noncollinear ? 'non-collinear (total only)' : 'non-spin'}`,
    `window [${r.window.join(', ')}] eV (E − E_F), mode ${r.mode}; spin ${r.nspin === 1 ? 'total' : r.spin === 'both' ? 'up + down' : r.spin}; orbitals ${r.orbitals.join(',')}; grouped by ${r.basis === 'lcfo' ? 'LCFO fragment (fragments, not atoms)' : r.groupBy}`,
    `centre/width/filling over [${r.momentWindow.map((x) => fmt(x, 2)).join(', ')}] eV${r.momentWindowBasis === 'given' ? '' : ' (up to the band top above E_F)'}; ${r.basis === 'lcfo' ? 'states = per fragment (one fragment per group)' : "states = summed over the group's atoms, per atom = states / atoms"}`,
    renderTable(r.basis === 'lcfo' ? HEADERS.map((h) => (h === 'atoms' ? 'fragments' : h.replace('per atom', 'per fragment'))) : HEADERS, rows(r)),
    `total DOS in the window: ${fmt(r.total.statesInWindow, 4)} states per cell${r.total.fromIntegratedColumn === null ? '' : ` (N(b) − N(a) from the file's integrated column: ${fmt(r.total.fromIntegratedColumn, 4)})`}`,
  ];
  for (const q of r.ratios) lines.push(`ratio ${q.name} (per atom): ${q.value === null ? '–' : fmt(q.value, 3)}`);
  return lines.join('\n');
}

function renderPdosCsv(file: string, r: PdosResult): string {
  return renderCsv(
    ['file', 'group', 'atoms', 'window_a_eV', 'window_b_eV', 'mode', 'spin', 'orbitals', 'states_in_window', 'states_per_atom', 'up_per_atom', 'down_per_atom', 'center_eV', 'width_eV', 'filling'],
    r.groups.map((g) => [
      file, g.name, g.atoms.map((a) => a + 1).join(' '), r.window[0], r.window[1], r.mode, r.spin, r.orbitals.join(' '),
      g.statesInWindow, g.perAtom, g.spins?.up.perAtom, g.spins?.down.perAtom, g.center, g.width, g.filling,
    ]),
  );
}

export function pdosCommand(): Command {
  const cmd = new Command('pdos')
    .summary('projected DOS in a window near E_F, by group')
    .description('integrate the projected DOS over a window near E_F, by element, site or O class (O4/O5), with band centre, width and filling')
    .argument('<dos>', 'DOSCAR, vasprun.xml or DOSCAR.lobster (.gz works; - reads stdin)')
    .option('--structure <poscar>', 'structure of the same run (names the atoms of a VASP DOSCAR; default: CONTCAR/POSCAR/vasprun.xml beside it)')
    .option('--window <a,b>', 'integration window in eV relative to E_F', parseRange, [-2, 0])
    .addOption(new Option('--mode <mode>', 'interp = trapezoid with interpolated edges; mask = grid points inside only (pymatgen); bins = VASP histogram (integrated-DOS column)').choices(['interp', 'mask', 'bins']).default('interp'))
    .addOption(new Option('--group-by <by>', 'element, site, or class (census O4/O5 … of each O; needs the structure)').choices(['element', 'site', 'class']).default('element'))
    .option('--elements <list>', 'only these elements, e.g. O', parseList)
    .option('--sites <list>', 'only these sites, 1-based, e.g. 1-4,7', parseSites)
    .option('--orbitals <list>', 's,p,d,f or orbital names (px, dxy, x2-y2; LOBSTER 2p_x); default all', parseList)
    .addOption(new Option('--spin <spin>', 'up, down, or both summed').choices(['up', 'down', 'both']).default('both'))
    .option('--moment-window <a,b>', 'window for band centre, width and filling, eV relative to E_F (default: -10 to the top of the band that holds E_F)', parseRange)
    .option('--ratio <list>', 'per-atom ratios between groups, e.g. O5:O4', parseRatios);
  withCensusOptions(cmd);
  withLayout(cmd);
  withFormat(cmd, 'the DOS file (not --structure)');
  withPlot(cmd, 'write the PDOS per atom of each group with the window shaded (SVG)');
  withOutput(cmd, 'print CSV');
  return withEngine(cmd)
    .addHelpText(
      'after',
      '\nEnergies are relative to E_F; states are summed over each group\'s atoms and selected orbitals and spins, "per atom" divides by\n' +
        'the group\'s atoms. Site numbers are 1-based on the command line and in tables; JSON `atoms` are 0-based.\n' +
        '--tm, --alkali and --cutoff set the census behind --group-by class (as in `oxyscope census`).\n\n' +
        'Examples:\n  oxyscope pdos DOSCAR --elements O --orbitals p\n  oxyscope pdos vasprun.xml --group-by class --orbitals p --ratio O5:O4 --plot pdos.svg\n' +
        '  oxyscope pdos DOSCAR.lobster --structure POSCAR --mode bins --window -1,0 --json',
    )
    .action(async (path: string, opts: PdosCliOpts) => {
      const kernels = await loadKernels(opts.engine);
      const loader = new Loader(kernels, opts);
      const given = opts.structure ? { structure: await new Loader(kernels, { warnings: loader.warnings }).structureAt(opts.structure), structureFile: opts.structure } : {};
      const { dos, structure, structureFile } = await loader.dosAt(path, given, opts.format);
      const options: PdosOptions = {
        window: opts.window,
        mode: opts.mode,
        momentWindow: opts.momentWindow,
        groupBy: opts.groupBy,
        species: structure?.species,
        elements: opts.elements,
        sites: opts.sites && expandSites(opts.sites, dos.nSites),
        orbitals: opts.orbitals,
        spin: opts.spin,
        ratios: opts.ratio,
      };
      if (opts.groupBy === 'class') {
        if (!structure) throw new UsageError('--group-by class needs the structure of the run (--structure, or a CONTCAR/POSCAR beside the DOS)');
        options.classes = classesBySite(census(structure, kernels, { ...censusSettings(opts), file: structureFile, neighbours: false }), dos.nSites);
      }
      const result = pdosWindow(dos, kernels, options);
      if (opts.plot) {
        const { dosPlot } = await import('../../plot/dos-plot.js');
        const spinText = result.nspin === 1 ? 'total' : result.spin === 'both' ? 'spins summed' : `spin ${result.spin}`;
        const svg = dosPlot(pdosCurves(dos, options), {
          window: result.window,
          title: `PDOS by ${result.groupBy}: ${path === '-' ? 'stdin' : basename(path)}`,
          note: `orbitals ${result.orbitals.join(',')}, ${spinText}, per atom; shaded: integration window`,
        });
        await writeAtomic(opts.plot, svg, opts.force);
      }
      emit(opts, {
        json: () => ({ file: path, structure: structureFile ?? null, ...result }),
        csv: () => renderPdosCsv(path, result),
        text: () => renderPdos(path, result),
      }, [...loader.warnings, ...result.warnings]);
    });
}
