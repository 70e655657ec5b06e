/**
 * The error types of oxyscope. Everything a user can cause (a bad file, a bad option,
 * files that do not belong together) ends in one of these; anything else is a bug.
 * The CLI maps `exitCode` to the process exit status and prints `message` on one line.
 */
export class OxyError extends Error {
  readonly code: string;
  readonly exitCode: number;
  constructor(code: string, message: string, exitCode = 1) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
  }
}

export interface ParseErrorInfo {
  /** display name of the file (path as the user gave it, or the picked file's name) */
  file: string;
  /** 1-based line, 0 when the problem is not tied to a line (empty file, wrong size) */
  line: number;
  /** 1-based column, 0 when unknown */
  column?: number;
  /** what the reader needed at that place */
  expected: string;
  /** what it found instead (shortened) */
  found?: string;
}

/** A file that is not what its reader expects. Message: `file:line:col: expected X, found Y`. */
export class ParseError extends OxyError {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly expected: string;
  readonly found: string;
  constructor(info: ParseErrorInfo) {
    const column = info.column ?? 0;
    const found = info.found === undefined ? '' : shorten(info.found);
    const where = info.line > 0 ? `${info.file}:${info.line}${column > 0 ? `:${column}` : ''}` : info.file;
    super('parse', `${where}: expected ${info.expected}${info.found === undefined ? '' : `, found ${found}`}`);
    this.file = info.file;
    this.line = info.line;
    this.column = column;
    this.expected = info.expected;
    this.found = found;
  }
}

/** Two inputs that do not belong together (atom counts, labels), naming both. */
export class MismatchError extends OxyError {
  readonly files: string[];
  constructor(files: string[], message: string) {
    super('mismatch', `${files.join(' vs ')}: ${message}`);
    this.files = files;
  }
}

/** Bad command-line usage or bad options to a library call. Exit code 2. */
export class UsageError extends OxyError {
  constructor(message: string) {
    super('usage', message, 2);
  }
}

/** Arrays handed to a kernel that break its contract (lengths, NaN, non-monotone grid, singular cell). */
export class KernelInputError extends OxyError {
  constructor(kernel: string, message: string) {
    super('kernel-input', `${kernel}: ${message}`);
  }
}

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  const shown = one.length > 60 ? `${one.slice(0, 57)}...` : one;
  return one.length === 0 ? 'nothing' : JSON.stringify(shown);
}
