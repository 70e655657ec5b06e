import { promises as fs } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { FileSystemError, UsageError } from '../errors.js';

/** True when a process with this id runs (a temp file of a live writer is not stale). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Temp files of earlier writes to `path` whose process is gone (killed mid-write): removed before the next write. */
async function removeStaleTemps(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  const names = await fs.readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const m = /^(\d+)\.\d+\.tmp$/.exec(name.slice(prefix.length));
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) await fs.rm(join(dirname(path), name), { force: true });
  }
}

/**
 * Writes a file atomically: temp file in the same folder, fsync, rename. A killed run leaves the old file or the
 * new one, never a partial one (its temp file is removed by the next write to the same path). Refuses to replace
 * an existing file unless `force`.
 */
export async function writeAtomic(path: string, data: string | Uint8Array, force = false): Promise<void> {
  try {
    await replaceAtomic(path, data, force);
  } catch (e) {
    // errors name the file the user asked for, not the temp file beside it (write errors carry no path at all)
    throw FileSystemError.from(e, path);
  }
}

async function replaceAtomic(path: string, data: string | Uint8Array, force: boolean): Promise<void> {
  if (!force) {
    const exists = await fs.stat(path).then(() => true, () => false);
    if (exists) throw new UsageError(`${path} exists; pass --force to replace it`);
  }
  await removeStaleTemps(path);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fh = await fs.open(tmp, 'wx');
  try {
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, path);
  } catch (e) {
    // a full disk or a failed rename must not leave the temp file behind
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
