import { promises as fs } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * Writes a file atomically: temp file in the same folder, fsync, rename. A killed run leaves the old file or the
 * new one, never a partial one. Refuses to replace an existing file unless `force`.
 */
export async function writeAtomic(path: string, data: string | Uint8Array, force = false): Promise<void> {
  if (!force) {
    const exists = await fs.stat(path).then(() => true, () => false);
    if (exists) throw new UsageError(`${path} exists; pass --force to replace it`);
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fh = await fs.open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.rename(tmp, path);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
