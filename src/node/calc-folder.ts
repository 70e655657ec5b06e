import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ParseError } from '../errors.js';
import { statPath } from './fs-kind.js';

/**
 * A structure argument that names a calculation folder stands for its final structure: the CONTCAR when VASP has
 * written one (it leaves an empty CONTCAR until the first ionic step ends), else the POSCAR. The file picked is
 * what the output names, so the choice is visible. Files and stdin are returned as they are.
 */
export async function structureFileIn(path: string): Promise<string> {
  if (path === '-' || !(await statPath(path)).isDirectory()) return path;
  for (const name of ['CONTCAR', 'CONTCAR.gz', 'POSCAR', 'POSCAR.gz']) {
    const p = join(path, name);
    const st = await fs.stat(p).catch(() => undefined);
    if (st?.isFile() && st.size > 0) return p;
  }
  throw new ParseError({ file: path, line: 0, expected: 'a structure file, or a calculation folder with a CONTCAR or POSCAR', found: 'a folder without either' });
}
