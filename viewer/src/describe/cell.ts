import type { Repeat } from './atoms.js';

/** The 12 edges of the parallelepiped spanned by na·a, nb·b, nc·c, as line-segment pairs (72 floats, Å). */
export function cellEdges(lattice: ArrayLike<number>, rep: Repeat = { na: 1, nb: 1, nc: 1 }): Float32Array {
  const v = (i: number, n: number) => [lattice[3 * i] * n, lattice[3 * i + 1] * n, lattice[3 * i + 2] * n];
  const a = v(0, rep.na), b = v(1, rep.nb), c = v(2, rep.nc);
  const corner = (i: number, j: number, k: number) => [0, 1, 2].map((x) => i * a[x] + j * b[x] + k * c[x]);
  const out: number[] = [];
  for (const [p, q] of [
    [[0, 0, 0], [1, 0, 0]], [[0, 1, 0], [1, 1, 0]], [[0, 0, 1], [1, 0, 1]], [[0, 1, 1], [1, 1, 1]],
    [[0, 0, 0], [0, 1, 0]], [[1, 0, 0], [1, 1, 0]], [[0, 0, 1], [0, 1, 1]], [[1, 0, 1], [1, 1, 1]],
    [[0, 0, 0], [0, 0, 1]], [[1, 0, 0], [1, 0, 1]], [[0, 1, 0], [0, 1, 1]], [[1, 1, 0], [1, 1, 1]],
  ]) {
    out.push(...corner(p[0], p[1], p[2]), ...corner(q[0], q[1], q[2]));
  }
  return Float32Array.from(out);
}

/** Centre of the (repeated) cell, Å: where the camera orbits. */
export function cellCentre(lattice: ArrayLike<number>, rep: Repeat = { na: 1, nb: 1, nc: 1 }): [number, number, number] {
  return [0, 1, 2].map((k) => (rep.na * lattice[k] + rep.nb * lattice[3 + k] + rep.nc * lattice[6 + k]) / 2) as [number, number, number];
}

/**
 * Largest distance (Å) from the centre of the (repeated) cell to one of its corners, or, given a unit viewing
 * direction, from the viewing axis through the centre: what the camera must fit.
 */
export function cellRadius(lattice: ArrayLike<number>, rep: Repeat = { na: 1, nb: 1, nc: 1 }, dir?: [number, number, number]): number {
  const c = cellCentre(lattice, rep);
  const e = cellEdges(lattice, rep);
  let r = 0;
  for (let i = 0; i < e.length; i += 3) {
    const v = [e[i] - c[0], e[i + 1] - c[1], e[i + 2] - c[2]];
    const along = dir ? v[0] * dir[0] + v[1] * dir[1] + v[2] * dir[2] : 0;
    r = Math.max(r, Math.sqrt(Math.max(0, v[0] * v[0] + v[1] * v[1] + v[2] * v[2] - along * along)));
  }
  return r;
}
