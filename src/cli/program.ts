import { Command } from 'commander';
import { errorOutput } from './output.js';
import { VERSION } from '../node/provenance.js';
import { infoCommand } from './commands/info.js';
import { censusCommand } from './commands/census.js';
import { migrationCommand } from './commands/migration.js';
import { viewCommand } from './commands/view.js';
import { nebCommand } from './commands/neb.js';
import { reportCommand } from './commands/report.js';
import { mergeCommand } from './commands/merge.js';
import { pdosCommand } from './commands/pdos.js';
import { cohpCommand } from './commands/cohp.js';
import { convertCommand } from './commands/convert.js';
import { benchCommand } from './commands/bench.js';
import { voltageCommand } from './commands/voltage.js';
import { sitesCommand } from './commands/sites.js';
import { formatsCommand } from './commands/formats.js';
import { sqsCommand } from './commands/sqs.js';

/** The commander program, without side effects (tests drive it with exitOverride). */
export function createProgram(): Command {
  const program = new Command('oxyscope')
    .description('Post-processing of VASP and LOBSTER outputs for Li-rich layered oxides (O4/O5 census, PDOS windows, ICOHP by environment, TM migration, NEB)')
    .version(VERSION)
    .option('--strict', 'any warning is an error: exit 1 after printing the output and the warnings')
    .showHelpAfterError()
    .exitOverride()
    // the global flag reaches each command's options, where output.ts reads it
    .hook('preAction', (program, action) => {
      if (program.opts().strict) action.setOptionValue('strict', true);
    });
  program.addCommand(infoCommand());
  program.addCommand(censusCommand());
  program.addCommand(migrationCommand());
  program.addCommand(viewCommand());
  program.addCommand(nebCommand());
  program.addCommand(reportCommand());
  program.addCommand(mergeCommand());
  program.addCommand(pdosCommand());
  program.addCommand(cohpCommand());
  program.addCommand(convertCommand());
  program.addCommand(benchCommand());
  program.addCommand(voltageCommand());
  program.addCommand(sitesCommand());
  program.addCommand(formatsCommand());
  program.addCommand(sqsCommand());
  for (const cmd of [program, ...program.commands]) cmd.exitOverride().configureOutput(errorOutput);
  return program;
}
