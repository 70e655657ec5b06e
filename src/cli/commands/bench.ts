import { Command } from 'commander';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { FileSystemError, OxyError } from '../../errors.js';
import { packageRoot } from '../../node/paths.js';

/**
 * `oxyscope bench` launches the bench of a clone (bench/, compiled to dist-bench/ by `npm run build:bench`): the
 * bench is not part of the package's runtime (it needs the repository's fixtures and pymatgen scripts), so the
 * command only starts it, in a process of its own as the bench measures processes.
 */
export function benchCommand(): Command {
  return new Command('bench')
    .summary('benchmarks in a clone: WASM vs JS vs pymatgen')
    .description('benchmark kernels, readers and commands under both engines (and pymatgen where Debian python3 has it) on generated inputs; writes RESULTS.md and results.json (in a clone of the repository)')
    .option('--quick', 'smaller inputs, fewer repeats, no 1 GB vasprun.xml (about 2 minutes)')
    .option('--compare <results.json>', 'also print the changes against an earlier results.json')
    .option('--data <dir>', 'folder for the generated inputs, reused between runs (default bench/data of the checkout)')
    .option('--out <dir>', 'folder for RESULTS.md and results.json (default bench/; with --quick the quick data folder)')
    .option('--json', 'print results.json on stdout instead of the table (progress stays on stderr)')
    .addHelpText('after', '\nBoth engines are always measured side by side, so --engine is not taken here.\n\nExamples:\n  oxyscope bench --quick\n  oxyscope bench --compare bench/results.json --out /tmp/bench')
    .action(async (opts: { quick?: boolean; compare?: string; data?: string; out?: string; json?: boolean }) => {
      // made (or refused) before the run, not after it: a missing folder must not lose the results of a whole run
      if (opts.out !== undefined) await fs.mkdir(opts.out, { recursive: true }).catch((e: unknown) => Promise.reject(FileSystemError.from(e, opts.out)));
      const entry = join(packageRoot(), 'dist-bench', 'bench', 'run.js');
      if (!existsSync(entry)) throw new OxyError('no-bench', `the bench is not built (${entry} is missing): in a clone, run \`npm run build:bench\` (the bench is not shipped in the package)`);
      const args = [
        ...(opts.quick ? ['--quick'] : []),
        ...(opts.json ? ['--json'] : []),
        ...(['compare', 'data', 'out'] as const).flatMap((k) => (opts[k] ? [`--${k}`, opts[k]!] : [])),
      ];
      const code = await new Promise<number | null>((done) => spawn(process.execPath, [entry, ...args], { stdio: 'inherit' }).on('exit', done));
      if (code !== 0) process.exitCode = code ?? 1;
    });
}
