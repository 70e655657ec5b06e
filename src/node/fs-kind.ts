import { promises as fs, type Stats } from 'node:fs';
import { FileSystemError } from '../errors.js';

/** What a path that is not the expected kind is, for messages (`/dev/zero` is a character device, not "a folder"). */
export function kindOf(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file or folder';
}

/** stat (following symlinks); a failure is a FileSystemError naming `path` and the cause (ENOENT, ENOTDIR, EACCES …). */
export async function statPath(path: string): Promise<Stats> {
  try {
    return await fs.stat(path);
  } catch (e) {
    throw FileSystemError.from(e, path);
  }
}
