import { createProgram } from './program.js';
import { AnalysisOptionError, FileSystemError, OxyError } from '../errors.js';
import { printable } from './printable.js';
import { CommanderError } from 'commander';

/**
 * Process entry: the only place that exits. User errors print one line on stderr (no stack trace) and exit 1
 * (bad file) or 2 (bad usage); so do file-system errors (a missing folder, no space, a read-only disk), which name
 * the path and the cause; anything else is a bug and shows its stack.
 */
async function main(): Promise<void> {
  // `oxyscope … --json | head` closes stdout early: that is the reader's choice, not an error
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const program = createProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (caught) {
    const e = FileSystemError.from(caught);
    if (e instanceof OxyError) {
      // file names and file contents may hold newlines and terminal escapes: the message stays one inert line
      process.stderr.write(`oxyscope: ${printable(e.message)}\n`);
      // an analysis refusing its options is bad usage of the command that passed them
      process.exitCode = e instanceof AnalysisOptionError ? 2 : e.exitCode;
    } else if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
    } else {
      throw e;
    }
  }
}

await main();
