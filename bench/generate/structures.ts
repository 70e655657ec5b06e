import { writeFileSync } from 'node:fs';
import { buildLrlo } from '../../src/build/lrlo.js';
import { cartToFrac } from '../../src/model/lattice.js';
import { speciesGroups, type Structure } from '../../src/model/structure.js';
import { writePoscar } from '../../src/io/vasp/poscar-write.js';
import { ByteWriter } from './writer.js';
import { Rng } from './random.js';

/**
 * Layered Li-rich supercell of 36·n²·m atoms: Li2MnO3-like honeycomb TM layers with 15 % of the Mn given to Ni and
 * 10 % to Co, every atom jittered by up to 0.03 Å (the LRLO model builder, seeded).
 */
export function lrloCell(n: number, m: number, seed: number): Structure {
  return buildLrlo({ n, m, ni: 0.15, co: 0.1, jitter: 0.03, seed }).structure;
}

export function writeStructure(path: string, s: Structure): number {
  const text = writePoscar(s);
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}

/**
 * VASP 5 XDATCAR (constant cell) of `frames` frames: every atom does an Ornstein–Uhlenbeck walk of 0.08 Å rms
 * around its site and Li also drifts slowly in plane, coordinates wrapped into [0, 1) as VASP writes them.
 */
export function writeXdatcar(path: string, s: Structure, frames: number, seed: number): number {
  const rng = new Rng(seed);
  const n = s.species.length;
  const w = new ByteWriter(path);
  w.str('oxyscope bench MD (synthetic LRLO)').nl().str('           1').nl();
  for (let r = 0; r < 3; r++) w.spaces(1).fixed(s.lattice[3 * r], 12, 6).fixed(s.lattice[3 * r + 1], 12, 6).fixed(s.lattice[3 * r + 2], 12, 6).nl();
  const groups = speciesGroups(s.species);
  w.str(groups.map((g) => g.symbol.padStart(5)).join('')).nl();
  w.str(groups.map((g) => String(g.count).padStart(6)).join('')).nl();
  const sigma = 0.08;
  const phi = 0.9;
  const kick = sigma * Math.sqrt(1 - phi * phi);
  const u = new Float64Array(3 * n);
  const drift = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) u[3 * i + k] = sigma * rng.normal();
    if (s.species[i] === 'Li') {
      const t = 2 * Math.PI * rng.next();
      drift[3 * i] = 2e-4 * Math.cos(t);
      drift[3 * i + 1] = 2e-4 * Math.sin(t);
    }
  }
  const cart = new Float64Array(3 * n);
  for (let f = 0; f < frames; f++) {
    for (let k = 0; k < 3 * n; k++) {
      u[k] = phi * u[k] + kick * rng.normal();
      cart[k] = s.cart[k] + u[k] + drift[k] * f;
    }
    const frac = cartToFrac(s.lattice, cart);
    w.str(`Direct configuration=${String(f + 1).padStart(6)}`).nl();
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 3; k++) {
        let x = frac[3 * i + k];
        x -= Math.floor(x);
        // 0.999999996 would print as 1.00000000: keep coordinates inside [0, 1) as VASP does
        if (x >= 0.999999995) x = 0;
        w.fixed(x, 12, 8);
      }
      w.nl();
    }
  }
  return w.close();
}
