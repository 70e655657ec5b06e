import { Command, Option } from 'commander';
import { withEngine, type EngineOpts } from '../options.js';
import { withOutput, withPlot, emit, type OutputOpts } from '../output.js';
import { loadKernels } from '../../node/kernels.js';
import { Loader } from '../../node/load.js';
import { writeAtomic } from '../../node/write.js';
import { nebAnalysis, type NebAnalysis } from '../../analysis/neb.js';
import { fmt, renderTable } from '../render.js';

/** `--energy` names → the OUTCAR energy they select (VASP calls TOTEN the free energy). */
export const ENERGY_CHOICES = {
  sigma0: 'energySigma0',
  toten: 'energy',
  free: 'energy',
  'no-entropy': 'energyWithoutEntropy',
} as const;
export type EnergyChoice = keyof typeof ENERGY_CHOICES;

type NebOpts = EngineOpts & OutputOpts & { plot?: string; energy: EnergyChoice; force?: boolean };

export const ENERGY_LABEL: Record<NebAnalysis['energyKind'], string> = {
  energySigma0: 'energy(sigma->0)',
  energy: 'free energy TOTEN',
  energyWithoutEntropy: 'energy without entropy',
  'oszicar-E0': 'OSZICAR E0',
};

/** The human summary of one NEB analysis. */
export function renderNeb(r: NebAnalysis): string {
  const ref = r.reference ? `relative to image ${r.reference.image} (${fmt(r.reference.energy, 6)} eV)` : 'no image has an energy';
  const rows = r.images.map((im) => [im.name, im.reactionCoordinate, im.energy === null ? null : fmt(im.energy, 4), im.energyAbsolute === null ? null : fmt(im.energyAbsolute, 6), im.tangentForce === null ? null : fmt(im.tangentForce, 4), im.maxForce === null ? null : fmt(im.maxForce, 4), im.energyAbsolute === null ? '' : im.converged === null ? 'unknown' : im.converged ? 'yes' : 'NO']);
  const b = r.barrier;
  const lines = [
    `${r.folder}: NEB, ${r.nImages} images, ${r.nSites} atoms; energy = ${ENERGY_LABEL[r.energyKind]}, ${ref}`,
    renderTable(['image', 'x (Å)', 'E − E_ref (eV)', 'E (eV)', 'F∥ (eV/Å)', 'F_max (eV/Å)', 'converged'], rows),
    '',
    `barrier, highest image (${b.highestImage ?? '–'}): forward ${fmt(b.forward)} eV, backward ${fmt(b.backward)} eV`,
    `barrier, force-aware spline: forward ${fmt(b.spline)} eV at x = ${fmt(b.splineReactionCoordinate)} Å, backward ${fmt(b.splineBackward)} eV`,
  ];
  if (b.note) lines.push(`note: barriers ${b.note}`);
  if (r.migratingAtoms.length > 0) {
    lines.push('', 'migrating atoms (displacement first → last image, unwrapped by minimum image):');
    lines.push(renderTable(['atom (1-based)', 'species', 'displacement (Å)', 'path length (Å)'], r.migratingAtoms.map((m) => [m.index + 1, m.species, m.displacement, m.pathLength])));
  }
  return lines.join('\n');
}

/** The energy-profile SVG of one NEB analysis (also used by `report`). */
export async function nebProfileSvg(r: NebAnalysis, title?: string): Promise<string> {
  // plots (d3) load only when a plot is asked for: they dominate the CLI's start-up time
  const { nebPlot } = await import('../../plot/neb-plot.js');
  const ref = r.reference && r.reference.index !== 0 ? `energies relative to image ${r.reference.image} (no energy for image ${r.images[0].name}); ` : '';
  return nebPlot(
    { x: r.reactionCoordinate, energies: r.energies, names: r.images.map((im) => im.name), reference: r.reference?.image, xs: r.spline?.x ?? [], ys: r.spline?.energy ?? [] },
    {
      title,
      note: `${ref}${ENERGY_LABEL[r.energyKind]}; x = cumulative minimum-image path length`,
      barrier: r.barrier.forward ?? undefined,
      forces: r.images.some((im) => im.energy !== null && im.tangentForce !== null),
    },
  );
}

export function nebCommand(): Command {
  const cmd = new Command('neb')
    .summary('NEB barriers, energy profile, moving atoms')
    .description('NEB energy profile, barriers (highest image and force-aware spline), reaction coordinate and migrating atoms')
    .argument('<folder>', 'an NEB folder with image folders 00..NN')
    .addOption(new Option('--energy <kind>', 'which OUTCAR energy: sigma0 = energy(sigma->0), toten or free = free energy TOTEN, no-entropy = energy without entropy').choices(Object.keys(ENERGY_CHOICES)).default('sigma0'));
  withPlot(cmd, 'write the energy profile (images marked, spline drawn) as SVG');
  withOutput(cmd);
  return withEngine(cmd)
    .addHelpText('after', '\nEnergies are eV relative to the first image with an energy; x is the cumulative minimum-image path length of all atoms (Å).\nAtom numbers in tables are 1-based; JSON indices are 0-based.\n\nExamples:\n  oxyscope neb neb/ --plot profile.svg\n  oxyscope neb neb/ --energy toten --json')
    .action(async (folder: string, opts: NebOpts) => {
      const kernels = await loadKernels(opts.engine);
      const loader = new Loader(kernels);
      const result = nebAnalysis(await loader.nebAt(folder, { energy: ENERGY_CHOICES[opts.energy] }), kernels);
      if (opts.plot) await writeAtomic(opts.plot, await nebProfileSvg(result), opts.force);
      emit(opts, { json: () => result, text: () => renderNeb(result) }, [...loader.warnings, ...result.warnings]);
    });
}
