import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { withEngine, type EngineOpts } from '../options.js';
import { withOutput, emit, type OutputOpts } from '../output.js';
import { renderTable, pct } from '../render.js';
import { loadKernels } from '../../node/kernels.js';
import { loadStructure } from '../../node/load.js';
import { writeAtomic } from '../../node/write.js';
import { writePoscar } from '../../io/vasp/poscar-write.js';
import { generateSqs, type SqsModel, type SqsRun } from '../../build/sqs/generate.js';
import type { BuiltinCell } from '../../build/sqs/parent.js';
import type { ClassTarget, Order } from '../../build/sqs/objective.js';

type SqsCliOpts = EngineOpts & OutputOpts & {
  composition: string;
  supercell: [number, number, number];
  cell: BuiltinCell;
  parent?: string;
  delithiate?: number;
  tmLayerLi?: number;
  migrateInPlane?: number;
  migrateOutOfPlane?: number;
  order: Order;
  target?: ClassTarget;
  shells: number;
  seed: number;
  count: number;
  steps?: number;
  out: string;
  force?: boolean;
};

function parseSupercell(v: string): [number, number, number] {
  const m = /^(\d+)x(\d+)x(\d+)$/i.exec(v.trim());
  if (!m) throw new InvalidArgumentError(`expected AxBxC, e.g. 3x3x2 (got "${v}")`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function parseTarget(v: string): ClassTarget {
  const m = /^(O[0-6])=([0-9.]+)$/.exec(v.trim());
  const f = m ? Number(m[2]) : NaN;
  if (!m || !(f >= 0 && f <= 1)) throw new InvalidArgumentError(`expected a class and a fraction 0 … 1, e.g. O4=0.9 (got "${v}")`);
  return { name: m[1], fraction: f };
}

const number = (what: string) => (v: string) => {
  const x = Number(v);
  if (!Number.isFinite(x) || x < 0) throw new InvalidArgumentError(`expected ${what} (got "${v}")`);
  return x;
};
const integer = (v: string) => {
  const x = Number(v);
  if (!Number.isInteger(x) || x < 0) throw new InvalidArgumentError(`expected a non-negative integer (got "${v}")`);
  return x;
};

/** sqs.json of one model: what was asked, what was achieved, the census through the census code. */
function modelJson(run: SqsRun, m: SqsModel) {
  const { sites: _sites, ...censusSummary } = m.census;
  return {
    seed: m.seed, engine: run.engine, parent: run.parent, composition: run.composition, species: run.species,
    order: run.order, target: run.target ?? null,
    objective: { value: m.objective, steps: m.steps, accepted: m.accepted, trace: m.trace, note: 'objective of the annealed occupation, before any migration (definitions in README, sqs)' },
    sro: m.sro, triangles: m.triangles, census: censusSummary, moved: m.moved, warnings: m.warnings,
  };
}

function renderText(run: SqsRun, out: string): string {
  const L: string[] = [`parent: ${run.parent.description} (${run.parent.tmLayerSites} TM-layer, ${run.parent.liLayerSites} Li-layer, ${run.parent.oSites} O sites)`];
  L.push(`composition: ${run.composition.rounding}`);
  L.push('');
  const classes = Object.keys(run.ensemble.mean);
  L.push(renderTable(['seed', 'objective', 'accepted', ...classes], run.models.map((m) => [m.seed, m.objective.toPrecision(4), m.accepted, ...classes.map((c) => pct(m.census.fractions[c] ?? 0))])));
  if (run.models.length > 1) {
    L.push('');
    L.push(`ensemble of ${run.ensemble.n} (mean ± sample std of the class fraction):`);
    L.push(renderTable(['class', 'mean', 'std'], classes.map((c) => [c, pct(run.ensemble.mean[c]), pct(run.ensemble.std[c])])));
  }
  L.push('');
  L.push(`written: ${out}/NN/POSCAR (NN = 00, 01 …, one folder per seed), sqs.json${run.models[0]?.reference ? ', POSCAR.pristine' : ''}; ${out}/ensemble.json`);
  return L.join('\n');
}

export function sqsCommand(): Command {
  const cmd = new Command('sqs')
    .summary('generate special quasirandom LRLO model structures aimed at O environments')
    .description('simulated annealing of the cation occupation of an O3 layered oxide: Warren–Cowley SRO of in-plane shells, O-centred triangle statistics and an optional class fraction; writes POSCAR + sqs.json per seed')
    .requiredOption('--composition <formula>', 'pristine composition per O2, e.g. Li1.2Mn0.54Ni0.13Co0.13O2')
    .requiredOption('--supercell <AxBxC>', 'repeats of the parent cell', parseSupercell)
    .addOption(new Option('--cell <cell>', 'built-in parent: hexagonal R-3m cell, or the √3×√3 Li2MnO3-like cell (A×A×C)').choices(['r3m', 'li2mno3']).default('r3m'))
    .option('--parent <poscar>', 'parent O3 layered structure instead of a built-in cell (its layers give the sublattices)')
    .option('--delithiate <x>', 'Li removed per O2', number('Li per O2'))
    .option('--tm-layer-li <f>', 'share of the TM-layer Li removed (default: TM-layer Li first)', number('a share 0 … 1'))
    .option('--migrate-in-plane <k>', 'Mn moved into vacant TM-layer sites next to them', integer)
    .option('--migrate-out-of-plane <m>', 'Ni moved onto vacant Li-layer sites next to them', integer)
    .addOption(new Option('--order <order>', 'SRO target: random (α = 0) or the ideal Li2MnO3 honeycomb').choices(['random', 'honeycomb']).default('random'))
    .option('--target <class=fraction>', 'target share of an O class, e.g. O4=0.9', parseTarget)
    .option('--shells <n>', 'in-plane shells in the SRO', integer, 3)
    .option('--seed <s>', 'first seed (structure k uses seed + k)', integer, 1)
    .option('--count <n>', 'structures in the ensemble', integer, 1)
    .option('--steps <n>', 'Metropolis steps per structure (default 4000 per cation site, at least 200000)', integer)
    .requiredOption('--out <dir>', 'output folder')
    .option('--force', 'replace existing files in --out');
  withOutput(cmd, undefined, 'print the summary as JSON');
  return withEngine(cmd)
    .addHelpText('after', '\nExamples:\n  oxyscope sqs --composition Li1.2Mn0.54Ni0.13Co0.13O2 --supercell 3x3x2 --count 5 --out sqs-pristine\n  oxyscope sqs --composition Li1.2Mn0.54Ni0.13Co0.13O2 --supercell 3x3x2 --delithiate 0.4 --tm-layer-li 0.8 --migrate-in-plane 2 --out sqs-4.8V\n  oxyscope sqs --composition Li2MnO3 --supercell 3x3x2 --order honeycomb --out li2mno3')
    .action(async (opts: SqsCliOpts) => {
      const kernels = await loadKernels(opts.engine);
      const parent = opts.parent ? await loadStructure(opts.parent, kernels) : undefined;
      const run = generateSqs({
        composition: opts.composition, supercell: opts.supercell, cell: opts.cell, parent,
        delithiate: opts.delithiate, tmLayerLi: opts.tmLayerLi, migrateInPlane: opts.migrateInPlane, migrateOutOfPlane: opts.migrateOutOfPlane,
        order: opts.order, target: opts.target, shells: opts.shells, seed: opts.seed, count: opts.count, steps: opts.steps,
      }, kernels);
      await fs.mkdir(opts.out, { recursive: true });
      // numbered 00 … NN (the seed is in each comment and sqs.json): `report` reads such a folder as an ensemble
      const width = Math.max(2, String(run.models.length - 1).length);
      const dirOf = (k: number) => join(opts.out, String(k).padStart(width, '0'));
      for (const [k, m] of run.models.entries()) {
        const dir = dirOf(k);
        await fs.mkdir(dir, { recursive: true });
        await writeAtomic(join(dir, 'POSCAR'), writePoscar(m.structure), opts.force);
        if (m.reference) await writeAtomic(join(dir, 'POSCAR.pristine'), writePoscar(m.reference), opts.force);
        await writeAtomic(join(dir, 'sqs.json'), `${JSON.stringify(modelJson(run, m), null, 2)}\n`, opts.force);
      }
      const summary = {
        engine: run.engine, parent: run.parent, composition: run.composition, order: run.order, target: run.target ?? null,
        models: run.models.map((m, k) => ({ seed: m.seed, dir: dirOf(k), objective: m.objective, classes: m.census.classes, fractions: m.census.fractions })),
        ensemble: run.ensemble, warnings: run.warnings,
      };
      await writeAtomic(join(opts.out, 'ensemble.json'), `${JSON.stringify(summary, null, 2)}\n`, opts.force);
      emit(opts, { json: () => summary, text: () => renderText(run, opts.out) }, run.warnings);
    });
}
