import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cellVolume } from '../../src/model/lattice.js';
import { dosModel, writeDoscar, writeDoscarLobster, writeVasprun } from './dos.js';
import { writeCohp } from './cohp.js';
import { lrloCell, writeStructure, writeXdatcar } from './structures.js';

/**
 * The bench inputs of one mode, generated into `<dir>/<mode>/<group>/` with the file names VASP and LOBSTER use
 * (so `oxyscope pdos DOSCAR` finds the POSCAR beside it). A manifest records what each group was made from; a group
 * is regenerated only when its recipe changed or a file is missing, so repeated bench runs reuse the GB-sized files.
 */
export type Mode = 'full' | 'quick';

/** bump when the bytes a recipe produces change */
const GENERATOR_VERSION = 2;

export type GroupKind = 'dos' | 'cohp' | 'poscar' | 'xdatcar';

export interface Group {
  id: string;
  kind: GroupKind;
  /** LRLO cell: 36·n²·m atoms */
  n: number;
  m: number;
  nedos?: number;
  /** dos: which twins to write */
  twins?: ('doscar' | 'vasprun' | 'lobster')[];
  bonds?: number;
  frames?: number;
  seed: number;
}

export interface GeneratedFile {
  group: string;
  kind: 'doscar' | 'vasprun' | 'doscar-lobster' | 'cohpcar' | 'icohplist' | 'poscar' | 'xdatcar';
  path: string;
  bytes: number;
  atoms: number;
  /** what is in it, for the tables: `216 atoms × 3001 E`, … */
  size: string;
  /** Σ ICOHP(E_F) of the cation(TM)–O bonds, both spins (cohp only) */
  icohpTmO?: number;
}

export interface Generated {
  mode: Mode;
  dir: string;
  files: GeneratedFile[];
  /** seconds spent generating in this call (0 when everything was reused) */
  seconds: number;
}

export function groups(mode: Mode): Group[] {
  if (mode === 'quick') {
    return [
      { id: 'dos-72x1001', kind: 'dos', n: 1, m: 2, nedos: 1001, twins: ['doscar', 'vasprun', 'lobster'], seed: 11 },
      { id: 'dos-144x2001', kind: 'dos', n: 2, m: 1, nedos: 2001, twins: ['doscar'], seed: 12 },
      { id: 'cohp-200x501', kind: 'cohp', n: 2, m: 1, bonds: 200, nedos: 501, seed: 13 },
      { id: 'poscar-972', kind: 'poscar', n: 3, m: 3, seed: 14 },
      { id: 'poscar-10800', kind: 'poscar', n: 10, m: 3, seed: 15 },
      { id: 'xdatcar-108x300', kind: 'xdatcar', n: 1, m: 3, frames: 300, seed: 16 },
    ];
  }
  return [
    { id: 'dos-216x3001', kind: 'dos', n: 1, m: 6, nedos: 3001, twins: ['doscar', 'vasprun', 'lobster'], seed: 21 },
    { id: 'dos-972x5001', kind: 'dos', n: 3, m: 3, nedos: 5001, twins: ['doscar', 'vasprun'], seed: 22 },
    { id: 'cohp-2000x2001', kind: 'cohp', n: 2, m: 6, bonds: 2000, nedos: 2001, seed: 23 },
    { id: 'poscar-972', kind: 'poscar', n: 3, m: 3, seed: 24 },
    { id: 'poscar-10800', kind: 'poscar', n: 10, m: 3, seed: 25 },
    { id: 'poscar-32400', kind: 'poscar', n: 15, m: 4, seed: 26 },
    { id: 'poscar-97200', kind: 'poscar', n: 30, m: 3, seed: 27 },
    { id: 'xdatcar-324x3000', kind: 'xdatcar', n: 3, m: 1, frames: 3000, seed: 28 },
    { id: 'xdatcar-972x1000', kind: 'xdatcar', n: 3, m: 3, frames: 1000, seed: 29 },
  ];
}

function recipe(g: Group): string {
  return JSON.stringify({ v: GENERATOR_VERSION, ...g });
}

/** Writes one group; returns its files. */
export function generateGroup(dir: string, g: Group): GeneratedFile[] {
  mkdirSync(dir, { recursive: true });
  const s = lrloCell(g.n, g.m, g.seed);
  const atoms = s.species.length;
  const f = (kind: GeneratedFile['kind'], name: string, bytes: number, size: string, extra: Partial<GeneratedFile> = {}): GeneratedFile => ({
    group: g.id, kind, path: join(dir, name), bytes, atoms, size, ...extra,
  });
  const out: GeneratedFile[] = [];
  const poscarBytes = writeStructure(join(dir, 'POSCAR'), s);
  if (g.kind === 'poscar') return [f('poscar', 'POSCAR', poscarBytes, `${atoms} atoms`)];
  if (g.kind === 'dos') {
    const model = dosModel({ structure: s, nedos: g.nedos!, seed: g.seed });
    const size = `${atoms} atoms × ${g.nedos} E, ISPIN 2, lm`;
    const vol = cellVolume(s.lattice);
    for (const t of g.twins!) {
      if (t === 'doscar') out.push(f('doscar', 'DOSCAR', writeDoscar(join(dir, 'DOSCAR'), model, vol), size));
      if (t === 'vasprun') out.push(f('vasprun', 'vasprun.xml', writeVasprun(join(dir, 'vasprun.xml'), model, s), size));
      if (t === 'lobster') out.push(f('doscar-lobster', 'DOSCAR.lobster', writeDoscarLobster(join(dir, 'DOSCAR.lobster'), model, vol), size));
    }
  } else if (g.kind === 'cohp') {
    const r = writeCohp(join(dir, 'COHPCAR.lobster'), join(dir, 'ICOHPLIST.lobster'), { structure: s, nBonds: g.bonds!, nedos: g.nedos!, seed: g.seed });
    out.push(f('cohpcar', 'COHPCAR.lobster', r.cohpcar, `${g.bonds} bonds × ${g.nedos} E, ISPIN 2`));
    out.push(f('icohplist', 'ICOHPLIST.lobster', r.icohplist, `${g.bonds} bonds, ISPIN 2`, { icohpTmO: r.icohpTmO }));
  } else {
    out.push(f('xdatcar', 'XDATCAR', writeXdatcar(join(dir, 'XDATCAR'), s, g.frames!, g.seed), `${atoms} atoms × ${g.frames} frames`));
  }
  out.push(f('poscar', 'POSCAR', poscarBytes, `${atoms} atoms`));
  return out;
}

interface Manifest {
  [group: string]: { recipe: string; files: GeneratedFile[] };
}

/** Generates (or reuses) every input of `mode` under `root/mode` (`only`: just these groups). */
export function generate(root: string, mode: Mode, log: (msg: string) => void = () => {}, only?: string[]): Generated {
  const dir = join(root, mode);
  mkdirSync(dir, { recursive: true });
  const manifestPath = join(dir, 'manifest.json');
  const manifest: Manifest = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest) : {};
  const t0 = performance.now();
  let made = false;
  const files: GeneratedFile[] = [];
  for (const g of groups(mode).filter((x) => !only || only.includes(x.id))) {
    const have = manifest[g.id];
    // paths are re-rooted so a moved checkout still reuses its data
    if (have) have.files = have.files.map((x) => ({ ...x, path: join(dir, g.id, basename(x.path)) }));
    const fresh = have && have.recipe === recipe(g) && have.files.every((x) => existsSync(x.path) && statSync(x.path).size === x.bytes);
    if (!fresh) {
      const t = performance.now();
      const made1 = generateGroup(join(dir, g.id), g);
      manifest[g.id] = { recipe: recipe(g), files: made1 };
      writeFileSync(manifestPath, JSON.stringify(manifest, null, 1));
      made = true;
      const mb = made1.reduce((a, x) => a + x.bytes, 0) / 1e6;
      log(`generated ${g.id}: ${mb.toFixed(1)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    files.push(...manifest[g.id].files);
  }
  return { mode, dir, files, seconds: made ? (performance.now() - t0) / 1000 : 0 };
}
