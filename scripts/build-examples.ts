/**
 * Writes the model Li-rich structures of the bundled example (examples/lrlo/model/) from the deterministic builder:
 * `npx tsx scripts/build-examples.ts`. The same options always give byte-identical files.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLrlo, type LrloOptions } from '../src/build/lrlo.js';
import { writePoscar } from '../src/io/vasp/poscar-write.js';
import { formula } from '../src/model/structure.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples', 'lrlo', 'model');
const OPTIONS: LrloOptions = { n: 2, m: 1, ni: 0.25, co: 0.125, delithiation: 0.5, inPlane: 2, outOfPlane: 1, seed: 2024 };

const truth: Record<string, unknown> = { options: OPTIONS };
const rows: string[] = [];
for (const variant of ['pristine', 'delithiated', 'migrated'] as const) {
  const model = buildLrlo({ ...OPTIONS, variant });
  const dir = join(root, variant);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'POSCAR'), writePoscar(model.structure));
  truth[variant] = { atoms: model.structure.species.length, formula: formula(model.structure.species), ...model.truth };
  rows.push(`| \`${variant}/POSCAR\` | ${formula(model.structure.species)} | ${model.structure.species.length} | ${describe(variant, model.truth.removedLi, model.truth.moved.length)} |`);
}
writeFileSync(join(root, 'truth.json'), `${JSON.stringify(truth, null, 2)}\n`);

// an SQS ensemble in numbered folders (so that `report` shows its mean ± std), small cells to keep the files small;
// written by the built CLI (`npm run build` first) with the JS engine and a fixed seed, so the files are reproducible
const SQS_COUNT = 8;
const SQS = ['--composition', 'Li1.2Mn0.54Ni0.13Co0.13O2', '--supercell', '3x3x1', '--delithiate', '0.4', '--migrate-in-plane', '1', '--count', String(SQS_COUNT), '--seed', '7'];
// (run inside model/ with a relative --out: ensemble.json names the folders as `sqs-delithiated/NN`, on every machine)
execFileSync(process.execPath, [join(root, '..', '..', '..', 'bin', 'oxyscope.js'), 'sqs', ...SQS, '--out', 'sqs-delithiated', '--force', '--engine', 'js'], { cwd: root, stdio: 'ignore' });

function describe(variant: string, removed: number, moved: number): string {
  if (variant === 'pristine') return 'ideal Li2MnO3-like honeycomb, every O is O4';
  if (variant === 'delithiated') return `${removed} Li removed (TM-layer Li first)`;
  return `as delithiated, then ${moved} TM moved (see truth.json)`;
}

writeFileSync(
  join(root, 'README.md'),
  `# Model Li-rich layered oxide structures (not DFT results)

These POSCARs are **model structures** made by oxyscope's deterministic builder (\`src/build/lrlo.ts\`) with
\`npx tsx scripts/build-examples.ts\`. They are ideal lattice positions, not relaxed and not the result of any
calculation; they exist so that every analysis has an input whose answer is known by construction.

Geometry: O3 layered oxide in the R-3m hexagonal setting (a = 2.85 Å, c = 14.25 Å, O at 6c with u = 0.26: TM–O 1.95 Å,
Li–O 2.12 Å), as a ${OPTIONS.n}×${OPTIONS.n}×${OPTIONS.m} supercell of the √3×√3 in-plane cell. Every TM layer is Li1/3Mn2/3 with Mn on a
honeycomb around each Li (Li2MnO3-like, Mn–TM3); ${(OPTIONS.ni ?? 0) * 100}% of the Mn sites carry Ni and ${(OPTIONS.co ?? 0) * 100}% Co (seeded
choice, seed ${OPTIONS.seed}); Li layers are full.

| file | formula | atoms | what |
|---|---|---|---|
${rows.join('\n')}

- \`delithiated\`: ${(OPTIONS.delithiation ?? 0) * 100}% of the Li removed, TM-layer Li first (seeded).
- \`migrated\`: the delithiated cell, then ${OPTIONS.inPlane} Mn moved in plane into vacant TM-layer Li sites next to them and
  ${OPTIONS.outOfPlane} Ni moved onto a vacant Li-layer site directly above or below. Atom order is that of the other variants
  (only Li are missing), so \`oxyscope migration migrated/POSCAR --reference pristine/POSCAR\` matches TM by file order.
- \`sqs-delithiated/00 … ${String(SQS_COUNT - 1).padStart(2, '0')}\`: an ensemble of ${SQS_COUNT} special quasirandom cells from
  \`oxyscope sqs ${SQS.join(' ')} --engine js\` (Li1.2Mn0.54Ni0.13Co0.13O2, 3×3×1 R-3m cell, 0.4 Li per O2 removed,
  1 Mn moved in plane; structure k has seed 7 + k). Each folder holds \`POSCAR\`, \`POSCAR.pristine\` (the same sites
  refilled with Li, before the migration) and \`sqs.json\` (the annealing's record); \`ensemble.json\` is the generator's
  own census of the ${SQS_COUNT}. \`oxyscope report\` reads the numbered folders as an ensemble (they hold unrelated
  cells, not an NEB path) and shows the mean ± sample std of the O-class fractions over the ${SQS_COUNT} \`POSCAR\`s.
- \`truth.json\`: the builder's ground truth (Li removed; for each moved atom its index in \`migrated/POSCAR\`, element,
  kind, fractional position before and after, displacement in Å).

Expected: \`oxyscope census pristine/POSCAR\` gives 100% O4; \`migrated/POSCAR\` shows O5 (and O3) from the moved TM;
\`oxyscope migration\` with the pristine reference lists exactly the atoms in truth.json.
`,
);
process.stdout.write(`wrote ${root}\n`);
