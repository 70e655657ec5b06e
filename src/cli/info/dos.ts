import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import type { InfoSummary, SummarizerTable } from './types.js';
import type { Dos } from '../../model/dos.js';
import { formula } from '../../model/structure.js';
import { readAll } from '../../io/source.js';
import { readDoscar, type DoscarOptions } from '../../io/vasp/doscar.js';
import { readVasprun } from '../../io/vasp/vasprun.js';
import { parsePoscar } from '../../io/vasp/poscar.js';
import { elementOfLabel } from '../../model/elements.js';
import { openSource } from '../../node/files.js';

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

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then((s) => s.isFile(), () => false);
}

/** Elements of a vasprun.xml's <atominfo> from its head, without reading the (possibly huge) rest. */
async function vasprunAtoms(path: string): Promise<string[] | undefined> {
  const dec = new TextDecoder('latin1');
  let text = '';
  for await (const c of (await openSource(path)).chunks()) {
    text += dec.decode(c, { stream: true });
    if (text.includes('</atominfo>') || text.length > 1 << 24) break;
  }
  const m = /<array name="atoms"\s*>([\s\S]*?)<\/array>/.exec(text);
  if (!m) return undefined;
  const atoms = [...m[1].matchAll(/<rc>\s*<c>([^<]*)<\/c>/g)].map((x) => x[1].trim());
  return atoms.map((a) => elementOfLabel(a) ?? a);
}

/** INCAR / vasprun.xml hints that resolve the 17-column DOSCAR ambiguity. */
async function noncollinearHint(dir: string): Promise<boolean | undefined> {
  const incar = join(dir, 'INCAR');
  if (await exists(incar)) {
    const t = await fs.readFile(incar, 'latin1');
    const on = /^\s*(LSORBIT|LNONCOLLINEAR)\s*=\s*\.?T/im.test(t.replace(/[#!].*$/gm, ''));
    return on;
  }
  const vr = join(dir, 'vasprun.xml');
  if (await exists(vr)) {
    const dec = new TextDecoder('latin1');
    let text = '';
    for await (const c of (await openSource(vr)).chunks()) {
      text += dec.decode(c, { stream: true });
      if (text.includes('</parameters>') || text.length > 1 << 24) break;
    }
    const m = /name="LNONCOLLINEAR">\s*(\S)/.exec(text.slice(text.indexOf('<parameters')));
    if (m) return m[1] === 'T';
  }
  return undefined;
}

/**
 * Species for a DOSCAR from the same folder: CONTCAR, then POSCAR, then vasprun.xml. Returns the options the
 * DOSCAR reader takes (species and where they came from, and a non-collinear hint when one is there).
 */
export async function doscarCompanions(path: string): Promise<DoscarOptions> {
  const dir = dirname(path);
  const opts: DoscarOptions = {};
  for (const n of ['CONTCAR', 'POSCAR']) {
    const p = join(dir, n);
    if (await exists(p)) {
      try {
        opts.species = parsePoscar(await readAll(await openSource(p)), p).species;
        opts.speciesFrom = p;
        break;
      } catch {
        // an unreadable companion only means no species; the DOSCAR itself is what was asked for
      }
    }
  }
  const vr = join(dir, 'vasprun.xml');
  if (!opts.species && (await exists(vr))) {
    const atoms = await vasprunAtoms(vr);
    if (atoms && atoms.length > 0) {
      opts.species = atoms;
      opts.speciesFrom = vr;
    }
  }
  const nc = await noncollinearHint(dir);
  if (nc !== undefined) opts.noncollinear = nc;
  return opts;
}

export const summarizers: SummarizerTable = {
  async doscar(source, kernels): Promise<InfoSummary> {
    const companions = await doscarCompanions(source.name);
    let dos: Dos;
    try {
      dos = await readDoscar(source, { kernels, ...companions });
    } catch (e) {
      // a companion from another run (other atom count) must not hide what the DOSCAR itself holds
      if (!companions.species || !(e instanceof Error && e.name === 'MismatchError')) throw e;
      dos = await readDoscar(source, { kernels, noncollinear: companions.noncollinear });
      dos.meta.warning = `${e.message}; species ignored`;
    }
    return {
      format: 'doscar',
      ...dosFields(dos),
      layout: dos.meta.layout ?? null,
      lorbit: dos.meta.lorbit ?? null,
      ...(dos.species ? { formula: formula(dos.species), speciesFrom: companions.speciesFrom } : {}),
      ...(dos.meta.warning ? { warnings: [dos.meta.warning] } : {}),
    };
  },
  async vasprun(source, kernels): Promise<InfoSummary> {
    const v = await readVasprun(source, { kernels });
    const dos = v.dos;
    return {
      format: 'vasprun',
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
      ...(v.warnings.length ? { warnings: v.warnings } : {}),
    };
  },
};
