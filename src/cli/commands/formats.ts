import { Command } from 'commander';
import { withOutput, emit, type OutputOpts } from '../output.js';
import { formatTable, formatTableMarkdown } from '../../io/formats.js';
import { renderTable } from '../render.js';

/** `oxyscope formats`: the registry as a table (the README's table is `--markdown`). */
export function formatsCommand(): Command {
  const cmd = new Command('formats')
    .summary('the file formats oxyscope reads, and their variants')
    .description('list every format of the registry: the id --format takes, usual file names, the variants its reader handles')
    .option('--markdown', 'print the Markdown table of the README');
  withOutput(cmd);
  return cmd
    .addHelpText('after', '\nDetection: file name and content together; a renamed file, stdin or a prefixed name (AlN_COHPCAR.lobster) is recognised by its content.\n\nExamples:\n  oxyscope formats\n  oxyscope formats --json')
    .action((opts: OutputOpts & { markdown?: boolean }) => {
      const rows = formatTable();
      emit(opts, {
        json: () => ({ formats: rows }),
        text: () => (opts.markdown ? formatTableMarkdown() : renderTable(['id', 'format', 'files', 'variants read'], rows.map((r) => [r.id, r.name, r.files, r.variants.join('; ')]))),
      });
    });
}
