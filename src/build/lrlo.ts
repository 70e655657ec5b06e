import { makeStructure, formula, type Structure } from '../model/structure.js';
import { cartToFrac } from '../model/lattice.js';
import { UsageError } from '../errors.js';

/**
 * Deterministic builder of model Li-rich layered oxide supercells (model structures, not DFT results).
 *
 * Geometry: O3 layered oxide, R-3m hexagonal setting (a, c, O at 6c (0,0,±u)); TM layers on 3a (z = 0, 1/3, 2/3),
 * Li layers on 3b (z = 1/6, 1/2, 5/6), a cubic-close-packed ABC O sublattice, every cation on an octahedral site.
 * With a = 2.85 Å, c = 14.25 Å, u = 0.26: TM–O = 1.95 Å, Li–O = 2.12 Å, cation–cation = 2.85 Å in plane, 2.88 Å
 * between adjacent layers. The base cell is the √3×√3 in-plane supercell (A = a1 − a2, B = a1 + 2a2, γ = 120°) of the
 * hexagonal cell: 36 atoms, Li12Mn6O18 = 6 Li2MnO3. Each TM layer is Li1/3Mn2/3 with the Li on the sites
 * (x + y) ≡ 0 (mod 3) of the hexagonal grid, so Mn forms a honeycomb around each Li (Mn–TM3) and every O has
 * 2 TM + 4 Li (O4). Ni/Co replace a seeded share of the Mn sites.
 *
 * Variants: `pristine`; `delithiated` (a share of the Li removed, TM-layer Li first); `migrated` (delithiated, then
 * `inPlane` Mn each moved into a vacant TM-layer Li site next to it, and `outOfPlane` Ni each moved onto a vacant
 * Li-layer site directly above or below). All choices come from one seeded PRNG consumed in the same order by every
 * variant, so the three variants of one seed share substitution, removed Li and site order.
 */
export type LrloVariant = 'pristine' | 'delithiated' | 'migrated';

export interface LrloOptions {
  /** in-plane repeats of the √3×√3 base cell (default 2) */
  n?: number;
  /** repeats along c (default 1) */
  m?: number;
  variant?: LrloVariant;
  /** hexagonal lattice parameters, Å (defaults 2.85, 14.25) and the O parameter u (default 0.26) */
  a?: number;
  c?: number;
  u?: number;
  /** share of the Mn sites given to Ni / Co (defaults 0) */
  ni?: number;
  co?: number;
  /** share of all Li removed in `delithiated` and `migrated` (default 0.5) */
  delithiation?: number;
  /** Mn moved in plane (default 1) and Ni moved out of plane (default 1) in `migrated` */
  inPlane?: number;
  outOfPlane?: number;
  seed?: number;
  /** random displacement of every atom, at most this many Å (default 0: ideal positions) */
  jitter?: number;
}

export interface MovedAtom {
  /** index of the atom in the built structure */
  index: number;
  species: string;
  kind: 'inPlane' | 'outOfPlane';
  /** fractional coordinates before and after the move (ideal sites) */
  from: [number, number, number];
  to: [number, number, number];
  /** length of the move, Å */
  displacement: number;
}

export interface LrloModel {
  structure: Structure;
  variant: LrloVariant;
  options: Required<LrloOptions>;
  truth: { removedLi: number; moved: MovedAtom[] };
}

const DEFAULTS: Required<LrloOptions> = {
  n: 2, m: 1, variant: 'pristine', a: 2.85, c: 14.25, u: 0.26, ni: 0, co: 0, delithiation: 0.5, inPlane: 1, outOfPlane: 1, seed: 1, jitter: 0,
};

const ORDER = ['Li', 'Mn', 'Ni', 'Co', 'O'];

/** mulberry32: small, fast, good enough for choosing sites; the same seed gives the same model everywhere. */
function prng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(xs: T[], rnd: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

interface Site {
  species: string;
  frac: [number, number, number];
  /** global cation layer number along c (0 … 6m−1), -1 for O */
  layer: number;
  role: 'tm' | 'tmLi' | 'li' | 'O';
  present: boolean;
}

function wrap(x: number): number {
  const w = x - Math.floor(x);
  return w > 1 - 1e-9 ? 0 : w;
}

function check(o: Required<LrloOptions>): void {
  const int = (k: keyof LrloOptions, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) throw new UsageError(`lrlo builder: ${k} must be an integer ≥ ${min} (got ${v})`);
  };
  int('n', o.n, 1);
  int('m', o.m, 1);
  int('inPlane', o.inPlane, 0);
  int('outOfPlane', o.outOfPlane, 0);
  for (const k of ['ni', 'co', 'delithiation'] as const) {
    if (!(o[k] >= 0 && o[k] <= 1)) throw new UsageError(`lrlo builder: ${k} must be in [0, 1] (got ${o[k]})`);
  }
  if (o.ni + o.co > 1) throw new UsageError('lrlo builder: ni + co must not exceed 1');
  for (const k of ['a', 'c', 'u'] as const) if (!(o[k] > 0)) throw new UsageError(`lrlo builder: ${k} must be positive`);
  if (!(o.jitter >= 0)) throw new UsageError('lrlo builder: jitter must be ≥ 0');
  if (!['pristine', 'delithiated', 'migrated'].includes(o.variant)) throw new UsageError(`lrlo builder: unknown variant ${o.variant}`);
}

export function buildLrlo(options: LrloOptions = {}): LrloModel {
  const o: Required<LrloOptions> = { ...DEFAULTS, ...options };
  check(o);
  const { n, m, a, c, u } = o;
  const rnd = prng(o.seed);
  const lattice = new Float64Array([n * 1.5 * a, -n * (Math.sqrt(3) / 2) * a, 0, 0, n * Math.sqrt(3) * a, 0, 0, 0, m * c]);
  // hexagonal grid point (x, y) in units of a1, a2 → fractional (A, B) of the supercell
  const inPlane = (x: number, y: number): [number, number] => [(2 * x - y) / (3 * n), (x + y) / (3 * n)];

  const centring: [number, number, number][] = [[0, 0, 0], [2 / 3, 1 / 3, 1 / 3], [1 / 3, 2 / 3, 2 / 3]];
  const sites: Site[] = [];
  for (let rep = 0; rep < m; rep++) {
    for (const [sx, sy, sz] of centring) {
      const layers: { z: number; kind: 'tm' | 'li' | 'O' }[] = [
        { z: sz, kind: 'tm' },
        { z: sz + 0.5, kind: 'li' },
        { z: sz + u, kind: 'O' },
        { z: sz - u, kind: 'O' },
      ];
      for (const L of layers) {
        const zc = wrap(L.z);
        const zf = (rep + zc) / m;
        const layer = L.kind === 'O' ? -1 : rep * 6 + Math.round(zc * 6);
        for (let x = -n - 1; x <= 2 * n + 1; x++) {
          for (let y = -n - 1; y <= 2 * n + 1; y++) {
            const [fa, fb] = inPlane(x + sx, y + sy);
            if (fa < -1e-9 || fa >= 1 - 1e-9 || fb < -1e-9 || fb >= 1 - 1e-9) continue;
            const frac: [number, number, number] = [wrap(fa), wrap(fb), zf];
            if (L.kind === 'O') sites.push({ species: 'O', frac, layer, role: 'O', present: true });
            else if (L.kind === 'li') sites.push({ species: 'Li', frac, layer, role: 'li', present: true });
            else {
              const honeycombLi = (((x + y) % 3) + 3) % 3 === 0;
              sites.push({ species: honeycombLi ? 'Li' : 'Mn', frac, layer, role: honeycombLi ? 'tmLi' : 'tm', present: true });
            }
          }
        }
      }
    }
  }
  const perLayer = 3 * n * n;
  if (sites.length !== 12 * perLayer * m) throw new Error(`lrlo builder: ${sites.length} sites instead of ${12 * perLayer * m}`);
  sites.sort((p, q) => p.frac[2] - q.frac[2] || p.frac[1] - q.frac[1] || p.frac[0] - q.frac[0]);

  const mn = sites.filter((s) => s.role === 'tm');
  const order = shuffle(mn.slice(), rnd);
  const nNi = Math.round(o.ni * mn.length);
  const nCo = Math.round(o.co * mn.length);
  order.slice(0, nNi).forEach((s) => (s.species = 'Ni'));
  order.slice(nNi, nNi + nCo).forEach((s) => (s.species = 'Co'));

  let removedLi = 0;
  if (o.variant !== 'pristine') {
    const tmLi = shuffle(sites.filter((s) => s.role === 'tmLi'), rnd);
    const liLi = shuffle(sites.filter((s) => s.role === 'li'), rnd);
    const remove = Math.round(o.delithiation * (tmLi.length + liLi.length));
    for (const s of [...tmLi, ...liLi].slice(0, remove)) s.present = false;
    removedLi = remove;
  }

  const dist = (p: [number, number, number], q: [number, number, number]): number => {
    let best = Infinity;
    for (let i = -1; i <= 1; i++) {
      for (let j = -1; j <= 1; j++) {
        for (let k = -1; k <= 1; k++) {
          const d = [q[0] - p[0] + i, q[1] - p[1] + j, q[2] - p[2] + k];
          const x = d[0] * lattice[0] + d[1] * lattice[3] + d[2] * lattice[6];
          const y = d[0] * lattice[1] + d[1] * lattice[4] + d[2] * lattice[7];
          const z = d[0] * lattice[2] + d[1] * lattice[5] + d[2] * lattice[8];
          best = Math.min(best, Math.hypot(x, y, z));
        }
      }
    }
    return best;
  };
  // nearest cation–cation distance: a in plane, slightly more between adjacent layers; the next shell is at √3·a
  const NEAR = Math.max(a, Math.hypot(a / Math.sqrt(3), c / 6)) * 1.05;

  const moves: { site: Site; kind: MovedAtom['kind']; from: [number, number, number]; to: [number, number, number] }[] = [];
  if (o.variant === 'migrated') {
    const vacancies = shuffle(sites.filter((s) => s.role === 'tmLi' && !s.present), rnd);
    const moved = new Set<Site>();
    for (const v of vacancies) {
      if (moves.length === o.inPlane) break;
      const cands = mn.filter((s) => s.species === 'Mn' && !moved.has(s) && s.layer === v.layer && dist(s.frac, v.frac) < NEAR);
      if (cands.length === 0) continue;
      const s = cands[Math.floor(rnd() * cands.length)];
      moved.add(s);
      moves.push({ site: s, kind: 'inPlane', from: s.frac, to: v.frac });
    }
    if (moves.length < o.inPlane) throw new UsageError(`lrlo builder: only ${moves.length} TM-layer Li vacancies next to Mn for ${o.inPlane} in-plane moves; raise delithiation or the cell size`);
    const liVac = sites.filter((s) => s.role === 'li' && !s.present);
    const used = new Set<Site>();
    const nis = shuffle(mn.filter((s) => s.species === 'Ni'), rnd);
    let out = 0;
    for (const s of nis) {
      if (out === o.outOfPlane) break;
      const cands = liVac.filter((v) => !used.has(v) && dist(s.frac, v.frac) < NEAR);
      if (cands.length === 0) continue;
      const v = cands[Math.floor(rnd() * cands.length)];
      used.add(v);
      moves.push({ site: s, kind: 'outOfPlane', from: s.frac, to: v.frac });
      out++;
    }
    if (out < o.outOfPlane) throw new UsageError(`lrlo builder: only ${out} Ni next to a Li-layer vacancy for ${o.outOfPlane} out-of-plane moves; add Ni, raise delithiation or the cell size`);
    for (const mv of moves) mv.site.frac = mv.to;
  }

  const jr = prng(o.seed ^ 0x9e3779b9);
  const kept: Site[] = [];
  const jitter = new Map<Site, [number, number, number]>();
  for (const s of sites) {
    // one draw per site in every variant, so the same site gets the same jitter in all of them
    const dx = jr() * 2 - 1, dy = jr() * 2 - 1, dz = jr() * 2 - 1;
    if (s.present) kept.push(s);
    jitter.set(s, [dx, dy, dz]);
  }
  kept.sort((p, q) => ORDER.indexOf(p.species) - ORDER.indexOf(q.species));

  const N = kept.length;
  const species = kept.map((s) => s.species);
  const frac = new Float64Array(3 * N);
  kept.forEach((s, i) => frac.set(s.frac, 3 * i));
  if (o.jitter > 0) {
    const shift = new Float64Array(3 * N);
    kept.forEach((s, i) => {
      const [dx, dy, dz] = jitter.get(s)!;
      const r = Math.hypot(dx, dy, dz) || 1;
      const scale = (o.jitter * Math.min(1, r)) / r;
      shift.set([dx * scale, dy * scale, dz * scale], 3 * i);
    });
    const df = cartToFrac(lattice, shift);
    for (let k = 0; k < frac.length; k++) frac[k] += df[k];
  }
  const index = new Map(kept.map((s, i) => [s, i]));
  const moved: MovedAtom[] = moves
    .map((mv) => ({ index: index.get(mv.site)!, species: mv.site.species, kind: mv.kind, from: mv.from, to: mv.to, displacement: dist(mv.from, mv.to) }))
    .sort((p, q) => p.index - q.index);
  const label = `Li2MnO3-like O3 layered (${formula(species)}), ${o.variant}, ${n}x${n}x${m} of the sqrt3 x sqrt3 cell, seed ${o.seed}`;
  const structure = makeStructure({ comment: `oxyscope model structure (not a DFT result): ${label}`, lattice, species, frac });
  return { structure, variant: o.variant, options: o, truth: { removedLi, moved } };
}
