import { Command } from 'commander';
import { withEngine, withFormat, withSpecies, parsePositive, type EngineOpts, type FormatOpts, type HintOpts } from '../options.js';
import { withCensusOptions, censusSettings, type CensusCliOpts } from '../census-options.js';
import { withOutput, emit, type OutputOpts } from '../output.js';
import { loadKernels } from '../../node/kernels.js';
import { Loader, type FrameChoice, type FrameOf } from '../../node/load.js';
import { structureFileIn } from '../../node/calc-folder.js';
import { loadPathFrames } from '../../node/path-frames.js';
import { migration, type MigratedTm, type MigrationResult } from '../../analysis/migration.js';
import { pathMigration, type PathMigrationResult } from '../../analysis/path-migration.js';
import { selectFrames } from '../../analysis/path-census.js';
import { UsageError } from '../../errors.js';
import { renderTable, fmt } from '../render.js';
import { axisIn, parseAxisSpec, type AxisSpec } from '../parse.js';
import { frameNote, parseEvery, parseFrameChoice, parseFrameRange } from '../frame-options.js';

type MigrationOpts = EngineOpts & HintOpts & FormatOpts & CensusCliOpts & OutputOpts & {
  reference?: string;
  axis?: AxisSpec;
  tmCutoff?: number;
  tolerance?: number;
  frame?: FrameChoice;
  path?: boolean;
  every?: number;
  frames?: { first?: number; last?: number };
};

const SITE: Record<string, string> = { 'octahedral-TM-layer': 'oct TM layer', tetrahedral: 'tetrahedral', 'octahedral-Li-layer': 'oct Li layer', 'between-sites': 'between sites' };

function renderPath(r: PathMigrationResult): string {
  const out: string[] = [];
  const what = r.kind === 'neb' ? 'image' : r.kind === 'trajectory' ? 'frame' : 'structure';
  const label = (f: number, name: string) => (r.kind === 'trajectory' ? String(f + 1) : name);
  out.push(`${r.source}: TM migration along the path, ${r.frames.length} of ${r.nFrames} ${what}s analysed; layers and sites from the ${r.reference} (atoms and frames numbered from 1)`);
  out.push(`moving TM (displaced > ${r.tolerance} Å from the reference at some ${what}): ${r.movers.length}`);
  for (const m of r.movers) {
    const at = (f: number | null) => (f === null ? 'never' : `${what} ${label(f, r.frames.includes(f) ? m.frames.find((x) => x.frame === f)!.name : '')}`);
    out.push('');
    out.push(`${m.species}${m.index + 1}: moves ${fmt(m.maxDisplacement, 2)} Å; leaves its site at ${at(m.leavesSite)}, crosses into another layer at ${at(m.crossesLayer)}, tetrahedral at ${at(m.tetrahedralAt)}`);
    out.push(renderTable([what, 'site', 'layer', 'on site (1-based)', 'in-plane TM', 'O', 'offset Å', 'moved Å'], m.frames.map((x) => [
      label(x.frame, x.name), SITE[x.siteType], `${x.layer} (${x.layerKind})`, x.site < 0 ? '-' : `${x.site + 1} (${x.siteSpecies})`, x.inPlaneTM, x.nO, fmt(x.offset, 2), fmt(x.displacement, 2),
    ])));
  }
  out.push('');
  out.push(`site: oct = on a reference cation site within ${r.siteTolerance} Å or six O within the cutoffs; tetrahedral = four O at tetrahedral angles between the planes; else between sites`);
  return out.join('\n') + '\n';
}

function histogramRows(h: Record<string, Record<string, number>>): (string | number)[][] {
  return Object.entries(h).flatMap(([sp, row]) => Object.entries(row).map(([n, count]) => [sp, `${sp}–TM${n}`, count]));
}

function moveRows(xs: MigratedTm[]): (string | number)[][] {
  return xs.map((m) => [m.index + 1, m.species, `${m.from.kind} layer ${m.from.layer} (${m.from.siteSpecies} site)`, `${m.to.kind} layer ${m.to.layer} (${m.to.siteSpecies ? `former ${m.to.siteSpecies} site` : 'off-site'})`, fmt(m.displacement, 2)]);
}

function renderText(r: MigrationResult & { frame?: FrameOf }): string {
  const out: string[] = [];
  const v = r.axis.vector.map((x) => x.toFixed(3)).join(', ');
  if (r.frame) out.push(`${r.file}: ${frameNote(r.frame)}; --frame picks another`);
  out.push(`${r.file}: stacking axis (${r.axis.hkl.join(' ')}) normal [${v}], plane spacing ${r.axis.period.toFixed(3)} Å (${r.axis.source === 'auto' ? 'found' : '--axis'})`);
  out.push(renderTable(['layer', 'height Å', 'kind', 'atoms'], r.layers.map((l) => [l.index, fmt(l.height, 3), l.kind, Object.entries(l.counts).map(([s, n]) => `${s}${n}`).join(' ')])));
  out.push('');
  out.push('in-plane TM coordination (TM neighbours in the own layer):');
  out.push(renderTable(['TM', 'environment', 'atoms'], histogramRows(r.coordination)));
  out.push('');
  out.push('TM neighbours in other layers:');
  out.push(renderTable(['TM', 'environment', 'atoms'], histogramRows(r.coordinationAdjacent)));
  out.push('');
  out.push(`TM in Li layers (atoms 1-based, POSCAR order): ${r.tmInLiLayer.length}${r.tmInLiLayer.length ? ` (${r.tmInLiLayer.map((t) => `${t.species}${t.index + 1}`).join(', ')})` : ''}`);
  out.push(`tetrahedral TM (4 O): ${r.tetrahedralTM.length}${r.tetrahedralTM.length ? ` (${r.tetrahedralTM.map((t) => `${t.species}${t.index + 1}`).join(', ')})` : ''}`);
  if (r.migrated.reference) {
    const head = ['atom (1-based)', 'TM', 'from', 'to', 'moved Å'];
    out.push(`migrated in plane (moved > ${r.migrated.tolerance} Å, still in a TM layer): ${r.migrated.inPlane.length}`);
    if (r.migrated.inPlane.length) out.push(renderTable(head, moveRows(r.migrated.inPlane)));
    out.push(`migrated out of plane (into a Li layer or a tetrahedral site): ${r.migrated.outOfPlane.length}`);
    if (r.migrated.outOfPlane.length) out.push(renderTable(head, moveRows(r.migrated.outOfPlane)));
  } else {
    out.push('displacements: give --reference <pristine POSCAR> to count migrated TM');
  }
  out.push(`cutoffs: TM–TM ${r.cutoffs.tmTm} Å${r.cutoffs.tmO.map((c) => `, ${c.pair} ${c.cutoff} Å`).join('')}${r.tm.length ? '' : ' (no TM in this structure)'}`);
  return out.join('\n') + '\n';
}

export function migrationCommand(): Command {
  const cmd = new Command('migration')
    .summary('TM layers, coordination and migration')
    .description('TM layers, in-plane and out-of-plane TM coordination, TM in Li layers and tetrahedral TM; with a reference, which TM migrated')
    .argument('<inputs...>', 'POSCAR/CONTCAR, or a calculation folder (its CONTCAR, else POSCAR), or an XDATCAR (its last frame; --frame); with --path: an XDATCAR, an NEB folder or several structures in order; .gz works; - reads stdin')
    .option('--reference <poscar>', 'pristine structure (same cell, TM in the same file order): displacements and migrated TM; with --path: layers and sites (default the first analysed frame)')
    .option('--axis <axis>', 'stacking axis: a, b, c (normal of the other two vectors) or a Cartesian x,y,z (default: found)', parseAxisSpec)
    .option('--tm-cutoff <Å>', 'TM–TM neighbour cutoff (default 3.2)', parsePositive)
    .option('--tolerance <Å>', 'displacement above which a TM counts as migrated (default 1.0)', parsePositive)
    .option('--frame <n|last>', 'the frame of an XDATCAR to analyse, from 1, or last (default last)', parseFrameChoice)
    .option('--path', 'every frame (XDATCAR), image (NEB folder) or structure given: per moving TM its site type, layer and in-plane coordination per frame')
    .option('--every <k>', 'with --path: every k-th frame (the last of the range always)', parseEvery)
    .option('--frames <a:b>', 'with --path: frames a … b only (from 1, inclusive)', parseFrameRange);
  withCensusOptions(cmd);
  withSpecies(cmd);
  withFormat(cmd, 'the structure (not --reference)');
  withOutput(cmd);
  return withEngine(cmd)
    .addHelpText('after', '\nAtom and frame numbers in tables are 1-based; JSON indices are 0-based.\n\nExamples:\n  oxyscope migration CONTCAR --reference POSCAR.pristine\n  oxyscope migration CONTCAR --axis c --json\n  oxyscope migration neb/ --path\n  oxyscope migration XDATCAR --path --every 20 --json')
    .action(async (args: string[], opts: MigrationOpts) => {
      if (!opts.path && (opts.every !== undefined || opts.frames)) throw new UsageError('--every and --frames go with --path');
      if (!opts.path && args.length > 1) throw new UsageError('migration takes one structure (or --path with several)');
      if (opts.path && opts.frame !== undefined) throw new UsageError('--path analyses every frame: --frame is for one structure');
      const kernels = await loadKernels(opts.engine);
      const loader = new Loader(kernels, opts);
      const reference = opts.reference ? await new Loader(kernels, { warnings: loader.warnings }).structureAt(opts.reference) : undefined;
      if (opts.path) {
        const frames = await loadPathFrames(args, loader, opts.format);
        const selected = selectFrames(frames.trajectory.nFrames, { every: opts.every, ...opts.frames });
        const base = reference ?? frames.trajectory;
        const lattice = 'lattice' in base ? base.lattice : base.lattices.subarray(0, 9);
        const r = pathMigration(frames, kernels, {
          ...censusSettings(opts), reference, referenceName: opts.reference, frames: selected, axis: opts.axis ? axisIn(opts.axis, lattice) : 'auto', tmCutoff: opts.tmCutoff, tolerance: opts.tolerance,
        });
        emit(opts, { json: () => r, text: () => renderPath(r) }, [...loader.warnings, ...r.warnings]);
        return;
      }
      const file = await structureFileIn(args[0]);
      const { structure: s, frame } = await loader.structureOrFrameAt(file, opts.format, opts.frame);
      const r = { ...migration(s, kernels, { ...censusSettings(opts), reference, axis: opts.axis ? axisIn(opts.axis, (reference ?? s).lattice) : 'auto', tmCutoff: opts.tmCutoff, tolerance: opts.tolerance, file }), ...(frame ? { frame } : {}) };
      emit(opts, { json: () => r, text: () => renderText(r) }, [...loader.warnings, ...r.warnings]);
    });
}
