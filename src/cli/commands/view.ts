import { Command, InvalidArgumentError } from 'commander';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { withEngine, type EngineOpts } from '../options.js';
import { collectFiles, startViewServer } from '../../node/serve.js';
import { OxyError, UsageError } from '../../errors.js';
import { packageRoot } from '../../node/paths.js';


function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`expected an integer 0–65535 (got "${value}")`);
  return n;
}

export function viewCommand(): Command {
  return withEngine(
    new Command('view')
      .summary('3D viewer of O4/O5 clusters and migration paths (local, 127.0.0.1)')
      .description('open the 3D viewer on files or a folder: serves the built viewer and only the named files on 127.0.0.1')
      .argument('<paths...>', 'structure files (POSCAR, CONTCAR), XDATCAR, an NEB folder (00..NN), DOSCAR, vasprun.xml, ICOHPLIST')
      .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort, 0)
      .option('--reference <file>', 'pristine structure: TM migration arrows (in-plane / out-of-plane) and census on its sites')
      .addHelpText(
        'after',
        '\nThe first line on stdout is the URL, with a random token for this run (requests without it get 404); open it in a browser. Stop with Ctrl-C.\n' +
          'The page computes everything itself with the same readers and kernels as the CLI; --engine js opens it with ?engine=js.\n\n' +
          'Examples:\n  oxyscope view examples/lrlo/model/delithiated/POSCAR\n  oxyscope view examples/lrlo/model/migrated/POSCAR --reference examples/lrlo/model/pristine/POSCAR\n  oxyscope view neb/ --port 8080',
      ),
  ).action(async (paths: string[], opts: EngineOpts & { port: number; reference?: string }) => {
    const viewerDist = join(packageRoot(), 'viewer', 'dist');
    const index = await fs.stat(join(viewerDist, 'index.html')).catch(() => undefined);
    if (!index?.isFile()) {
      throw new OxyError('no-viewer', `the viewer is not built (${join(viewerDist, 'index.html')} is missing); run \`npm run build\` first`);
    }
    const files = await collectFiles(paths);
    if (opts.reference) {
      const st = await fs.stat(opts.reference).catch(() => undefined);
      if (st && !st.isFile()) throw new UsageError(`--reference takes one structure file (POSCAR/CONTCAR), not a folder: ${opts.reference}`);
      const [ref] = await collectFiles([opts.reference]);
      files.push({ ...ref, role: 'reference' });
    }
    const server = await startViewServer(viewerDist, files, opts.port);
    process.stdout.write(`${server.url}${opts.engine === 'js' ? '?engine=js' : ''}\n`);
    process.stderr.write(`oxyscope view: serving ${files.length} file${files.length === 1 ? '' : 's'}; Ctrl-C stops\n`);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        done();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
  });
}
