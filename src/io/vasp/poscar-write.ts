import type { Structure } from '../../model/structure.js';
import { speciesGroups } from '../../model/structure.js';

/**
 * A number with 16 decimals when that reads back to the same double, else 17 significant digits (always exact):
 * write → read gives the same bits, which a fixed `%.16f` alone does not guarantee.
 */
function num(x: number): string {
  if (Object.is(x, -0)) return '-0.0000000000000000';
  const fixed = x.toFixed(16);
  return Number(fixed) === x ? fixed : x.toPrecision(17);
}

function row(values: ArrayLike<number>, at: number): string {
  return `  ${num(values[at]).padStart(22)} ${num(values[at + 1]).padStart(22)} ${num(values[at + 2]).padStart(22)}`;
}

/**
 * A VASP 5 POSCAR that reads back to the same structure: scale 1, clean element symbols, selective dynamics,
 * per-site labels and velocities when the structure has them. Direct coordinates unless `direct: false`.
 */
export function writePoscar(structure: Structure, options: { direct?: boolean } = {}): string {
  const direct = options.direct ?? true;
  const groups = speciesGroups(structure.species);
  const n = structure.species.length;
  const out: string[] = [structure.comment.replace(/[\r\n]+/g, ' ') || 'written by oxyscope', '   1.0'];
  for (let r = 0; r < 3; r++) out.push(row(structure.lattice, 3 * r));
  out.push(`   ${groups.map((g) => g.symbol.padEnd(4)).join(' ')}`);
  out.push(`   ${groups.map((g) => String(g.count).padEnd(4)).join(' ')}`);
  if (structure.selective) out.push('Selective dynamics');
  out.push(direct ? 'Direct' : 'Cartesian');
  const coords = direct ? structure.frac : structure.cart;
  const sel = structure.selective;
  for (let i = 0; i < n; i++) {
    let line = row(coords, 3 * i);
    if (sel) line += ` ${sel[3 * i] ? 'T' : 'F'} ${sel[3 * i + 1] ? 'T' : 'F'} ${sel[3 * i + 2] ? 'T' : 'F'}`;
    const label = structure.siteLabels?.[i];
    if (label) line += ` ${label}`;
    out.push(line);
  }
  if (structure.velocities) {
    out.push('');
    for (let i = 0; i < n; i++) out.push(row(structure.velocities, 3 * i));
  }
  return `${out.join('\n')}\n`;
}

/**
 * Extended XYZ (ASE / OVITO): one frame per structure, Cartesian Å, `Lattice` rows a b c, periodic in 3D.
 * Velocities (Å/fs) and selective-dynamics flags (`move_mask`, T = free, as ASE writes it) ride along when present.
 */
export function writeExtxyz(frames: Structure | Structure[]): string {
  const list = Array.isArray(frames) ? frames : [frames];
  const out: string[] = [];
  for (const s of list) {
    const n = s.species.length;
    let props = 'species:S:1:pos:R:3';
    if (s.velocities) props += ':vel:R:3';
    if (s.selective) props += ':move_mask:L:3';
    out.push(String(n));
    out.push(`Lattice="${Array.from(s.lattice, num).join(' ')}" Properties=${props} pbc="T T T"`);
    for (let i = 0; i < n; i++) {
      let line = `${s.species[i].padEnd(3)}${row(s.cart, 3 * i)}`;
      if (s.velocities) line += row(s.velocities, 3 * i);
      if (s.selective) line += ` ${[0, 1, 2].map((k) => (s.selective![3 * i + k] ? 'T' : 'F')).join(' ')}`;
      out.push(line);
    }
  }
  return `${out.join('\n')}\n`;
}
