import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLrlo } from '../../src/build/lrlo.js';
import { makeStructure, type Structure } from '../../src/model/structure.js';
import { writePoscar } from '../../src/io/vasp/poscar-write.js';

/**
 * A model NEB of one in-plane Mn hop in a delithiated Li2MnO3 cell (src/build/lrlo.ts, seed 1, n = 2: 144 sites,
 * 72 O): image 00 the delithiated cell, the last image the same cell with one Mn moved into the vacant TM-layer Li
 * site next to it, the images between linear in fractional coordinates along the minimum-image step.
 */
export function lrloHopImages(nImages = 5): { images: Structure[]; mover: number } {
  const a = buildLrlo({ variant: 'delithiated', seed: 1 }).structure;
  const model = buildLrlo({ variant: 'migrated', outOfPlane: 0, seed: 1 });
  const b = model.structure;
  const images: Structure[] = [];
  for (let k = 0; k < nImages; k++) {
    const t = k / (nImages - 1);
    const frac = Float64Array.from(a.frac, (x, i) => {
      const d = b.frac[i] - x;
      return x + t * (d - Math.round(d));
    });
    images.push(makeStructure({ comment: `lrlo hop image ${k}`, lattice: a.lattice, species: a.species, frac }));
  }
  return { images, mover: model.truth.moved[0].index };
}

/** The images as an NEB folder 00 … NN (POSCAR in each) under `dir`. */
export function writeLrloHop(dir: string, nImages = 5): string[] {
  const { images } = lrloHopImages(nImages);
  const names = images.map((_, k) => String(k).padStart(2, '0'));
  images.forEach((s, k) => {
    mkdirSync(join(dir, names[k]), { recursive: true });
    writeFileSync(join(dir, names[k], 'POSCAR'), writePoscar(s));
  });
  return names;
}

/** The images as a VASP 5 XDATCAR (constant cell, `Direct configuration=` frames) at `path`. */
export function writeLrloHopXdatcar(path: string, nImages = 5): void {
  const { images } = lrloHopImages(nImages);
  const s = images[0];
  const symbols: string[] = [];
  const counts: number[] = [];
  s.species.forEach((x) => (symbols[symbols.length - 1] === x ? counts[counts.length - 1]++ : (symbols.push(x), counts.push(1))));
  const rows = [0, 1, 2].map((r) => Array.from(s.lattice.subarray(3 * r, 3 * r + 3), (v) => v.toFixed(10)).join(' '));
  const lines = ['lrlo hop', '1.0', ...rows, symbols.join(' '), counts.join(' ')];
  images.forEach((im, k) => {
    lines.push(`Direct configuration=     ${k + 1}`);
    for (let i = 0; i < im.species.length; i++) lines.push(Array.from(im.frac.subarray(3 * i, 3 * i + 3), (v) => (v - Math.floor(v)).toFixed(10)).join(' '));
  });
  writeFileSync(path, `${lines.join('\n')}\n`);
}
