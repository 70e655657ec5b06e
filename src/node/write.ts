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

/** Names `.<base>.<pid>.<time>.<ext>` in `parent` whose writer process is gone (killed mid-write), with their extension. */
async function staleTemps(parent: string, base: string): Promise<{ path: string; ext: string }[]> {
  const prefix = `.${base}.`;
  const names = await fs.readdir(parent).catch(() => [] as string[]);
  const out: { path: string; ext: string }[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)\.\d+\.(tmp|old)$/.exec(name.slice(prefix.length));
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) out.push({ path: join(parent, name), ext: m[2] });
  }
  return out;
}

function tempName(path: string, ext: 'tmp' | 'old'): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${ext}`);
}

/** Writes a new file in full; `sync` flushes it to disk before returning. A failed write removes the part written. */
async function writeNew(path: string, data: string | Uint8Array, sync: boolean): Promise<void> {
  const fh = await fs.open(path, 'wx');
  try {
    await fh.writeFile(data);
    if (sync) await fh.sync();
  } catch (e) {
    await fh.close();
    await fs.rm(path, { force: true });
    throw e;
  }
  await fh.close();
}

export interface AtomicOptions {
  /** replace an existing file (else a UsageError) */
  force?: boolean;
  /** fsync before the rename (default true; a cache whose entries are checked on reading can skip it) */
  sync?: boolean;
}

/**
 * Writes a file atomically: temp file in the same folder, fsync, rename. A killed run leaves the old file or the
 * new one, never a partial one (its temp file is removed by the next write to the same path); a failed write (disk
 * full) removes its temp file. Refuses to replace an existing file unless `force`.
 */
export async function writeAtomic(path: string, data: string | Uint8Array, force: boolean | AtomicOptions = false): Promise<void> {
  try {
    await replaceAtomic(path, data, typeof force === 'boolean' ? { force } : force);
  } catch (e) {
    // errors name the file the user asked for, not the temp file beside it (write errors carry no path at all)
    throw FileSystemError.from(e, path);
  }
}

async function replaceAtomic(path: string, data: string | Uint8Array, o: AtomicOptions): Promise<void> {
  if (!o.force) {
    const exists = await fs.stat(path).then(() => true, () => false);
    if (exists) throw new UsageError(`${path} exists; pass --force to replace it`);
  }
  for (const t of await staleTemps(dirname(path), basename(path))) await fs.rm(t.path, { force: true });
  const tmp = tempName(path, 'tmp');
  await writeNew(tmp, data, o.sync ?? true);
  try {
    await fs.rename(tmp, path);
  } catch (e) {
    // a failed rename must not leave the temp file behind
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Whether a folder of outputs may be (re)written at `dir`: absent or empty, or with `force` a folder that holds only
 * files `isOutput` accepts (a folder of the user's own files is never replaced). Throws a UsageError otherwise.
 */
export async function checkFolderTarget(dir: string, force: boolean, isOutput: (name: string) => boolean): Promise<void> {
  const st = await fs.stat(dir).catch(() => undefined);
  if (!st) return;
  if (!st.isDirectory()) throw new FileSystemError(dir, 'EEXIST');
  const names = await fs.readdir(dir);
  if (names.length === 0) return;
  if (!force) throw new UsageError(`${dir} exists; pass --force to replace it`);
  const foreign = names.find((n) => !isOutput(n));
  if (foreign !== undefined) throw new UsageError(`${dir} holds ${JSON.stringify(foreign)}, which this command does not write; --force replaces only a folder of its own outputs`);
}

/**
 * Writes a folder of files atomically: all files into a temp folder beside `dir`, then one rename. With `force`
 * an existing folder is moved aside only once the new one is complete, and removed after the swap, so `dir` holds
 * the old outputs or the new ones, never a mix. A failed write (disk full) removes the temp folder; the temp folder
 * of a killed run is removed by the next write (and an old folder it had moved aside is put back first).
 */
export async function writeFolderAtomic(dir: string, files: Map<string, string | Uint8Array>, force: boolean, isOutput: (name: string) => boolean): Promise<void> {
  try {
    await replaceFolder(dir, files, force, isOutput);
  } catch (e) {
    // errors name the folder the user asked for (or its file), not the temp folder beside it
    throw FileSystemError.from(e, dir);
  }
}

async function replaceFolder(dir: string, files: Map<string, string | Uint8Array>, force: boolean, isOutput: (name: string) => boolean): Promise<void> {
  const parent = await fs.stat(dirname(dir)).catch(() => undefined);
  if (parent && !parent.isDirectory()) throw new FileSystemError(dir, 'ENOTDIR');
  await fs.mkdir(dirname(dir), { recursive: true });
  for (const t of await staleTemps(dirname(dir), basename(dir))) {
    const restore = t.ext === 'old' && !(await fs.stat(dir).then(() => true, () => false));
    if (restore) await fs.rename(t.path, dir);
    else await fs.rm(t.path, { recursive: true, force: true });
  }
  await checkFolderTarget(dir, force, isOutput);
  const tmp = tempName(dir, 'tmp');
  await fs.mkdir(tmp);
  try {
    for (const [name, data] of files) await writeNew(join(tmp, name), data, true).catch((e: unknown) => Promise.reject(FileSystemError.from(e, join(dir, name))));
    const old = (await fs.stat(dir).then(() => true, () => false)) ? tempName(dir, 'old') : undefined;
    if (old) await fs.rename(dir, old);
    try {
      await fs.rename(tmp, dir);
    } catch (e) {
      if (old) await fs.rename(old, dir);
      throw e;
    }
    if (old) await fs.rm(old, { recursive: true, force: true });
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
