import { Command } from 'commander';
import { promises as fs } from 'node:fs';
import { FileSystemError } from '../../errors.js';

export function benchCommand(): Command {
  return new Command('bench')
    .description('benchmark kernels, readers and commands under both engines (and pymatgen where Debian python3 has it) on generated inputs; writes RESULTS.md and results.json')
    .option('--quick', 'smaller inputs, fewer repeats, no 1 GB vasprun.xml (about 2 minutes)')
    .option('--compare <results.json>', 'also print the changes against an earlier results.json')
    .option('--data <dir>', 'folder for the generated inputs, reused between runs (default bench/data of the checkout)')
    .option('--out <dir>', 'folder for RESULTS.md and results.json (default bench/; with --quick the quick data folder)')
    .option('--json', 'print results.json on stdout instead of the table (progress stays on stderr)')
    .addHelpText('after', '\nBoth engines are always measured side by side, so --engine is not taken here.\n\nExamples:\n  oxyscope bench --quick\n  oxyscope bench --compare bench/results.json --out /tmp/bench')
    .action(async (opts: { quick?: boolean; compare?: string; data?: string; out?: string; json?: boolean }) => {
      // made (or refused) before the run, not after it: a missing folder must not lose the results of a whole run
      if (opts.out !== undefined) await fs.mkdir(opts.out, { recursive: true }).catch((e: unknown) => Promise.reject(FileSystemError.from(e, opts.out)));
      // loaded on use: the runner and its generators would slow the start of every other command
      const { runBench, summary } = await import('../../bench/runner.js');
      const results = await runBench({ quick: opts.quick, data: opts.data, out: opts.out });
      process.stdout.write(opts.json ? `${JSON.stringify(results, null, 1)}\n` : summary(results, opts.compare));
    });
}
