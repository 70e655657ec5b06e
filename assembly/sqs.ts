// SQS annealing; the WASM twin of src/kernels/js/sqs.ts (same steps, random stream and floating-point operations
// in the same order). Definitions on SqsProblem in src/kernels/types.ts.

import { alloc } from './arena';
import { F, I } from './cell';

@inline function setI(p: usize, i: i32, v: i32): void {
  store<i32>(p + (<usize>i << 2), v);
}

@inline function addI(p: usize, i: i32, v: i32): void {
  const q = p + (<usize>i << 2);
  store<i32>(q, load<i32>(q) + v);
}

@inline function setF(p: usize, i: i32, v: f64): void {
  store<f64>(p + (<usize>i << 3), v);
}

@inline function zeros(bytes: usize): usize {
  const p = alloc(bytes);
  memory.fill(p, 0, bytes);
  return p;
}

/** e^x for x ≤ 0 from basic operations only (the twin of expNeg in the JS engine). */
function expNeg(x: f64): f64 {
  if (x < -40) return 0;
  const y = x / 64;
  let p = 1.0;
  for (let k = 10.0; k >= 1.0; k -= 1.0) p = 1.0 + (y / k) * p;
  for (let k = 0; k < 6; k++) p *= p;
  return p;
}

let s0: u32 = 0, s1: u32 = 0, s2: u32 = 0, s3: u32 = 0, z: u32 = 0;

function mix(): u32 {
  z += 0x9e3779b9;
  let x = z;
  x = (x ^ (x >>> 16)) * 0x85ebca6b;
  x = (x ^ (x >>> 13)) * 0xc2b2ae35;
  return x ^ (x >>> 16);
}

@inline function next(): u32 {
  const r = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  return r;
}

@inline function below(n: i32): i32 {
  return <i32>((<u64>next() * <u64>n) >> 32);
}

@inline function pairKey(base: i32, nSp: i32, x: i32, y: i32): i32 {
  return base + select<i32>(x * nSp + y, y * nSp + x, x <= y);
}

// problem and state, set once per call
let nSp = 0, nShells = 0, nO = 0, nKeys = 0, classTM = 0;
let off: usize = 0, J: usize = 0, sub: usize = 0, tri: usize = 0, isTM: usize = 0, target: usize = 0, scale: usize = 0, triTarget: usize = 0;
let C: usize = 0, bin: usize = 0, h: usize = 0, occP: usize = 0;
let triW = 0.0, classCount = 0.0, classW = 0.0, invO = 0.0;

function tally(occ: usize, n: i32): void {
  memory.fill(C, 0, <usize>nKeys << 2);
  memory.fill(h, 0, 64);
  for (let i = 0; i < n; i++) {
    const oi = I(occ, i);
    for (let s = 0; s < nShells; s++) {
      const base = (I(sub, i) * nShells + s) * nSp * nSp;
      const e1 = I(off, i * nShells + s + 1);
      for (let e = I(off, i * nShells + s); e < e1; e++) addI(C, pairKey(base, nSp, oi, I(occ, I(J, e))), 1);
    }
  }
  for (let o = 0; o < nO; o++) {
    let t = 0, u = 0;
    for (let k = 0; k < 3; k++) t += I(isTM, I(occ, I(tri, 6 * o + k)));
    for (let k = 3; k < 6; k++) u += I(isTM, I(occ, I(tri, 6 * o + k)));
    setI(bin, o, 4 * t + u);
    addI(h, 4 * t + u, 1);
  }
}

function triangleTerm(): f64 {
  let f = 0.0;
  for (let b = 0; b < 16; b++) {
    const d = <f64>I(h, b) * invO - F(triTarget, b);
    f += d * d;
  }
  f *= triW;
  if (classTM >= 0) {
    let n = 0;
    for (let b = 0; b < 16; b++) if ((b >> 2) + (b & 3) == classTM) n += I(h, b);
    const d = <f64>n - classCount;
    f += classW * d * d;
  }
  return f;
}

function pairTerm(): f64 {
  let f = 0.0;
  for (let k = 0; k < nKeys; k++) {
    const d = <f64>I(C, k) - F(target, k);
    f += F(scale, k) * d * d;
  }
  return f;
}

// the pair keys one step changes, and by how much; the general path's neighbour balance per species
let changedKey: usize = 0, changedBy: usize = 0, D: usize = 0;

/**
 * Appends the keys of shell s that swapping i (species a) and j (b) changes, from index n; returns the new count.
 * D[x] = (neighbours x of j) − (neighbours x of i), not counting i, j: the key (a, x) changes by 2·D[x], (b, x)
 * by −2·D[x]; a pair i–j keeps its key (a, b); a pair of a site with its own image goes from (a, a) to (b, b) or
 * back (selfI, selfJ). Entries go in increasing x, (a, x) before (b, x), then (a, b): the JS twin's order, which
 * fixes the order of the floating-point sum over them. Each entry is written, and kept (n advanced) only when it
 * changes its key: no branch to mispredict.
 *
 * Packed: the neighbours of each species counted in 8-bit fields of one register (no store-to-load chain through
 * memory as when counting into an array), and only the species whose counts differ visited, besides a and b (the
 * others change nothing). Needs nSp ≤ 8 and fewer than 256 neighbours in a shell; sqsAnneal checks.
 */
@inline function packedShell(i: i32, j: i32, a: i32, b: i32, s: i32, base: i32, n: i32): i32 {
  let accI: u64 = 0, accJ: u64 = 0;
  let selfI = 0, selfJ = 0;
  for (let e = I(off, i * nShells + s), e1 = I(off, i * nShells + s + 1); e < e1; e++) {
    const q = I(J, e);
    if (q == j) continue;
    if (q == i) selfI++;
    else accI += <u64>1 << <u64>(I(occP, q) << 3);
  }
  for (let e = I(off, j * nShells + s), e1 = I(off, j * nShells + s + 1); e < e1; e++) {
    const q = I(J, e);
    if (q == i) continue;
    if (q == j) selfJ++;
    else accJ += <u64>1 << <u64>(I(occP, q) << 3);
  }
  const Da = <i32>((accJ >> <u64>(a << 3)) & 0xff) - <i32>((accI >> <u64>(a << 3)) & 0xff);
  const Db = <i32>((accJ >> <u64>(b << 3)) & 0xff) - <i32>((accI >> <u64>(b << 3)) & 0xff);
  // the high bit of every byte where the counts differ, and of a's and b's
  const t = accI ^ accJ;
  let m = ((t | ((t & 0x7f7f7f7f7f7f7f7f) + 0x7f7f7f7f7f7f7f7f)) & 0x8080808080808080) | (<u64>0x80 << <u64>(a << 3)) | (<u64>0x80 << <u64>(b << 3));
  while (m != 0) {
    const sh = ctz<u64>(m) - 7;
    m &= m - 1;
    const x = <i32>(sh >> 3);
    const dx = 2 * (<i32>((accJ >> sh) & 0xff) - <i32>((accI >> sh) & 0xff));
    n = push(n, pairKey(base, nSp, a, x), select<i32>(dx + selfJ - selfI, dx, x == a), x != b);
    n = push(n, pairKey(base, nSp, b, x), select<i32>(selfI - selfJ - dx, -dx, x == b), x != a);
  }
  return push(n, pairKey(base, nSp, a, b), 2 * (Db - Da), true);
}

/** packedShell for any number of species and neighbours: the balance counted into D, every species visited. */
@inline function generalShell(i: i32, j: i32, a: i32, b: i32, s: i32, base: i32, n: i32): i32 {
  const Ds = D + (<usize>(s * nSp) << 2);
  let selfI = 0, selfJ = 0;
  for (let e = I(off, i * nShells + s), e1 = I(off, i * nShells + s + 1); e < e1; e++) {
    const q = I(J, e);
    if (q == j) continue;
    if (q == i) selfI++;
    else addI(Ds, I(occP, q), -1);
  }
  for (let e = I(off, j * nShells + s), e1 = I(off, j * nShells + s + 1); e < e1; e++) {
    const q = I(J, e);
    if (q == i) continue;
    if (q == j) selfJ++;
    else addI(Ds, I(occP, q), 1);
  }
  for (let x = 0; x < nSp; x++) {
    const dx = 2 * I(Ds, x);
    n = push(n, pairKey(base, nSp, a, x), select<i32>(dx + selfJ - selfI, dx, x == a), x != b);
    n = push(n, pairKey(base, nSp, b, x), select<i32>(selfI - selfJ - dx, -dx, x == b), x != a);
  }
  n = push(n, pairKey(base, nSp, a, b), 2 * (I(Ds, b) - I(Ds, a)), true);
  memory.fill(Ds, 0, <usize>nSp << 2);
  return n;
}

/** Writes entry n (key k changes by d); the count advances only when `keep` and d ≠ 0. */
@inline function push(n: i32, k: i32, d: i32, keep: bool): i32 {
  setI(changedKey, n, k);
  setI(changedBy, n, d);
  return n + <i32>(keep && d != 0);
}

/**
 * Anneals `occ` (n i32, in place). trace gets traceLen f64; res gets [objective f64, accepted i32].
 */
export function sqsAnneal(
  occ: usize, n: i32, nSpecies: i32, group: usize, sublattice: usize, nSub: i32, tmFlags: usize,
  shells: i32, pairOffsets: usize, pairJ: usize, pairTarget: usize, pairScale: usize,
  triangles: usize, nTri: i32, triangleTarget: usize, triangleWeight: f64, classNTM: i32, classN: f64, classWeight: f64,
  steps: i32, t0: f64, cool: f64, seed: i32, traceLen: i32, trace: usize, res: usize,
): void {
  nSp = nSpecies; nShells = shells; nO = nTri; classTM = classNTM; occP = occ;
  off = pairOffsets; J = pairJ; sub = sublattice; tri = triangles; isTM = tmFlags; target = pairTarget; scale = pairScale;
  triTarget = triangleTarget; triW = triangleWeight; classCount = classN; classW = classWeight;
  nKeys = nSub * nShells * nSp * nSp;
  C = alloc(<usize>nKeys << 2);
  bin = alloc(<usize>nO << 2);
  h = alloc(64);

  let nGroups = 0;
  for (let i = 0; i < n; i++) if (I(group, i) + 1 > nGroups) nGroups = I(group, i) + 1;
  const gStart = zeros((<usize>nGroups + 1) << 2);
  for (let i = 0; i < n; i++) if (I(group, i) >= 0) addI(gStart, I(group, i) + 1, 1);
  for (let g = 0; g < nGroups; g++) addI(gStart, g + 1, I(gStart, g));
  const gSites = alloc(<usize>I(gStart, nGroups) << 2);
  const gFill = alloc(<usize>nGroups << 2);
  memory.copy(gFill, gStart, <usize>nGroups << 2);
  const gFirst = alloc(<usize>nGroups << 2);
  memory.fill(gFirst, 0xff, <usize>nGroups << 2);
  const gMixed = zeros(<usize>nGroups);
  for (let i = 0; i < n; i++) {
    const g = I(group, i);
    if (g < 0) continue;
    setI(gSites, I(gFill, g), i);
    addI(gFill, g, 1);
    if (I(gFirst, g) < 0) setI(gFirst, g, I(occ, i));
    else if (I(gFirst, g) != I(occ, i)) store<u8>(gMixed + <usize>g, 1);
  }
  let nMov = 0;
  for (let i = 0; i < n; i++) if (I(group, i) >= 0 && load<u8>(gMixed + <usize>I(group, i)) == 1) nMov++;
  const movable = alloc(<usize>nMov << 2);
  nMov = 0;
  for (let i = 0; i < n; i++) if (I(group, i) >= 0 && load<u8>(gMixed + <usize>I(group, i)) == 1) setI(movable, nMov++, i);

  const nTriE = 6 * nO;
  const oStart = zeros((<usize>n + 1) << 2);
  for (let e = 0; e < nTriE; e++) addI(oStart, I(tri, e) + 1, 1);
  for (let i = 0; i < n; i++) addI(oStart, i + 1, I(oStart, i));
  const oList = alloc(<usize>nTriE << 2);
  const oFill = alloc(<usize>n << 2);
  memory.copy(oFill, oStart, <usize>n << 2);
  let maxDeg = 0;
  for (let e = 0; e < nTriE; e++) {
    const site = I(tri, e);
    setI(oList, I(oFill, site), 2 * (e / 6) + (e % 6 < 3 ? 0 : 1));
    addI(oFill, site, 1);
  }
  for (let i = 0; i < n; i++) if (I(oStart, i + 1) - I(oStart, i) > maxDeg) maxDeg = I(oStart, i + 1) - I(oStart, i);

  tally(occ, n);
  invO = 1 / <f64>nO;
  let tri0 = triangleTerm();
  let Fv = pairTerm() + tri0;

  changedKey = alloc(<usize>(nShells * (2 * nSp + 1)) << 2);
  changedBy = alloc(<usize>(nShells * (2 * nSp + 1)) << 2);
  D = zeros(<usize>(nShells * nSp) << 2);
  let maxRow = 0;
  for (let row = 0; row < n * nShells; row++) if (I(off, row + 1) - I(off, row) > maxRow) maxRow = I(off, row + 1) - I(off, row);
  const packed = nSp <= 8 && maxRow < 256;
  const logCode = alloc(<usize>(2 * maxDeg) << 2);
  const logD = alloc(<usize>(2 * maxDeg) << 2);
  z = <u32>seed;
  s0 = mix(); s1 = mix(); s2 = mix(); s3 = mix();
  if ((s0 | s1 | s2 | s3) == 0) s0 = 1;
  const L = traceLen;
  const stepsF = <f64>steps;
  let r = 0;
  while (r < L && Math.floor((<f64>(r + 1) * stepsF) / <f64>L) == 0) setF(trace, r++, Fv);
  let T = t0;
  let accepted = 0;

  for (let step = 0; step < steps && nMov > 0; step++) {
    const i = I(movable, below(nMov));
    const a = I(occ, i);
    const g = I(group, i);
    const gs = I(gStart, g), gl = I(gStart, g + 1) - gs;
    let j = I(gSites, gs + below(gl));
    while (I(occ, j) == a) j = I(gSites, gs + below(gl));
    const b = I(occ, j);

    // i: a → b, j: b → a
    let nCh = 0;
    const base0 = I(sub, i) * nShells * nSp * nSp;
    if (packed) for (let s = 0; s < nShells; s++) nCh = packedShell(i, j, a, b, s, base0 + s * nSp * nSp, nCh);
    else for (let s = 0; s < nShells; s++) nCh = generalShell(i, j, a, b, s, base0 + s * nSp * nSp, nCh);
    let dF = 0.0;
    for (let t = 0; t < nCh; t++) {
      const k = I(changedKey, t);
      const before = <f64>I(C, k) - F(target, k);
      const after = <f64>(I(C, k) + I(changedBy, t)) - F(target, k);
      dF += F(scale, k) * (after * after - before * before);
    }
    let nLog = 0;
    let tri1 = tri0;
    const ta = I(isTM, a), tb = I(isTM, b);
    if (ta != tb) {
      for (let side = 0; side < 2; side++) {
        const q0 = side == 0 ? i : j;
        const d = side == 0 ? tb - ta : ta - tb;
        const e1 = I(oStart, q0 + 1);
        for (let e = I(oStart, q0); e < e1; e++) {
          const code = I(oList, e);
          const o = code >> 1;
          const db = (code & 1) == 0 ? 4 * d : d;
          const b0 = I(bin, o);
          addI(h, b0, -1);
          setI(bin, o, b0 + db);
          addI(h, b0 + db, 1);
          setI(logCode, nLog, o);
          setI(logD, nLog++, db);
        }
      }
      tri1 = triangleTerm();
      dF += tri1 - tri0;
    }

    if (dF <= 0 || <f64>next() / 4294967296.0 < expNeg(-dF / T)) {
      setI(occ, i, b);
      setI(occ, j, a);
      for (let t = 0; t < nCh; t++) addI(C, I(changedKey, t), I(changedBy, t));
      tri0 = tri1;
      Fv += dF;
      accepted++;
    } else {
      for (let l = nLog - 1; l >= 0; l--) {
        const o = I(logCode, l);
        const b0 = I(bin, o);
        addI(h, b0, -1);
        setI(bin, o, b0 - I(logD, l));
        addI(h, b0 - I(logD, l), 1);
      }
    }
    T *= cool;
    while (r < L && Math.floor((<f64>(r + 1) * stepsF) / <f64>L) <= <f64>(step + 1)) setF(trace, r++, Fv);
  }
  while (r < L) setF(trace, r++, Fv);
  tally(occ, n);
  store<f64>(res, pairTerm() + triangleTerm());
  store<i32>(res + 8, accepted);
}
