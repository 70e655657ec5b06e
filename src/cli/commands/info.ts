import { Command } from 'commander';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { withEngine, withFormat, withLayout, withSpecies, type EngineOpts, type FormatOpts, type HintOpts } from '../options.js';
import { withOutput, emit, type OutputOpts } from '../output.js';
import { loadKernels } from '../../node/kernels.js';
import { Loader, openInput, type ReadHints } from '../../node/load.js';
import { ParseError } from '../../errors.js';
import { kindOf, statPath } from '../../node/fs-kind.js';
import { printable, stripTerminal } from '../printable.js';
import type { InfoSummary } from '../info/types.js';
import type { Kernels } from '../../kernels/types.js';
import { isNebFolder, summarizeNeb } from '../info/neb.js';

/**
 * Summary of one file: its format (`format` = `--format`, else detected) and what its reader found, described by
 * the format's registry entry; `warnings` holds what the reader (and the companions it used) had to say.
 */
export async function infoOfFile(path: string, kernels: Kernels, format?: string, hints: ReadHints = {}): Promise<InfoSummary> {
  const input = await openInput(path, format);
  const f = input.format;
  if (!f) throw new ParseError({ file: input.source.name, line: 1, expected: 'a VASP or LOBSTER file (POSCAR, DOSCAR, vasprun.xml, COHPCAR …; see `oxyscope formats`)', found: 'an unknown format' });
  const loader = new Loader(kernels, { ...hints, warnings: [] });
  let fields: Record<string, unknown>;
  if (f.needs?.atoms) {
    // a DOSCAR: the file described on its own, with the species of its run where a companion names them
    const { dos, structureFile } = await loader.dosAlone(input);
    fields = { ...f.describe(dos), ...(dos.species && structureFile ? { speciesFrom: structureFile } : {}) };
  } else {
    fields = f.describe((await loader.read(input)).value);
  }
  return { file: path, format: f.id, ...fields, warnings: loader.warnings };
}

/** Summaries of a folder: an NEB folder as one entry, otherwise every recognised file below it; `hints` apply to a single file only. */
export async function infoOfPath(path: string, kernels: Kernels, hints: ReadHints & FormatOpts = {}): Promise<InfoSummary | InfoSummary[]> {
  if (path === '-') return infoOfFile(path, kernels, hints.format, hints);
  const st = await statPath(path);
  if (st.isFile()) return infoOfFile(path, kernels, hints.format, hints);
  if (!st.isDirectory()) throw new ParseError({ file: path, line: 0, expected: 'a regular file or a folder', found: kindOf(st) });
  if (await isNebFolder(path)) return { file: path, ...(await summarizeNeb(path, kernels)) };
  const out: InfoSummary[] = [];
  for (const entry of (await fs.readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(path, entry.name);
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) {
      const sub = await infoOfPath(p, kernels);
      out.push(...(Array.isArray(sub) ? sub : [sub]));
    } else if (entry.isFile()) {
      const { format } = await openInput(p);
      if (format) out.push(await infoOfFile(p, kernels, format.id));
    }
  }
  return out;
}

/** Units of the summary fields that carry one (the JSON keeps bare numbers; the names are the same). */
const UNITS: Record<string, string> = {
  volume: 'Å³',
  lattice: 'Å (rows a, b, c)',
  latticeParameters: 'a, b, c in Å; α, β, γ in °',
  efermi: 'eV',
  energy: 'eV',
  energySigma0: 'eV',
  energyWithoutEntropy: 'eV',
  finalEnergy: 'eV',
  F: 'eV',
  E0: 'eV',
  energies: 'eV',
  relativeEnergies: 'eV',
  maxForce: 'eV/Å',
  tangentForce: 'eV/Å',
  energyRange: 'eV',
  chargeSpilling: '%',
  totalSpilling: '%',
  wallTimeSeconds: 's',
};

/** Values come from inside the files (a POSCAR comment may hold terminal escapes): shown inert, on one line. */
function printTable(s: InfoSummary): string {
  const lines = [`${printable(String(s.file))}: ${String(s.format)}`];
  for (const [k, v] of Object.entries(s)) {
    if (k === 'file' || k === 'format' || k === 'warnings') continue;
    const value = stripTerminal(typeof v === 'object' ? JSON.stringify(v) : String(v));
    const unit = UNITS[k] && v !== null ? ` (${UNITS[k]})` : '';
    lines.push(`  ${k.padEnd(20)} ${value.length > 100 ? `${value.slice(0, 97)}...` : value}${unit}`);
  }
  return lines.join('\n');
}

export function infoCommand(): Command {
  const cmd = new Command('info')
    .summary('detect and summarise VASP/LOBSTER files')
    .description('detect the format of a file (or of every file in a folder) and summarise what was read')
    .argument('<path>', 'a file, a calculation folder or an NEB folder (00..NN); - reads stdin');
  withOutput(cmd);
  withSpecies(cmd);
  withLayout(cmd);
  withFormat(cmd, 'the file (a single file or stdin)');
  return withEngine(cmd)
    .addHelpText('after', '\nExamples:\n  oxyscope info CONTCAR --json\n  oxyscope info calc/DOSCAR\n  oxyscope info neb/\n  oxyscope info - --format icohplist < ICOHPLIST.lobster')
    .action(async (path: string, opts: EngineOpts & HintOpts & FormatOpts & OutputOpts) => {
      const kernels = await loadKernels(opts.engine);
      const result = await infoOfPath(path, kernels, opts);
      const all = Array.isArray(result) ? result : [result];
      emit(opts, { json: () => result, text: () => all.map(printTable).join('\n') }, all.flatMap((s) => (Array.isArray(s.warnings) ? (s.warnings as string[]) : [])));
    });
}
