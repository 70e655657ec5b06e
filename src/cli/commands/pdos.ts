import { Command, InvalidArgumentError, Option } from 'commander';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { withEngine, parseList, parseRange, type EngineOpts } from '../options.js';
import { loadKernels } from '../../node/kernels.js';
import { openSource, headText } from '../../node/files.js';
import { writeAtomic } from '../../node/write.js';
import { loadStructure } from '../../node/load.js';
import { fromBytes, readAll, type ByteSource } from '../../io/source.js';
import { detectFormat, FORMAT_NAMES } from '../../io/detect.js';
import { readDoscar } from '../../io/vasp/doscar.js';
import { readVasprun } from '../../io/vasp/vasprun.js';
import { readDoscarLobster } from '../../io/lobster/doscar-lobster.js';
import { MismatchError, ParseError, UsageError } from '../../errors.js';
import type { Kernels, IntegrationMode } from '../../kernels/types.js';
import type { Dos } from '../../model/dos.js';
import type { Structure } from '../../model/structure.js';
import { census } from '../../analysis/census.js';
import { pdosCurves, pdosWindow, type PdosGrouping, type PdosOptions, type PdosResult, type SpinChoice } from '../../analysis/pdos.js';
import { dosPlot } from '../../plot/dos-plot.js';
import { fmt, renderCsv, renderTable, type Cell } from '../render.js';

type PdosCliOpts = EngineOpts & {
  structure?: string;
  window: [number, number];
  mode: IntegrationMode;
  groupBy: PdosGrouping;
  elements?: string[];
  sites?: number[];
  orbitals?: string[];
  spin: SpinChoice;
  momentWindow: [number, number];
  ratio?: string[];
  plot?: string;
  force?: boolean;
  json?: boolean;
  csv?: boolean;
};

/** `1-4,7` (1-based, as in POSCAR order) → [0, 1, 2, 3, 6]. */
export function parseSites(value: string): number[] {
  const out: number[] = [];
  for (const part of parseList(value)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    const from = m ? Number(m[1]) : NaN;
    const to = m && m[2] !== undefined ? Number(m[2]) : from;
    if (!m || from < 1 || to < from) throw new InvalidArgumentError(`expected 1-based site numbers and ranges like 1-4,7 (got "${part}")`);
    for (let i = from; i <= to; i++) out.push(i - 1);
  }
  return out;
}

/** Companion files that name the atoms of a VASP DOSCAR, in order of preference. */
const COMPANIONS = ['CONTCAR', 'POSCAR', 'vasprun.xml'];

async function exists(path: string): Promise<boolean> {
  return fs.stat(path).then((s) => s.isFile(), () => false);
}

async function findCompanion(dosPath: string): Promise<string | undefined> {
  if (dosPath === '-') return undefined;
  const dir = dirname(dosPath);
  for (const name of COMPANIONS) {
    for (const candidate of [name, `${name}.gz`]) {
      const p = join(dir, candidate);
      if (await exists(p)) return p;
    }
  }
  return undefined;
}

interface Loaded {
  dos: Dos;
  structure?: Structure;
  /** where the atom names came from */
  structureFile?: string;
}

/**
 * The DOS and, where one is needed or at hand, the structure of the same run: `--structure`, the vasprun.xml's own
 * final structure, or a CONTCAR/POSCAR/vasprun.xml beside a VASP DOSCAR. stdin is read once into memory.
 */
async function loadInput(path: string, structurePath: string | undefined, kernels: Kernels): Promise<Loaded> {
  let source: ByteSource = await openSource(path);
  if (path === '-') source = fromBytes('<stdin>', await readAll(source));
  const format = detectFormat(path === '-' ? '' : path, await headText(source));
  if (format !== 'doscar' && format !== 'vasprun' && format !== 'doscar-lobster') {
    throw new ParseError({ file: source.name, line: 1, expected: 'a DOSCAR, vasprun.xml or DOSCAR.lobster', found: format ? FORMAT_NAMES[format] : 'an unknown format' });
  }
  let structure = structurePath ? await loadStructure(structurePath, kernels) : undefined;
  let structureFile = structurePath;
  if (format === 'vasprun') {
    const run = await readVasprun(source, { kernels });
    if (!run.dos) throw new ParseError({ file: source.name, line: 0, expected: 'a <dos> block', found: 'a run without DOS output' });
    return { dos: run.dos, structure: structure ?? run.structures.final, structureFile: structureFile ?? source.name };
  }
  if (format === 'doscar-lobster') {
    return { dos: await readDoscarLobster(source, { kernels }), structure, structureFile };
  }
  const flags: { noncollinear?: boolean; ispin?: 1 | 2 } = {};
  if (!structure) {
    const companion = await findCompanion(path);
    if (companion && /vasprun\.xml(\.gz)?$/.test(companion)) {
      const run = await readVasprun(await openSource(companion), { kernels });
      structure = run.structures.final;
      // the run's own flags settle the ambiguous 17-column layouts
      flags.noncollinear = run.noncollinear;
      if (run.ispin === 1 || run.ispin === 2) flags.ispin = run.ispin;
    } else if (companion) {
      structure = await loadStructure(companion, kernels);
    }
    structureFile = companion;
  }
  const dos = await readDoscar(source, { kernels, structure, speciesFrom: structureFile, ...flags });
  return { dos, structure, structureFile };
}

function checkSites(dos: Dos, structure: Structure | undefined, files: [string, string | undefined]): void {
  if (structure && structure.species.length !== dos.nSites) {
    throw new MismatchError([files[0], files[1] ?? 'structure'], `the DOS has ${dos.nSites} sites, the structure ${structure.species.length}`);
  }
  if (structure && dos.species && dos.species.some((s, i) => s !== structure.species[i])) {
    const i = dos.species.findIndex((s, k) => s !== structure.species[k]);
    throw new MismatchError([files[0], files[1] ?? 'structure'], `site ${i + 1} is ${dos.species[i]} in the DOS and ${structure.species[i]} in the structure`);
  }
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
    `window [${r.window.join(', ')}] eV (E − E_F), mode ${r.mode}; spin ${r.nspin === 1 ? 'total' : r.spin === 'both' ? 'up + down' : r.spin}; orbitals ${r.orbitals.join(',')}; grouped by ${r.groupBy}`,
    `centre/width/filling over [${r.momentWindow.join(', ')}] eV; states = summed over the group's atoms, per atom = states / atoms`,
    renderTable(HEADERS, rows(r)),
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
  return withEngine(
    new Command('pdos')
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
      .option('--moment-window <a,b>', 'window for band centre, width and filling, eV relative to E_F', parseRange, [-10, 0])
      .option('--ratio <list>', 'per-atom ratios between groups, e.g. O5:O4', parseList)
      .option('--plot <file.svg>', 'write the PDOS per atom of each group with the window shaded (SVG)')
      .option('--force', 'replace an existing --plot file')
      .option('--json', 'print JSON only')
      .option('--csv', 'print CSV')
      .addHelpText(
        'after',
        '\nEnergies are relative to E_F; states are summed over each group\'s atoms and selected orbitals and spins, "per atom" divides by\n' +
          'the group\'s atoms. Site numbers are 1-based on the command line and in tables; JSON `atoms` are 0-based.\n\n' +
          'Examples:\n  oxyscope pdos DOSCAR --elements O --orbitals p\n  oxyscope pdos vasprun.xml --group-by class --orbitals p --ratio O5:O4 --plot pdos.svg\n' +
          '  oxyscope pdos DOSCAR.lobster --structure POSCAR --mode bins --window -1,0 --json',
      ),
  ).action(async (path: string, opts: PdosCliOpts) => {
    if (opts.json && opts.csv) throw new UsageError('choose one of --json and --csv');
    const kernels = await loadKernels(opts.engine);
    const { dos, structure, structureFile } = await loadInput(path, opts.structure, kernels);
    checkSites(dos, structure, [path, structureFile]);
    const options: PdosOptions = {
      window: opts.window,
      mode: opts.mode,
      momentWindow: opts.momentWindow,
      groupBy: opts.groupBy,
      species: structure?.species,
      elements: opts.elements,
      sites: opts.sites,
      orbitals: opts.orbitals,
      spin: opts.spin,
      ratios: opts.ratio,
    };
    if (opts.groupBy === 'class') {
      if (!structure) throw new UsageError('--group-by class needs the structure of the run (--structure, or a CONTCAR/POSCAR beside the DOS)');
      const c = census(structure, kernels, { file: structureFile });
      const classes: (string | null)[] = new Array(dos.nSites).fill(null);
      for (const s of c.sites) classes[s.index] = s.class;
      options.classes = classes;
    }
    const result = pdosWindow(dos, kernels, options);
    if (opts.plot) {
      const spinText = result.nspin === 1 ? 'total' : result.spin === 'both' ? 'spins summed' : `spin ${result.spin}`;
      const svg = dosPlot(pdosCurves(dos, options), {
        window: result.window,
        title: `PDOS by ${result.groupBy}: ${path === '-' ? 'stdin' : basename(path)}`,
        note: `orbitals ${result.orbitals.join(',')}, ${spinText}, per atom; shaded: integration window`,
      });
      await writeAtomic(opts.plot, svg, opts.force);
    }
    for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
    const out = { file: path, structure: structureFile ?? null, ...result };
    if (opts.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    else if (opts.csv) process.stdout.write(renderPdosCsv(path, result));
    else process.stdout.write(`${renderPdos(path, result)}\n`);
  });
}
