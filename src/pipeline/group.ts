import { baseName, FORMATS, formatById, type CalcRole } from '../io/formats.js';

/**
 * Which files form one calculation (pure: Node's discovery walks the disk, the viewer the dropped files; both group
 * a folder's files here). A folder's VASP/LOBSTER files with the standard names (POSCAR, CONTCAR, DOSCAR,
 * vasprun.xml, ICOHPLIST.lobster …) belong to one calculation; a file with a non-standard name (POSCAR.Fe3O4,
 * vasprun.xml.LiF) is a calculation of its own, because a folder of renamed files is usually a collection, not one
 * run — except that the only renamed structure (or DOS) file of a folder that has no standard one joins the
 * folder's calculation (POSCAR.lobster next to DOSCAR.lobster).
 */

export interface CalcFile {
  path: string;
  /** format id (src/io/formats.ts) */
  format: string;
}

export interface Calculation {
  /** path relative to the root, `/`-separated (`.` for the root itself); unique, the sort and dedupe key */
  id: string;
  /** the folder (or, for a single renamed file, the file) on disk */
  path: string;
  kind: 'neb' | 'files';
  /** the structure the analyses use: CONTCAR before POSCAR (the relaxed one), else the only structure file */
  structure?: CalcFile;
  /** DOS source: DOSCAR, else vasprun.xml, else DOSCAR.lobster */
  dos?: CalcFile;
  icohplist?: CalcFile;
  cohpcar?: CalcFile;
  /**
   * the calculation's own pristine reference for census and migration (the `POSCAR.pristine` that `oxyscope sqs`
   * writes beside a delithiated or migrated model), used instead of a report-wide `--reference`
   */
  reference?: CalcFile;
  /** every recognised file of the calculation */
  files: CalcFile[];
  /**
   * The calculation is one member of an ensemble: numbered folders 00 … NN of `id` that hold unrelated structures
   * (an SQS set), not an NEB path; `reason` says what told them apart.
   */
  ensemble?: { id: string; reason: string };
}

/**
 * Standard names, the usual file names of the registry's formats (whatever the content turns out to be, e.g. a
 * DOSCAR written by LOBSTER): these join their folder's calculation.
 */
const STANDARD = new Set(FORMATS.flatMap((f) => f.files.split(/,\s*/)).filter((n) => !n.includes('*')).map((n) => n.toUpperCase()));

/** The name of a calculation's own reference structure (see Calculation.reference). */
const OWN_REFERENCE = /^POSCAR\.pristine(\.gz)?$/i;

const roleOf = (f: CalcFile): CalcRole | undefined => formatById(f.format).role;
/** Among files of one role, the registry's order of formats decides (DOSCAR before vasprun.xml before DOSCAR.lobster). */
const ORDER = new Map(FORMATS.map((f, i) => [f.id, i]));

/** Code-point order: the same on every machine and locale (shards must agree). */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isStandard(f: CalcFile): boolean {
  return STANDARD.has(baseName(f.path).toUpperCase());
}

/** CONTCAR (the relaxed structure) before POSCAR before renamed files; otherwise the registry's order. */
function rank(f: CalcFile): number {
  const b = baseName(f.path).toUpperCase();
  const byName = b.startsWith('CONTCAR') ? 0 : b.startsWith('POSCAR') ? 1 : 2;
  return 3 * (ORDER.get(f.format) ?? 0) + byName;
}

function pick(files: CalcFile[], role: CalcRole): CalcFile | undefined {
  return files.filter((f) => roleOf(f) === role).sort((a, b) => rank(a) - rank(b) || byCodePoint(a.path, b.path))[0];
}

/** One calculation: its files sorted into roles. `id` as the root-relative, `/`-separated path. */
export function calculation(id: string, path: string, kind: Calculation['kind'], files: CalcFile[], ensemble?: Calculation['ensemble'], reference?: CalcFile): Calculation {
  const own = reference ? files.filter((f) => f !== reference) : files;
  return {
    id,
    ...(ensemble ? { ensemble } : {}),
    ...(reference ? { reference } : {}),
    path,
    kind,
    structure: pick(own, 'structure'),
    dos: pick(files, 'dos'),
    icohplist: pick(files, 'icohplist'),
    cohpcar: pick(files, 'cohpcar'),
    files,
  };
}

/** Groups one folder's files into calculations (see the module comment). */
export function group(idOf: (path: string) => string, dir: string, files: CalcFile[], ensemble?: Calculation['ensemble']): Calculation[] {
  const standard = files.filter(isStandard);
  // a POSCAR.pristine beside the folder's own structure is its reference, not a calculation of its own
  const hasStructure = standard.some((f) => roleOf(f) === 'structure');
  const reference = hasStructure ? files.find((f) => roleOf(f) === 'structure' && OWN_REFERENCE.test(baseName(f.path))) : undefined;
  const renamed = files.filter((f) => !isStandard(f) && f !== reference);
  // a renamed structure or DOS file whose role the folder lacks completes the folder's run (e.g. POSCAR.lobster next to DOSCAR.lobster)
  const adopt: CalcFile[] = [];
  const alone: CalcFile[] = [];
  for (const f of renamed) {
    const role = roleOf(f);
    const sameRole = renamed.filter((g) => roleOf(g) === role);
    if (role && sameRole.length === 1 && !standard.some((g) => roleOf(g) === role)) adopt.push(f);
    else alone.push(f);
  }
  const out: Calculation[] = [];
  const joined = [...standard, ...adopt, ...(reference ? [reference] : [])];
  if (joined.length > 0) out.push(calculation(idOf(dir), dir, 'files', joined, ensemble, reference));
  for (const f of alone) if (roleOf(f)) out.push(calculation(idOf(f.path), f.path, 'files', [f], ensemble));
  return out;
}
