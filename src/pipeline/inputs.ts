import type { Kernels } from '../kernels/types.js';
import type { Structure } from '../model/structure.js';
import type { Dos } from '../model/dos.js';
import type { NebPath } from '../model/neb.js';
import { frameStructure, type Trajectory } from '../model/trajectory.js';
import { concatBytes, readAll, textOf, type ByteSource } from '../io/source.js';
import { LineCursor } from '../io/text/lines.js';
import { readPoscarHeader } from '../io/vasp/poscar.js';
import type { DoscarLayout } from '../io/vasp/doscar.js';
import { aboutFile, detectFormat, warningsOf, formatById, readFormat, type AnyFormat, type Bonds, type ReadContext } from '../io/formats.js';
import { MismatchError, OxyError, ParseError, UsageError } from '../errors.js';

/**
 * Inputs of one calculation, the same in Node and in the browser: a source, its format from the registry, and an
 * injected lookup of the files beside it (Node: the file's folder on disk; the viewer: the dropped folder). The
 * companion-file policy lives here: a VASP 4 POSCAR takes its species from the POTCAR beside it, a VASP DOSCAR
 * the names of its atoms from the CONTCAR/POSCAR/vasprun.xml beside it and its spin flags from the INCAR or
 * vasprun.xml. Every warning of every read lands in `warnings`, naming its file.
 */

/** A file beside the input by its standard name (`POTCAR`, `CONTCAR` …; the lookup also tries `name.gz`). */
export type Beside = (name: string) => Promise<ByteSource | undefined>;

export const nothingBeside: Beside = async () => undefined;

export interface Input {
  source: ByteSource;
  format?: AnyFormat;
  beside: Beside;
}

/** What a file cannot say about itself and the user can (`--species`, `--layout`). */
export interface ReadHints {
  /** species per group in POSCAR order (`Li,Mn,O`, matching the counts line), for VASP 4 POSCARs; ignored when the file names them */
  species?: string[];
  /** the projected layout of an ambiguous (17-column) DOSCAR */
  layout?: DoscarLayout | 'l' | 'lm';
  /** where the warnings of every read go (default: the Inputs' own list) */
  warnings?: string[];
}

/** Which frame of a trajectory stands for it as one structure: a 0-based index, or the last frame (the final state). */
export type FrameChoice = number | 'last';

/** The frame a structure was taken from (absent for a plain structure file). */
export interface FrameOf {
  /** 0-based frame index (tables print it 1-based) */
  index: number;
  /** the ionic step the file gives it */
  step: number;
  nFrames: number;
}

/** The structure of a run and the file it came from (named in mismatch messages and output). */
export interface RunStructure {
  structure?: Structure;
  structureFile?: string;
}

/** DOSCAR flags that settle its ambiguous column layouts (17 columns: lm non-spin or l non-collinear). */
export interface DoscarFlags {
  noncollinear?: boolean;
  ispin?: 1 | 2;
}

/** The input's format: `format` (an id, `--format`) decides, else the registry detects it from name and head. */
export async function inputOf(source: ByteSource, name: string, beside: Beside, format?: string): Promise<Input> {
  return { source, beside, format: format ? formatById(format) : detectFormat(name, await headText(source)) };
}

/** First `n` bytes of a source as text (format detection). */
export async function headText(source: ByteSource, n = 8192): Promise<string> {
  const parts: Uint8Array[] = [];
  let got = 0;
  for await (const c of source.chunks()) {
    parts.push(c.subarray(0, n - got));
    got += parts[parts.length - 1].length;
    if (got >= n) break;
  }
  return headOfBytes(parts.length === 1 ? parts[0] : concatBytes(parts, got));
}

const headDecoder = new TextDecoder();

/**
 * The first bytes of a file as text, without a character cut at the end (as a streaming decoder holds it back).
 * One whole decode: streaming decoders take a path several times slower, which discovery of thousands of files feels.
 */
export function headOfBytes(bytes: Uint8Array): string {
  let end = bytes.length;
  // a lead byte in the last 3 whose sequence does not fit ends the text before it
  for (let i = end - 1; i >= 0 && i >= end - 3; i--) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue;
    const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    if (i + len > end) end = i;
    break;
  }
  return headDecoder.decode(bytes.subarray(0, end));
}

const skipUnreadable = (e: unknown): undefined => {
  if (!(e instanceof OxyError)) throw e;
  return undefined;
};

/** Reads inputs through the registry with their companions; collects every warning. */
export class Inputs {
  readonly warnings: string[];

  constructor(
    readonly kernels: Kernels,
    readonly hints: ReadHints = {},
  ) {
    this.warnings = hints.warnings ?? [];
  }

  private ctx(extra: Partial<ReadContext> = {}): ReadContext {
    return { kernels: this.kernels, species: this.hints.species, layout: this.hints.layout, ...extra };
  }

  /** The model of any recognised file, as its format's reader returns it. */
  async read(input: Input, extra: Partial<ReadContext> = {}): Promise<{ format: AnyFormat; value: unknown }> {
    const format = this.formatOf(input, 'a VASP or LOBSTER file (POSCAR, DOSCAR, vasprun.xml, COHPCAR …)');
    const r = await readFormat(format, input.source, this.ctx({ ...(await this.speciesContext(input)), ...extra }));
    this.warnings.push(...r.warnings);
    return { format, value: r.value };
  }

  private formatOf(input: Input, expected: string): AnyFormat {
    if (!input.format) throw new ParseError({ file: input.source.name, line: 1, expected, found: 'an unknown format' });
    return input.format;
  }

  private refuse(input: Input, expected: string): never {
    throw new ParseError({ file: input.source.name, line: 1, expected, found: input.format?.name ?? 'an unknown format' });
  }

  /** The POTCAR beside a VASP 4 POSCAR (read only then). */
  private async speciesContext(input: Input): Promise<Partial<ReadContext>> {
    if (!input.format?.needs?.potcar || this.hints.species) return {};
    const head = await headText(input.source, 1 << 16);
    let vasp4: boolean;
    try {
      vasp4 = readPoscarHeader(new LineCursor(head, input.source.name)).labels === undefined;
    } catch {
      return {}; // the reader reports what is wrong with the header
    }
    const potcar = vasp4 ? await input.beside('POTCAR') : undefined;
    return potcar ? { potcar: textOf(await readAll(potcar)) } : {};
  }

  /** A structure: a POSCAR/CONTCAR, or the final structure of a vasprun.xml. */
  async structure(input: Input): Promise<Structure> {
    const view = input.format?.as?.structure;
    if (!view) this.refuse(input, 'a structure (POSCAR, CONTCAR or vasprun.xml)');
    return view((await this.read(input)).value);
  }

  /**
   * A structure, or one frame of a trajectory (the last unless `frame` says otherwise; `frame` says which was taken),
   * so that a single-structure analysis of an XDATCAR never picks a frame silently.
   */
  async structureOrFrame(input: Input, frame: FrameChoice = 'last'): Promise<{ structure: Structure; frame?: FrameOf }> {
    if (!input.format?.as?.trajectory || input.format.as.structure) return { structure: await this.structure(input) };
    const t = await this.trajectory(input);
    if (t.nFrames === 0) throw new ParseError({ file: input.source.name, line: 0, expected: 'at least one complete frame', found: 'none' });
    const index = frame === 'last' ? t.nFrames - 1 : frame;
    if (!(Number.isInteger(index) && index >= 0 && index < t.nFrames)) throw new UsageError(`--frame ${index + 1}: ${input.source.name} has ${t.nFrames} frame${t.nFrames === 1 ? '' : 's'} (1 … ${t.nFrames}, or last)`);
    const s = frameStructure(t, index);
    return { structure: { ...s, frac: Float64Array.from(s.frac) }, frame: { index, step: t.steps[index], nFrames: t.nFrames } };
  }

  /** The frames of a trajectory (XDATCAR). */
  async trajectory(input: Input): Promise<Trajectory> {
    const view = input.format?.as?.trajectory;
    if (!view) this.refuse(input, 'a trajectory (XDATCAR)');
    return view((await this.read(input)).value);
  }

  /** LOBSTER bond data: an ICOHPLIST-family list or COHPCAR-family curves. */
  async bonds(input: Input): Promise<Bonds> {
    const view = input.format?.as?.bonds;
    if (!view) this.refuse(input, 'an ICOHPLIST/ICOOPLIST/ICOBILIST or COHPCAR/COOPCAR/COBICAR');
    return view((await this.read(input)).value);
  }

  /** LNONCOLLINEAR/LSORBIT from the INCAR beside a DOSCAR, else from the head of the vasprun.xml beside it. */
  private async noncollinearHint(input: Input): Promise<boolean | undefined> {
    const incar = await input.beside('INCAR');
    if (incar) {
      const t = textOf(await readAll(incar)).replace(/[#!].*$/gm, '');
      return /^\s*(LSORBIT|LNONCOLLINEAR)\s*=\s*\.?T/im.test(t);
    }
    const vr = await input.beside('vasprun.xml');
    if (!vr) return undefined;
    const dec = new TextDecoder('latin1');
    let text = '';
    for await (const c of vr.chunks()) {
      text += dec.decode(c, { stream: true });
      if (text.includes('</parameters>') || text.length > 1 << 24) break;
    }
    const m = /name="LNONCOLLINEAR">\s*(\S)/.exec(text.slice(text.indexOf('<parameters')));
    return m ? m[1] === 'T' : undefined;
  }

  /** A companion of `input` by its standard name, detected like any input. */
  private async companion(input: Input, name: string): Promise<Input | undefined> {
    const source = await input.beside(name);
    return source ? inputOf(source, name, input.beside) : undefined;
  }

  /**
   * What names the atoms of a VASP DOSCAR (it does not itself): CONTCAR, POSCAR or vasprun.xml beside it, in that
   * order, and the run's flags. A companion that does not read is skipped: the DOSCAR is what was asked for.
   */
  async doscarCompanion(input: Input): Promise<RunStructure & { flags: DoscarFlags }> {
    for (const name of ['CONTCAR', 'POSCAR']) {
      const c = await this.companion(input, name);
      const structure = c ? await this.structure(c).catch(skipUnreadable) : undefined;
      if (c && structure) return { structure, structureFile: c.source.name, flags: { noncollinear: await this.noncollinearHint(input) } };
    }
    const c = await this.companion(input, 'vasprun.xml');
    const structureOf = c?.format?.as?.structure;
    const run = c && structureOf ? await this.read(c).catch(skipUnreadable) : undefined;
    if (c && structureOf && run) {
      return { structure: structureOf(run.value), structureFile: c.source.name, flags: c.format?.as?.flags?.(run.value) ?? {} };
    }
    return { flags: { noncollinear: await this.noncollinearHint(input) } };
  }

  /**
   * A DOS from a DOSCAR, vasprun.xml or DOSCAR.lobster, with the structure of the same run: the one given, else the
   * vasprun.xml's own final structure, else a companion beside a VASP DOSCAR (see doscarCompanion).
   */
  async dos(input: Input, given: RunStructure = {}): Promise<{ dos: Dos } & RunStructure> {
    return this.readDos(input, given, true);
  }

  private async readDos(input: Input, given: RunStructure, companions: boolean): Promise<{ dos: Dos } & RunStructure> {
    const format = input.format;
    const view = format?.as?.dos;
    if (!format || !view) this.refuse(input, 'a DOSCAR, vasprun.xml or DOSCAR.lobster');
    let run: RunStructure = given;
    let extra: Partial<ReadContext> = {};
    if (format.needs?.atoms) {
      const companion = run.structure || !companions ? { ...run, flags: { noncollinear: await this.noncollinearHint(input) } } : await this.doscarCompanion(input);
      run = { structure: companion.structure, structureFile: companion.structureFile };
      extra = { structure: run.structure, structureFile: run.structureFile, ...companion.flags };
    }
    const { value } = await this.read(input, extra);
    const dos = view(value);
    if (!dos) throw new ParseError({ file: input.source.name, line: 0, expected: 'a <dos> block (the run wrote no DOS)', found: 'a run without one' });
    if (!run.structure && format.as?.structure) run = { structure: format.as.structure(value), structureFile: input.source.name };
    checkSites(dos, run, input.source.name);
    return { dos, ...run };
  }

  /**
   * `dos`, but a companion structure from another run (other atom count) does not hide what the DOS itself holds:
   * read without it, with a warning (what `info` does: it describes the file, not the run).
   */
  async dosAlone(input: Input): Promise<{ dos: Dos } & RunStructure> {
    try {
      return await this.readDos(input, {}, true);
    } catch (e) {
      if (!(e instanceof MismatchError)) throw e;
      this.warnings.push(aboutFile(input.source.name, `${e.message}; species ignored`));
      return this.readDos(input, {}, false);
    }
  }

  /** An NEB path, with its warnings collected. */
  neb(path: NebPath): NebPath {
    this.warnings.push(...warningsOf(path).map((w) => aboutFile(path.folder, w)));
    return path;
  }
}

/** A structure of another run (other atoms) must not name the DOS's atoms: a MismatchError names both files. */
function checkSites(dos: Dos, given: RunStructure, dosFile: string): void {
  const { structure } = given;
  if (!structure) return;
  const files = [dosFile, given.structureFile ?? 'structure'];
  if (structure.species.length !== dos.nSites) throw new MismatchError(files, `the DOS has ${dos.nSites} sites, the structure ${structure.species.length}`);
  const i = dos.species ? dos.species.findIndex((s, k) => s !== structure.species[k]) : -1;
  if (i >= 0) throw new MismatchError(files, `site ${i + 1} is ${dos.species![i]} in the DOS and ${structure.species[i]} in the structure`);
}
