/**
 * The format registry: every file format oxyscope reads, with how it is recognised and which reader reads it.
 * Every consumer (the Node loader, `info`, report discovery, the bench, the viewer) dispatches through it; nothing
 * else compares format names.
 *
 * Detection uses the file name (without folders and `.gz`) AND the first kilobytes of the content:
 * - the candidates are the formats whose content test accepts the head, and those it cannot rule out (undefined:
 *   the telling part lies beyond the head) when the name names them;
 * - among them, the one the name also names wins (`DOSCAR.LCFO.lobster` among DOSCAR-like heads);
 * - a single content candidate wins over the name (files renamed by hand, `AlN_COHPCAR.lobster`, stdin `-`);
 * - no content candidate: the name decides (the reader then says what is wrong with the file);
 * - more than one candidate left: a UsageError naming them and `--format <id>`, which decides.
 *
 * To add a format: write its reader under src/io/<program>/, then add ONE entry to FORMATS below:
 *   id (what `--format` takes), name, family, files (how it is usually called, for the table), variants (what the
 *   reader copes with, for `oxyscope formats` and the README table), byName (a RegExp on the upper-cased base name;
 *   anchor it so that it does not also claim a sibling format), byContent (a test on the head, as specific as the
 *   format allows), read (source + ReadContext → model), and, where the model plays a part in a calculation, the
 *   `as` views (structure, dos, bonds, trajectory) and `role` (what report discovery files it under). `describe`
 *   is what `oxyscope info` prints. Warnings are collected from the model's `warnings` (and `meta.warning`) by
 *   readFormat: a reader only has to put them there. Then regenerate the README table (`oxyscope formats --markdown`).
 */
import { ParseError, UsageError } from '../errors.js';
import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import { formula, speciesGroups } from '../model/structure.js';
import type { Dos } from '../model/dos.js';
import type { Cohp, IcohpList } from '../model/cohp.js';
import { bondTotals } from '../model/cohp.js';
import type { Trajectory } from '../model/trajectory.js';
import type { OutcarSummary } from '../model/neb.js';
import type { Charges, LcfoCharges, LobsterOut } from '../model/lobster.js';
import type { PotcarValence } from '../model/populations.js';
import { cellVolume, latticeParameters } from '../model/lattice.js';
import { readAll, type ByteSource } from './source.js';
import { parsePoscar } from './vasp/poscar.js';
import { readXdatcar, type XdatcarTrajectory } from './vasp/xdatcar.js';
import { readDoscar, type DoscarLayout } from './vasp/doscar.js';
import { readVasprun, type Vasprun } from './vasp/vasprun.js';
import { readOutcar } from './vasp/outcar.js';
import { magnetizationFeed } from './vasp/magnetization.js';
import { readZval, zvalFeed } from './vasp/zval.js';
import { parseOszicar, type OszicarSummary } from './vasp/oszicar.js';
import { readCohpcar } from './lobster/cohpcar.js';
import { readIcohplist } from './lobster/icohplist.js';
import { readDoscarLobster } from './lobster/doscar-lobster.js';
import { readCharge } from './lobster/charge.js';
import { readChargeLcfo } from './lobster/charge-lcfo.js';
import { readLobsterout } from './lobster/lobsterout.js';
import { readGrossPop } from './lobster/grosspop.js';
import { readMadelungEnergies, readSitePotentials } from './lobster/sitepotentials.js';
import { readAcf } from './bader/acf.js';

/** What a reader may be told beyond the bytes: the user's hints and what companion files of the run say. */
export interface ReadContext {
  kernels: Kernels;
  /** `--species`: species per group of a VASP 4 POSCAR/XDATCAR (no species line) */
  species?: string[];
  /** text of the run's POTCAR (species of a VASP 4 POSCAR) */
  potcar?: string;
  /** `--layout`: the projected layout of an ambiguous DOSCAR */
  layout?: DoscarLayout | 'l' | 'lm';
  /** a structure of the same run, naming the atoms of a DOSCAR, and where it came from */
  structure?: Structure;
  structureFile?: string;
  /** LNONCOLLINEAR/LSORBIT and ISPIN of the run, when a companion says (DOSCAR layouts) */
  noncollinear?: boolean;
  ispin?: 1 | 2;
}

/** LOBSTER bond data: an ICOHPLIST-family list (values at E_F) or COHPCAR-family curves. */
export type Bonds = { kind: 'list'; list: IcohpList } | { kind: 'curves'; cohp: Cohp };

/** The parts a model can play in an analysis (a vasprun.xml is both a structure and a DOS). */
export interface Views<M> {
  structure?: (m: M) => Structure;
  /** undefined when the file holds no DOS (a vasprun.xml of a run that wrote none) */
  dos?: (m: M) => Dos | undefined;
  bonds?: (m: M) => Bonds;
  trajectory?: (m: M) => Trajectory;
  /** the run's LNONCOLLINEAR/LSORBIT and ISPIN, for the ambiguous column layouts of a DOSCAR beside it */
  flags?: (m: M) => { noncollinear?: boolean; ispin?: 1 | 2 };
}

/** What report discovery files a format under in a calculation folder. */
export type CalcRole = 'structure' | 'dos' | 'icohplist' | 'cohpcar';

/** The head of a file as detection sees it: the text and its lines. */
export interface Head {
  text: string;
  lines: string[];
}

export interface Format<M = unknown> {
  /** what `--format` takes and JSON `format` fields say */
  id: string;
  /** human name */
  name: string;
  family: 'VASP' | 'LOBSTER' | 'Bader';
  /** usual file names, for the table */
  files: string;
  /** the variants the reader handles, for the table */
  variants: string[];
  /** on the upper-cased base name (no folders, no .gz) */
  byName: RegExp;
  /**
   * true: the head is this format; false: it is not; undefined: the head is consistent with it but cannot prove it
   * (what tells it apart lies beyond the head): then only a name naming this format makes it a candidate
   */
  byContent: (head: Head) => boolean | undefined;
  read: (source: ByteSource, ctx: ReadContext) => Promise<M>;
  as?: Views<M>;
  role?: CalcRole;
  /**
   * What the file cannot say about itself and a companion file of the run can (the policy is in src/pipeline/inputs.ts):
   * `atoms`: it does not name its atoms (a VASP DOSCAR: CONTCAR/POSCAR/vasprun.xml beside it, and the INCAR's spin flags);
   * `potcar`: a VASP 4 file names its species only through the POTCAR beside it.
   */
  needs?: { atoms?: boolean; potcar?: boolean };
  /** the JSON-able summary `oxyscope info` prints (after `file` and `format`) */
  describe: (m: M) => Record<string, unknown>;
}

/** A registry entry whatever its model (the registry is heterogeneous; `define` checks each entry against its own M). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFormat = Format<any>;

function define<M>(f: Format<M>): AnyFormat {
  return f;
}

/** JSON has no NaN: absent quantities print as null. */
const num = (x: number): number | null => (Number.isNaN(x) ? null : x);
const rows = (lattice: Float64Array): number[][] => [0, 1, 2].map((r) => Array.from(lattice.subarray(3 * r, 3 * r + 3)));

/** What every DOS summary shares. Energies absolute (eV), as the file gives them. */
function dosFields(dos: Dos): Record<string, unknown> {
  const distinct = [...new Set(dos.orbitals.map((o) => o.join(' ')))].filter((s) => s !== '');
  return {
    efermi: dos.efermi,
    nedos: dos.nedos,
    ispin: dos.nspin,
    noncollinear: dos.noncollinear,
    nSites: dos.nSites,
    orbitals: dos.orbitals[0] ?? [],
    ...(distinct.length > 1 ? { orbitalSets: distinct.map((s) => s.split(' ')) } : {}),
    energyRange: [dos.energies[0], dos.energies[dos.nedos - 1]],
    hasPdos: dos.pdos !== undefined,
  };
}

/** COHPCAR-family summary: nBonds counts bond totals only (no Average column, no orbital-resolved entries). */
function describeCurves(c: Cohp): Record<string, unknown> {
  return {
    kind: c.kind,
    ...(c.basis === 'lcfo' ? { basis: c.basis, note: 'labels are LCFO fragments (AlN_1), not atoms' } : {}),
    nBonds: bondTotals(c.bonds).length,
    ispin: c.nspin,
    efermi: c.efermi,
    nPoints: c.nPoints,
    orbitalResolved: c.bonds.some((b) => b.orbitals !== undefined),
    multiCentre: c.multiCentre,
    energyRange: [c.energies[0], c.energies[c.nPoints - 1]],
    energyZero: 'fermi',
  };
}

/** ICOHPLIST-family summary: nBonds counts each listed bond once, whatever the spin layout or orbital lines. */
function describeList(l: IcohpList): Record<string, unknown> {
  const pairs: Record<string, number> = {};
  for (const b of l.bonds) {
    // Cl-Na and Na-Cl are one pair: the first spelling met names it
    const key = b.atoms.map((a) => a.element).join('-');
    const back = [...b.atoms].reverse().map((a) => a.element).join('-');
    const k = key in pairs || !(back in pairs) ? key : back;
    pairs[k] = (pairs[k] ?? 0) + 1;
  }
  return {
    kind: l.kind,
    ...(l.basis === 'lcfo' ? { basis: l.basis, note: 'labels are LCFO fragments (AlN_1), not atoms; pairs are fragment-name pairs' } : {}),
    nBonds: l.bonds.length,
    ispin: l.nspin,
    layout: l.layout,
    orbitalResolved: l.orbitalResolved,
    multiCentre: l.bonds.filter((b) => b.multiCentre).length,
    pairs,
  };
}

/** What `converged` of an OUTCAR means, per kind of run (the summary says it in words). */
const CONVERGENCE_MEANS: Record<OutcarSummary['convergence'], string> = {
  ionic: 'relaxation/NEB: the ionic loop reached the required accuracy and its last SCF loop converged',
  'every-scf': 'finite differences (IBRION 5-8): the SCF loop of every displacement converged (there is no ionic loop)',
  'last-scf': 'static run or MD: the SCF loop of the last ionic step converged',
};

const NUMBER = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eEdD][-+]?\d+)?\s*$/;
const THREE = /^\s*(\S+\s+){2}\S+\s*$/;
/** the 5-line header shared by VASP's DOSCAR and LOBSTER's DOSCAR.lobster */
const dosHeader = ({ lines }: Head) => /^\s*\d+\s+\d+\s+[01]\s+\d+\s*$/.test(lines[0] ?? '') && lines.length > 5 && /CAR/.test(lines[3] ?? '');
const byLobster = ({ lines }: Head) => /projected DOS file by LOBSTER/i.test(lines[4] ?? '');
/**
 * DOSCAR.LCFO.lobster: the first block header after the total DOS names a fragment, not `Z=` (`…; AlN; 1a1 …`).
 * Undefined when the head ends before that header (a long total block): the name decides then; without one the
 * file goes to DOSCAR.lobster's entry, whose reader is the same and tells the two apart itself (basis 'lcfo').
 */
const lcfoBlocks = ({ lines }: Head): boolean | undefined => {
  const block = lines.slice(6).find((l) => l.includes(';'));
  return block === undefined ? undefined : !/;\s*Z=/.test(block);
};
const listHeader = (q: string) => ({ lines }: Head) => new RegExp(`^\\s*${q}#\\s+atomMU`).test(lines[0] ?? '');
const curvesHeader = (q: RegExp) => ({ lines }: Head) => q.test(lines[0] ?? '') && /file generated by LOBSTER/.test(lines[0] ?? '');
/** COHPCAR.LCFO.lobster: its first bond label names an LCFO fragment (`No.1:AlN_1->…`), not an atom. */
const lcfoLabels = ({ lines }: Head) => /^\s*No\.\d+:[A-Za-z][A-Za-z0-9]*_\d+/.test(lines.slice(2, 4).find((l) => /^\s*No\./.test(l)) ?? '');
const xdatcarHead = ({ text }: Head) => /(Direct|Cartesian) configuration=/.test(text);

function listFormat(id: string, q: 'COHP' | 'COOP' | 'COBI', role?: CalcRole): AnyFormat {
  return define<IcohpList>({
    id,
    name: `LOBSTER I${q}LIST`,
    family: 'LOBSTER',
    files: `I${q}LIST.lobster`,
    variants: ['≤2.2 (averaged)', '3–4 (translations)', '5.1 (both spins per row)', 'orbital-wise lines', ...(q === 'COBI' ? ['multi-centre bonds'] : [])],
    byName: new RegExp(`(^|[._-])I${q}LIST(\\.LOBSTER|$)`),
    byContent: listHeader(q),
    read: (source) => readIcohplist(source),
    as: { bonds: (list) => ({ kind: 'list', list }) },
    role,
    describe: describeList,
  });
}

/** LCFO twins of the lists (LOBSTER ≥ 5.1): the same reader; the header names fragments, not atoms. */
function lcfoListFormat(id: string, q: 'COHP' | 'COBI'): AnyFormat {
  return define<IcohpList>({
    id,
    name: `LOBSTER I${q}LIST.LCFO`,
    family: 'LOBSTER',
    files: `I${q}LIST.LCFO.lobster`,
    variants: ['LOBSTER 5.1 (both spins per row)', 'LCFO fragments (`AlN_1`), not atoms', 'orbital-wise lines (fragment orbitals `AlN_1_1a1`)'],
    byName: new RegExp(`(^|[._-])I${q}LIST\\.LCFO(\\.LOBSTER|$)`),
    byContent: ({ lines }) => new RegExp(`^\\s*${q}#\\s+fragmentAlpha`).test(lines[0] ?? ''),
    read: (source) => readIcohplist(source),
    as: { bonds: (list) => ({ kind: 'list', list }) },
    describe: describeList,
  });
}

/** LCFO twins of the curves (LOBSTER ≥ 5.1): the same reader, which tells fragment labels from atom labels. */
function lcfoCurvesFormat(id: string, q: 'COHP' | 'COBI', title: RegExp): AnyFormat {
  return define<Cohp>({
    id,
    name: `LOBSTER ${q}CAR.LCFO`,
    family: 'LOBSTER',
    files: `${q}CAR.LCFO.lobster`,
    variants: ['LOBSTER 5.1', 'LCFO fragments (`No.1:AlN_1->Al_2(1.91)`), not atoms', 'spin 1 and 2', 'fragment-orbital entries (`AlN_1[1a1]`)'],
    byName: new RegExp(`(^|[._-])${q}CAR\\.LCFO(\\.LOBSTER|$)`),
    byContent: (h) => curvesHeader(title)(h) && lcfoLabels(h),
    read: (source, ctx) => readCohpcar(source, { kernels: ctx.kernels }),
    as: { bonds: (cohp) => ({ kind: 'curves', cohp }) },
    describe: describeCurves,
  });
}

function curvesFormat(id: string, q: 'COHP' | 'COOP' | 'COBI', title: RegExp, role?: CalcRole): AnyFormat {
  return define<Cohp>({
    id,
    name: `LOBSTER ${q}CAR`,
    family: 'LOBSTER',
    files: `${q}CAR.lobster`,
    variants: ['LOBSTER 2–5', 'spin 1 and 2', 'orbital-resolved entries', 'bonds with only orbital-wise lines (total = sum of the orbital pairs, warned)', 'missing trailing newline', ...(q === 'COBI' ? ['multi-centre COBI (no Average column)'] : [])],
    byName: new RegExp(`(^|[._-])${q}CAR(\\.LOBSTER|$)`),
    byContent: (h) => curvesHeader(title)(h) && !lcfoLabels(h),
    read: (source, ctx) => readCohpcar(source, { kernels: ctx.kernels }),
    as: { bonds: (cohp) => ({ kind: 'curves', cohp }) },
    role,
    describe: describeCurves,
  });
}

export const FORMATS: readonly AnyFormat[] = [
  define<Structure>({
    id: 'poscar',
    name: 'VASP POSCAR/CONTCAR',
    family: 'VASP',
    files: 'POSCAR, CONTCAR, *.vasp',
    variants: ['VASP 4 (species from `--species`, a POTCAR beside it, the comment or site labels)', 'VASP 5/6 species lines with `_pv` and `/hash` suffixes', 'wrapped species lines', 'selective dynamics', 'Direct/Cartesian', 'negative scale (volume)', 'three scale factors', 'velocity blocks'],
    byName: /^(POSCAR|CONTCAR)|\.VASP$/,
    // comment, scale (one or three numbers), three lattice rows; an XDATCAR shares this header
    byContent: (h) => h.lines.length > 6 && !xdatcarHead(h) && (NUMBER.test(h.lines[1] ?? '') || THREE.test(h.lines[1] ?? '')) && THREE.test(h.lines[2] ?? ''),
    read: async (source, ctx) => parsePoscar(await readAll(source), source.name, { kernels: ctx.kernels, species: ctx.species, potcar: ctx.species ? undefined : ctx.potcar }),
    as: { structure: (s) => s },
    role: 'structure',
    needs: { potcar: true },
    describe: (s) => ({
      comment: s.comment,
      nSites: s.species.length,
      formula: formula(s.species),
      volume: cellVolume(s.lattice),
      lattice: rows(s.lattice),
      latticeParameters: latticeParameters(s.lattice),
      species: speciesGroups(s.species),
      ...(s.speciesLabels ? { speciesLabels: s.speciesLabels } : {}),
      selectiveDynamics: s.selective !== undefined,
      hasVelocities: s.velocities !== undefined,
    }),
  }),
  define<XdatcarTrajectory>({
    id: 'xdatcar',
    name: 'VASP XDATCAR',
    family: 'VASP',
    files: 'XDATCAR',
    variants: ['constant and variable cell', 'old blank-line frames', 'VASP 4 (`--species`)', 'a species label after every row (pymatgen, ASE; checked against the species line)', 'Fortran-glued numbers (`-0.63265286-0.11227753`) split (warned)', 'cut inside the last frame (dropped, warned)'],
    byName: /^XDATCAR/,
    byContent: xdatcarHead,
    read: (source, ctx) => readXdatcar(source, { kernels: ctx.kernels, species: ctx.species }),
    as: { trajectory: (t) => t },
    describe: (t) => ({
      nFrames: t.nFrames,
      nSites: t.nSites,
      formula: formula(t.species),
      variableCell: t.variableCell,
      truncated: t.truncated,
      firstStep: t.steps[0],
      lastStep: t.steps[t.nFrames - 1],
      lattice: rows(t.lattices.subarray(0, 9)),
    }),
  }),
  define<Dos>({
    id: 'doscar',
    name: 'VASP DOSCAR',
    family: 'VASP',
    files: 'DOSCAR',
    variants: ['ISPIN 1/2', 'LORBIT 10 and 11 (with f)', 'non-collinear', 'no PDOS', 'the 17-column ambiguity resolved from NCDIJ, an INCAR or vasprun.xml beside it, or `--layout`', 'atoms named by the CONTCAR/POSCAR/vasprun.xml beside it', 'cut after the total DOS (warned)'],
    byName: /^DOSCAR(?!.*LOBSTER)/,
    byContent: (h) => dosHeader(h) && !byLobster(h) && lcfoBlocks(h) !== true,
    read: (source, ctx) =>
      readDoscar(source, { kernels: ctx.kernels, structure: ctx.structure, speciesFrom: ctx.structureFile, noncollinear: ctx.noncollinear, ispin: ctx.ispin, layout: ctx.layout }),
    as: { dos: (d) => d },
    role: 'dos',
    needs: { atoms: true },
    describe: (d) => ({
      ...dosFields(d),
      layout: d.meta.layout ?? null,
      lorbit: d.meta.lorbit ?? null,
      ...(d.species ? { formula: formula(d.species) } : {}),
    }),
  }),
  define<Vasprun>({
    id: 'vasprun',
    name: 'VASP vasprun.xml',
    family: 'VASP',
    files: 'vasprun.xml',
    variants: ['streamed (never a DOM)', "last `<calculation>`'s DOS", 'spin-orbit components kept apart', 'final structure of relaxations', 'cut before `</modeling>` (warned)', '`*****` integers tolerated (warned)', 'KPOINTS_OPT second DOS (skipped, warned)'],
    byName: /VASPRUN|\.XML$/,
    byContent: ({ text }) => /^\s*<\?xml|<modeling>/.test(text.slice(0, 400)),
    read: (source, ctx) => readVasprun(source, { kernels: ctx.kernels }),
    as: {
      structure: (v) => v.structures.final,
      dos: (v) => v.dos,
      flags: (v) => ({ noncollinear: v.noncollinear, ispin: v.ispin === 1 || v.ispin === 2 ? v.ispin : undefined }),
    },
    role: 'dos',
    describe: (v) => {
      const dos = v.dos;
      return {
        version: v.generator.version ?? null,
        formula: formula(v.atoms),
        nSites: v.atoms.length,
        ionicSteps: v.ionicSteps,
        finalEnergy: v.finalEnergy ?? null,
        lorbit: v.lorbit ?? null,
        ...(dos
          ? { ...dosFields(dos), layout: dos.pdos ? `${dos.orbitals[0].length > 4 ? 'lm' : 'l'}-${dos.noncollinear ? 'noncollinear' : dos.nspin === 2 ? 'spin' : 'nonspin'}` : null }
          : { efermi: v.efermi ?? null, nedos: v.nedos ?? null, ispin: v.ispin ?? null, noncollinear: v.noncollinear, hasPdos: false }),
        parameters: v.parameters,
      };
    },
  }),
  define<OutcarSummary>({
    id: 'outcar',
    name: 'VASP OUTCAR',
    family: 'VASP',
    files: 'OUTCAR',
    variants: ['Fermi level, TOTEN, energy(sigma→0), forces, VTST tangent force', 'convergence per kind of run (SCF loops that used all NELM steps are unconverged; IBRION 5–8: every displacement)', 'per-atom magnetic moments (last magnetization table, x/y/z) and POTCAR valences (ZVAL), in the same pass', 'VASP 5 and 6', 'unfinished runs'],
    byName: /^OUTCAR/,
    byContent: ({ text }) => /vasp\.\d|POSCAR =|INCAR:/.test(text.slice(0, 2000)) && /running on|vasp\./.test(text),
    // one pass: the summary scan, with the moments table and the POTCAR valences read from the same chunks
    read: async (source) => {
      const moments = magnetizationFeed(source.name);
      const valences = zvalFeed(source.name);
      const summary = await readOutcar(source, (chunk) => {
        moments.feed(chunk);
        valences.feed(chunk);
      });
      return { ...summary, magnetization: moments.end(), zval: valences.end() };
    },
    describe: (o) => ({
      vaspVersion: o.vaspVersion ?? null,
      nions: o.nions,
      efermi: num(o.efermi),
      energy: num(o.energy),
      energySigma0: num(o.energySigma0),
      energyWithoutEntropy: num(o.energyWithoutEntropy),
      maxForce: num(o.maxForce),
      tangentForce: num(o.tangentForce),
      ionicSteps: o.ionicSteps,
      converged: o.converged,
      convergence: o.convergence,
      convergenceMeans: CONVERGENCE_MEANS[o.convergence],
      // finite differences have no ionic loop: false there would read as a failed relaxation
      ionicConverged: o.convergence === 'every-scf' ? null : o.ionicConverged,
      electronicConverged: o.electronicConverged,
      nelm: o.nelm ?? null,
      ibrion: o.ibrion ?? null,
      scfUnconverged: o.scfUnconverged,
      scfAtNelm: o.atNelm,
      relaxation: o.relaxation,
      finished: o.finished,
    }),
  }),
  define<PotcarValence[]>({
    id: 'potcar',
    name: 'VASP POTCAR',
    family: 'VASP',
    files: 'POTCAR',
    variants: ['the valence (ZVAL) and title of each element, in order (for Bader net charges)'],
    byName: /^POTCAR/,
    // the first line is a POTCAR title (`PAW_PBE Mn_pv 07Sep2000`), the header below it names TITEL and ZVAL
    byContent: ({ lines, text }) => /^\s*(PAW|US)\S*\s+\S+/.test(lines[0] ?? '') && /^\s*TITEL\s*=/m.test(text) && /ZVAL\s*=/.test(text),
    read: async (source) => {
      const valences = await readZval(source);
      if (valences.length === 0) throw new ParseError({ file: source.name, line: 0, expected: 'POTCAR headers (`TITEL = …` and `POMASS = …; ZVAL = …`)', found: 'none' });
      return valences;
    },
    describe: (v) => ({ valences: v.map((x) => ({ element: x.element, zval: x.zval, titel: x.titel })) }),
  }),
  define<OszicarSummary>({
    id: 'oszicar',
    name: 'VASP OSZICAR',
    family: 'VASP',
    files: 'OSZICAR',
    variants: ['relaxation (F, E0) and MD (T, E, F, E0) lines', 'the energy of NEB images without an OUTCAR'],
    byName: /^OSZICAR/,
    byContent: ({ text }) => /^\s*N\s+F=|^\s*(DAV|RMM|CG):/m.test(text.slice(0, 400)),
    read: async (source) => parseOszicar(await readAll(source), source.name),
    describe: (o) => ({ ionicSteps: o.steps.length, F: num(o.lastF), E0: num(o.lastE0) }),
  }),
  curvesFormat('cohpcar', 'COHP', /\bpCOHP\b/, 'cohpcar'),
  curvesFormat('coopcar', 'COOP', /\bpCOOP\b/),
  curvesFormat('cobicar', 'COBI', /\bCOBI\b/),
  lcfoCurvesFormat('cohpcar-lcfo', 'COHP', /\bpCOHP\b/),
  lcfoCurvesFormat('cobicar-lcfo', 'COBI', /\bCOBI\b/),
  listFormat('icohplist', 'COHP', 'icohplist'),
  listFormat('icooplist', 'COOP'),
  listFormat('icobilist', 'COBI'),
  lcfoListFormat('icohplist-lcfo', 'COHP'),
  lcfoListFormat('icobilist-lcfo', 'COBI'),
  define<IcohpList>({
    id: 'ncicobilist',
    name: 'LOBSTER NcICOBILIST',
    family: 'LOBSTER',
    files: 'NcICOBILIST.lobster',
    variants: ['multi-centre ICOBI (2, 3, 4 … atoms with cells)', 'spin and non-spin (spin 2 as a second block)', 'with and without orbital lines'],
    byName: /(^|[._-])NCICOBILIST(\.LOBSTER|$)/,
    byContent: ({ lines }) => /^\s*COBI#\s+No\. of atoms/i.test(lines[0] ?? ''),
    read: (source) => readIcohplist(source),
    as: { bonds: (list) => ({ kind: 'list', list }) },
    describe: describeList,
  }),
  define<Dos>({
    id: 'doscar-lobster',
    name: 'LOBSTER DOSCAR.lobster',
    family: 'LOBSTER',
    files: 'DOSCAR.lobster',
    variants: ['spin and non-spin', 'per-atom orbital sets', 'LSO (`DOSCAR.LSO.lobster`)', 'energies relative to E_F'],
    byName: /(^|[._-])DOSCAR(\.LSO)?\.LOBSTER/,
    byContent: (h) => dosHeader(h) && byLobster(h) && lcfoBlocks(h) !== true,
    read: (source, ctx) => readDoscarLobster(source, { kernels: ctx.kernels }),
    as: { dos: (d) => d },
    role: 'dos',
    describe: (d) => ({
      ...(d.basis === 'lcfo' ? { basis: d.basis, nFragments: d.nSites, fragments: d.fragments } : {}),
      nedos: d.nedos,
      ispin: d.nspin,
      nSites: d.nSites,
      species: d.species,
      orbitals: d.orbitals,
      efermi: d.efermi,
      energyRange: [d.energies[0], d.energies[d.nedos - 1]],
      energyZero: 'fermi',
    }),
  }),
  define<Dos>({
    id: 'doscar-lcfo',
    name: 'LOBSTER DOSCAR.LCFO.lobster',
    family: 'LOBSTER',
    files: 'DOSCAR.LCFO.lobster',
    variants: ['LOBSTER 5.1 DOS projected on local fragment orbitals: one block per fragment (fragments, not atoms)', 'spin and non-spin'],
    byName: /(^|[._-])DOSCAR\.LCFO\.LOBSTER/,
    byContent: (h) => (dosHeader(h) ? lcfoBlocks(h) : false),
    read: (source, ctx) => readDoscarLobster(source, { kernels: ctx.kernels }),
    as: { dos: (d) => d },
    describe: (d) => ({
      basis: d.basis ?? 'atoms',
      nedos: d.nedos,
      ispin: d.nspin,
      nFragments: d.nSites,
      fragments: d.fragments ?? null,
      orbitals: d.orbitals,
      efermi: d.efermi,
      energyRange: [d.energies[0], d.energies[d.nedos - 1]],
      energyZero: 'fermi',
    }),
  }),
  define<Charges>({
    id: 'charge-lobster',
    name: 'LOBSTER CHARGE.lobster',
    family: 'LOBSTER',
    files: 'CHARGE.lobster',
    variants: ['Mulliken and Löwdin charges per atom'],
    byName: /(^|[._-])CHARGE\.LOBSTER/,
    byContent: ({ lines }) => /^\s*MULLIKEN and LOEWDIN POPULATION ANALYSIS|^\s*#\s+Atom\s+Label\s+Mulliken/i.test(lines[0] ?? ''),
    read: (source) => readCharge(source),
    describe: (c) => ({ labels: c.labels, mulliken: Array.from(c.mulliken), loewdin: Array.from(c.loewdin) }),
  }),
  define<LcfoCharges>({
    id: 'charge-lcfo',
    name: 'LOBSTER CHARGE.LCFO.lobster',
    family: 'LOBSTER',
    files: 'CHARGE.LCFO.lobster',
    variants: ['LOBSTER 5.1 Löwdin charges per LCFO fragment (fragments, not atoms; no Mulliken charges)'],
    byName: /(^|[._-])CHARGE\.LCFO\.LOBSTER/,
    byContent: ({ lines }) => /^\s*Loewdin Charges of the LCFO basis/i.test(lines[0] ?? ''),
    read: (source) => readChargeLcfo(source),
    describe: (c) => ({ basis: c.basis, nFragments: c.fragments.length, fragments: c.labels, loewdin: Array.from(c.loewdin), total: c.total }),
  }),
  define({
    id: 'grosspop-lobster',
    name: 'LOBSTER GROSSPOP.lobster',
    family: 'LOBSTER',
    files: 'GROSSPOP.lobster',
    variants: ['gross orbital and total populations (Mulliken and Löwdin), non-spin and LOBSTER 5 spin-polarised'],
    byName: /(^|[._-])GROSSPOP\.LOBSTER/,
    byContent: ({ lines }) => /gross orbital population/i.test(lines[0] ?? ''),
    read: (source) => readGrossPop(source),
    describe: (g) => ({ labels: g.labels, nspin: g.nspin, mulliken: g.mulliken, loewdin: g.loewdin }),
  }),
  define({
    id: 'sitepotentials-lobster',
    name: 'LOBSTER SitePotentials.lobster',
    family: 'LOBSTER',
    files: 'SitePotentials.lobster',
    variants: ['site potentials (eV, Mulliken and Löwdin) and the Madelung energies below them'],
    byName: /(^|[._-])SITEPOTENTIALS\.LOBSTER/,
    byContent: ({ lines }) => /^\s*Site Potentials/i.test(lines[0] ?? ''),
    read: (source) => readSitePotentials(source),
    describe: (p) => ({ labels: p.labels, mulliken: Array.from(p.mulliken), loewdin: Array.from(p.loewdin), madelungMulliken: p.madelungMulliken, madelungLoewdin: p.madelungLoewdin, ewaldSplitting: p.ewaldSplitting }),
  }),
  define({
    id: 'madelung-lobster',
    name: 'LOBSTER MadelungEnergies.lobster',
    family: 'LOBSTER',
    files: 'MadelungEnergies.lobster',
    variants: ['Madelung energies (eV per cell, Mulliken and Löwdin)'],
    byName: /(^|[._-])MADELUNGENERGIES\.LOBSTER/,
    byContent: ({ lines }) => /^\s*Madelung energ/i.test(lines[0] ?? ''),
    read: (source) => readMadelungEnergies(source),
    describe: (m) => ({ ewaldSplitting: m.ewaldSplitting, mulliken: m.mulliken, loewdin: m.loewdin }),
  }),
  define({
    id: 'bader-acf',
    name: 'Bader ACF.dat',
    family: 'Bader',
    files: 'ACF.dat',
    variants: ['with and without the ATOMIC VOL column; vacuum and electron-count footer'],
    byName: /^ACF\.DAT$/,
    byContent: ({ lines }) => /^\s*#\s+X\s+Y\s+Z\s+CHARGE/i.test(lines[0] ?? ''),
    read: (source) => readAcf(source),
    describe: (b) => ({ nAtoms: b.electrons.length, electrons: Array.from(b.electrons), totalElectrons: b.totalElectrons, vacuumCharge: b.vacuumCharge }),
  }),
  define<LobsterOut>({
    id: 'lobsterout',
    name: 'LOBSTER lobsterout',
    family: 'LOBSTER',
    files: 'lobsterout',
    variants: ['LOBSTER 3–5', 'development builds without a version number (version unknown, warned)', 'spilling per spin', 'basis functions', 'WARNING lines (passed on as warnings)'],
    byName: /^LOBSTEROUT/,
    byContent: ({ lines }) => /^\s*LOBSTER\s+(v|\d)/.test(lines[0] ?? ''),
    read: (source) => readLobsterout(source),
    describe: (o) => ({
      version: o.version,
      chargeSpilling: o.chargeSpilling,
      totalSpilling: o.totalSpilling,
      basis: Object.fromEntries(o.basis.map((b) => [b.element, b.functions])),
      bandOverlapsWarning: o.bandOverlapsWarning,
      wallTimeSeconds: o.wallTimeSeconds,
    }),
  }),
];

const BY_ID = new Map(FORMATS.map((f) => [f.id, f]));

/** The entry of a format id (`--format`); a UsageError listing the ids otherwise. */
export function formatById(id: string): AnyFormat {
  const f = BY_ID.get(id);
  if (!f) throw new UsageError(`unknown format "${id}"; known formats: ${FORMATS.map((x) => x.id).join(', ')}`);
  return f;
}

/** Human name of a format id. */
export function formatName(id: string): string {
  return BY_ID.get(id)?.name ?? id;
}

/** Base name without folders and without a trailing .gz (compression is undone before reading). */
export function baseName(path: string): string {
  const b = path.replace(/\\/g, '/').split('/').pop() ?? path;
  return b.replace(/\.(gz|gzip)$/i, '');
}

/** More than one format fits a file: the candidates, for the caller to say how the user decides. */
export class AmbiguousFormatError extends UsageError {
  constructor(
    readonly file: string,
    readonly candidates: AnyFormat[],
    decide = `say which with --format ${candidates.map((f) => f.id).join('|')}`,
  ) {
    super(`${file}: could be ${candidates.map((f) => `${f.name} (${f.id})`).join(' or ')}; ${decide}`);
  }
}

/**
 * The format of a file from its name (`''` or `-` for stdin) and the first kilobytes of its content (see the
 * module comment); undefined when nothing recognises it; an AmbiguousFormatError when more than one format fits.
 */
export function detectFormat(name: string, head: string): AnyFormat | undefined {
  const h: Head = { text: head, lines: head.split(/\r\n?|\n/) };
  const base = name === '-' ? '' : baseName(name).toUpperCase();
  const named = base === '' ? [] : FORMATS.filter((f) => f.byName.test(base));
  const verdict = new Map(FORMATS.map((f) => [f, f.byContent(h)]));
  const content = FORMATS.filter((f) => verdict.get(f) === true);
  const both = FORMATS.filter((f) => named.includes(f) && verdict.get(f) !== false);
  const left = both.length > 0 ? both : content.length > 0 ? content : named;
  if (left.length > 1) throw new AmbiguousFormatError(name === '' || name === '-' ? '<stdin>' : name, left);
  return left[0];
}

/** A reader's value and what it had to say about the file. */
export interface Read<T> {
  value: T;
  warnings: string[];
}

/** Warnings a model carries: `warnings` and `meta.warning`, its own and those of the models it holds (a vasprun's DOS). */
export function warningsOf(model: unknown): string[] {
  const out: string[] = [];
  const take = (x: unknown) => {
    if (x === null || typeof x !== 'object' || ArrayBuffer.isView(x)) return;
    const o = x as { warnings?: unknown; meta?: { warning?: unknown } };
    if (Array.isArray(o.warnings)) for (const w of o.warnings) if (typeof w === 'string') out.push(w);
    if (typeof o.meta?.warning === 'string') out.push(o.meta.warning);
  };
  take(model);
  if (model !== null && typeof model === 'object' && !Array.isArray(model)) for (const v of Object.values(model)) take(v);
  return [...new Set(out)];
}

/** `file: message`, unless the reader already named the file. */
export function aboutFile(file: string, message: string): string {
  return message.startsWith(`${file}:`) || message.startsWith(`${file} `) ? message : `${file}: ${message}`;
}

/** Reads a source with a format's reader: its model and its warnings (each naming the file). */
export async function readFormat<M>(format: Format<M>, source: ByteSource, ctx: ReadContext): Promise<Read<M>> {
  const value = await format.read(source, ctx);
  return { value, warnings: warningsOf(value).map((w) => aboutFile(source.name, w)) };
}

/** The table of formats (`oxyscope formats`, the README). */
export function formatTable(): { id: string; name: string; family: string; files: string; variants: string[]; roles: string[] }[] {
  return FORMATS.map((f) => ({ id: f.id, name: f.name, family: f.family, files: f.files, variants: f.variants, roles: Object.keys(f.as ?? {}) }));
}

/** The same table as Markdown (the README's "Formats" section is this text). */
export function formatTableMarkdown(): string {
  const lines = ['| id | format | files | variants read |', '|---|---|---|---|'];
  for (const f of FORMATS) lines.push(`| \`${f.id}\` | ${f.name} | ${f.files} | ${f.variants.join('; ')} |`);
  return lines.join('\n');
}
