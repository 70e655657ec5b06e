import { Command } from 'commander';
import { infoCommand } from './commands/info.js';

/** The commander program, without side effects (tests drive it with exitOverride). */
export function createProgram(): Command {
  const program = new Command('oxyscope')
    .description('Post-processing of VASP and LOBSTER outputs for Li-rich layered oxides (O4/O5 census, PDOS windows, ICOHP by environment, TM migration, NEB)')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  program.addCommand(infoCommand());
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}
