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

/**
 * An analysis given options it cannot work with (a window with a > b, a site outside the structure, a grouping the
 * inputs do not support). Analyses know no command line: the CLI reports it as bad usage (exit 2), the report and
 * the viewer as an error of that analysis. `option` names the typed option at fault, when there is one.
 */
export class AnalysisOptionError extends OxyError {
  readonly option?: string;
  constructor(message: string, option?: string) {
    super('analysis-option', message);
    this.option = option;
  }
}

/** Arrays handed to a kernel that break its contract (lengths, NaN, non-monotone grid, singular cell). */
export class KernelInputError extends OxyError {
  constructor(kernel: string, message: string) {
    super('kernel-input', `${kernel}: ${message}`);
  }
}

/** What an operating-system error code means, in the words of the message (`path: cause`). */
const CAUSES: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder, not a file',
  EEXIST: 'already exists',
  ENOTEMPTY: 'folder is not empty',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EIO: 'input/output error (disk or network file system)',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for the file system',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on the system',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many levels of symbolic links',
  EBUSY: 'device or resource busy',
  ETXTBSY: 'file is busy',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
  EXDEV: 'cannot move across file systems',
  EINVAL: 'invalid argument for this file',
  ESTALE: 'stale network file handle',
};

/** A Node system error (`fs`, `net`): an `E…` code, usually with the syscall and path. */
export interface SystemErrorLike {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
  message: string;
}

export function isSystemError(e: unknown): e is SystemErrorLike {
  const c = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof c === 'string' && /^E[A-Z0-9]+$/.test(c) && (typeof (e as { syscall?: unknown }).syscall === 'string' || c in CAUSES);
}

/**
 * A file-system operation that failed (missing folder, no space, read-only, permissions): one line naming the path
 * the user gave (not a temp file) and the cause, e.g. `out/report.md: no space left on the device (ENOSPC)`.
 */
export class FileSystemError extends OxyError {
  readonly path: string;
  readonly errno: string;
  constructor(path: string, errno: string, detail?: string) {
    super('fs', `${path}: ${CAUSES[errno] ?? detail ?? 'file-system error'} (${errno})`);
    this.path = path;
    this.errno = errno;
  }

  /** `e` as a FileSystemError about `path` (default: the path in the error), or `e` itself when it is not a system error. */
  static from(e: unknown, path?: string): unknown {
    if (e instanceof OxyError || !isSystemError(e)) return e;
    const where = path ?? e.path ?? e.dest;
    const detail = e.message.replace(/^E[A-Z0-9]+: /, '').replace(/, \w+ '.*$/, '');
    return where === undefined ? new OxyError('fs', `${detail} (${e.code})`) : new FileSystemError(where, e.code, detail);
  }
}

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  const shown = one.length > 60 ? `${one.slice(0, 57)}...` : one;
  return one.length === 0 ? 'nothing' : JSON.stringify(shown);
}
