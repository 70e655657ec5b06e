import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './run.js';

/**
 * A made-up LixMn15Ni6Co3O72 series for the voltage tests, built in a folder: the model structures of
 * examples/lrlo/model (pristine Li48, delithiated Li24, migrated Li24) and the pristine cell with the last Li
 * removed (Li36, Li12, Li0), each with a small OUTCAR-like file holding only the lines oxyscope's OUTCAR reader
 * keeps (NIONS, the ionic-step energies, `reached required accuracy`, the timing block), written from the OUTCAR
 * layout of the real fixtures. The energies are made up (no real LixTMO2 series exists among the fixtures).
 */

export const MODEL = join(ROOT, 'examples/lrlo/model');

/** Li per cell → energy(sigma->0) per cell (eV, made up); `24m` is the migrated cell. TOTEN is 0.01 eV higher. */
export const ENERGIES: Record<string, number> = {
  x48: -936.0,
  x36: -860.3,
  x24: -784.584,
  x24m: -785.484,
  x12: -708.2,
  x0: -632.1,
};
export const LI_BCC_ENERGY = -3.8178; // two atoms: E_Li = −1.9089 eV/atom

/** The pristine POSCAR with its last `remove` Li sites dropped (Li is the first species group). */
export function withoutLi(poscar: string, remove: number): string {
  const lines = poscar.split('\n');
  lines[0] = `${lines[0]}, last ${remove} Li removed for the voltage tests`;
  const counts = lines[6].trim().split(/\s+/).map(Number);
  const nLi = counts[0];
  counts[0] = nLi - remove;
  lines[6] = `   ${counts.join('   ')}`;
  lines.splice(8 + nLi - remove, remove);
  if (counts[0] === 0) {
    lines[5] = lines[5].replace(/\bLi\b/, '');
    lines[6] = `   ${counts.slice(1).join('   ')}`;
  }
  return lines.join('\n');
}

export function outcar(nions: number, sigma0: number): string {
  return [
    ' vasp.6.3.0 18Jan22 (build Feb 08 2022 16:40:07) complex',
    ' executed on             LinuxIFC date 2026.12.03  07:00:00',
    ' running on    2 total cores',
    ` number of dos      NEDOS =    301   number of ions     NIONS =    ${nions}`,
    '   NSW    =     50    number of steps for IOM',
    '   IBRION =      2    ionic relax: 0-MD 1-quasi-New 2-CG',
    '  aborting loop because EDIFF is reached',
    `  free  energy   TOTEN  =     ${(sigma0 + 0.01).toFixed(8)} eV`,
    `  energy  without entropy=     ${(sigma0 + 0.005).toFixed(8)}  energy(sigma->0) =     ${sigma0.toFixed(8)}`,
    ' reached required accuracy - stopping structural energy minimisation',
    ' General timing and accounting informations for this job:',
    '',
  ].join('\n');
}

/** Writes the series (and a bcc Li folder `li`) into `dir`; returns the folder names. */
export function writeSeries(dir: string): string[] {
  const pristine = readFileSync(join(MODEL, 'pristine/POSCAR'), 'utf8');
  const structures: Record<string, string> = {
    x48: pristine,
    x36: withoutLi(pristine, 12),
    x24: readFileSync(join(MODEL, 'delithiated/POSCAR'), 'utf8'),
    x24m: readFileSync(join(MODEL, 'migrated/POSCAR'), 'utf8'),
    x12: withoutLi(pristine, 36),
    x0: withoutLi(pristine, 48),
  };
  for (const [name, poscar] of Object.entries(structures)) {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'CONTCAR'), poscar);
    const nions = poscar.split('\n')[6].trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0);
    writeFileSync(join(dir, name, 'OUTCAR'), outcar(nions, ENERGIES[name]));
  }
  mkdirSync(join(dir, 'li'), { recursive: true });
  writeFileSync(join(dir, 'li', 'POSCAR'), 'bcc Li (made up)\n1.0\n3.44 0 0\n0 3.44 0\n0 0 3.44\nLi\n2\nDirect\n0 0 0\n0.5 0.5 0.5\n');
  writeFileSync(join(dir, 'li', 'OUTCAR'), outcar(2, LI_BCC_ENERGY));
  return Object.keys(structures);
}
