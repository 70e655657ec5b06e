import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

/**
 * Which of a few named files folders hold, from one listing per folder: a report looks for the same handful of
 * names (POTCAR, INCAR, OUTCAR, vasprun.xml, OSZICAR, plain and .gz) in thousands of folders, where a stat per
 * name costs several times one listing. Each folder is listed once, when first asked about: one object serves
 * one run. A folder that cannot be listed is asked about name by name.
 */
export class FolderFiles {
  private readonly listed = new Map<string, Map<string, Dirent> | null>();

  /** `dir/name` when it is a regular file or a symlink to one, else undefined. */
  file(dir: string, name: string): string | undefined {
    let entries = this.listed.get(dir);
    if (entries === undefined) {
      try {
        entries = new Map(readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, e]));
      } catch {
        entries = null;
      }
      this.listed.set(dir, entries);
    }
    const p = join(dir, name);
    const e = entries ? entries.get(name) : undefined;
    if (entries && !e) return undefined;
    if (e?.isFile()) return p;
    if (e && !e.isSymbolicLink()) return undefined;
    try {
      // no exception for the usual absent file: building one costs more than the stat
      return statSync(p, { throwIfNoEntry: false })?.isFile() ? p : undefined;
    } catch {
      return undefined; // unreadable: not this file
    }
  }
}
