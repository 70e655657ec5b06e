import { Command } from 'commander';
import { withEngine, withFormat, withSpecies, parsePositive, type EngineOpts, type FormatOpts, type HintOpts } from '../options.js';
import { withCensusOptions, censusSettings, type CensusCliOpts } from '../census-options.js';
import { withOutput, emit, warn, type OutputOpts } from '../output.js';
import { loadKernels } from '../../node/kernels.js';
import { Loader } from '../../node/load.js';
import { structureFileIn } from '../../node/calc-folder.js';
import { migration, type MigratedTm, type MigrationResult } from '../../analysis/migration.js';
import { renderTable, fmt } from '../render.js';
import { axisIn, parseAxisSpec, type AxisSpec } from '../parse.js';

type MigrationOpts = EngineOpts & HintOpts & FormatOpts & CensusCliOpts & OutputOpts & {
  reference?: string;
  axis?: AxisSpec;
  tmCutoff?: number;
  tolerance?: number;
};

function histogramRows(h: Record<string, Record<string, number>>): (string | number)[][] {
  return Object.entries(h).flatMap(([sp, row]) => Object.entries(row).map(([n, count]) => [sp, `${sp}–TM${n}`, count]));
}

function moveRows(xs: MigratedTm[]): (string | number)[][] {
  return xs.map((m) => [m.index + 1, m.species, `${m.from.kind} layer ${m.from.layer} (${m.from.siteSpecies} site)`, `${m.to.kind} layer ${m.to.layer} (${m.to.siteSpecies ? `former ${m.to.siteSpecies} site` : 'off-site'})`, fmt(m.displacement, 2)]);
}

function renderText(r: MigrationResult): string {
  const out: string[] = [];
  const v = r.axis.vector.map((x) => x.toFixed(3)).join(', ');
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
    .argument('<structure>', 'POSCAR/CONTCAR, or a calculation folder (its CONTCAR, else POSCAR); .gz works; - reads stdin')
    .option('--reference <poscar>', 'pristine structure (same cell, TM in the same file order): displacements and migrated TM')
    .option('--axis <axis>', 'stacking axis: a, b, c (normal of the other two vectors) or a Cartesian x,y,z (default: found)', parseAxisSpec)
    .option('--tm-cutoff <Å>', 'TM–TM neighbour cutoff (default 3.2)', parsePositive)
    .option('--tolerance <Å>', 'displacement above which a TM counts as migrated (default 1.0)', parsePositive);
  withCensusOptions(cmd);
  withSpecies(cmd);
  withFormat(cmd, 'the structure (not --reference)');
  withOutput(cmd);
  return withEngine(cmd)
    .addHelpText('after', '\nExamples:\n  oxyscope migration CONTCAR --reference POSCAR.pristine\n  oxyscope migration CONTCAR --axis c --json')
    .action(async (arg: string, opts: MigrationOpts) => {
      const file = await structureFileIn(arg);
      const kernels = await loadKernels(opts.engine);
      const loader = new Loader(kernels, opts);
      const reference = opts.reference ? await new Loader(kernels, { warnings: loader.warnings }).structureAt(opts.reference) : undefined;
      const s = await loader.structureAt(file, opts.format);
      const r = migration(s, kernels, { ...censusSettings(opts), reference, axis: opts.axis ? axisIn(opts.axis, (reference ?? s).lattice) : 'auto', tmCutoff: opts.tmCutoff, tolerance: opts.tolerance, file });
      emit(opts, { json: () => r, text: () => renderText(r) }, [...loader.warnings, ...r.warnings]);
    });
}
