import type { SqsProblem, SqsResult } from '../types.js';

/**
 * SQS annealing, the JS twin of assembly/sqs.ts: the same steps, random stream and floating-point operations in
 * the same order, so both engines return the same occupation and objective bits for a seed. The objective and the
 * move are defined on SqsProblem (types.ts). Per step only the pair keys and O touched by the two swapped sites are
 * updated; a rejected swap is undone from a log.
 */

/** e^x for x ≤ 0 from basic operations only (Math.exp may differ between engines in the last bit). */
export function expNeg(x: number): number {
  if (x < -40) return 0;
  const y = x / 64;
  let p = 1.0;
  for (let k = 10.0; k >= 1.0; k -= 1.0) p = 1.0 + (y / k) * p;
  for (let k = 0; k < 6; k++) p *= p;
  return p;
}

/** xoshiro128** seeded through splitmix32 (fmix32 finaliser): 32-bit integer maths only. */
export function makeRandom(seed: number): () => number {
  let z = seed | 0;
  const mix = (): number => {
    z = (z + 0x9e3779b9) | 0;
    let x = z;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    return x ^ (x >>> 16);
  };
  let s0 = mix(), s1 = mix(), s2 = mix(), s3 = mix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  return () => {
    const m = Math.imul(s1, 5);
    const r = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return r;
  };
}

interface State {
  C: Int32Array;
  /** (t, u) bin 4t + u of every O */
  bin: Int32Array;
  h: Int32Array;
}

function pairKey(base: number, nSp: number, x: number, y: number): number {
  return x <= y ? base + x * nSp + y : base + y * nSp + x;
}

/** Pair counts and triangle bins of an occupation, from scratch. */
function tally(p: SqsProblem, occ: Int32Array, st: State): void {
  const { nShells, nSpecies: nSp, pairOffsets: off, pairJ: J, sublattice: sub, triangles: tri, isTM } = p;
  st.C.fill(0);
  st.h.fill(0);
  const n = occ.length;
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < nShells; s++) {
      const base = (sub[i] * nShells + s) * nSp * nSp;
      for (let e = off[i * nShells + s]; e < off[i * nShells + s + 1]; e++) st.C[pairKey(base, nSp, occ[i], occ[J[e]])]++;
    }
  }
  const nO = tri.length / 6;
  for (let o = 0; o < nO; o++) {
    let t = 0, u = 0;
    for (let k = 0; k < 3; k++) t += isTM[occ[tri[6 * o + k]]];
    for (let k = 3; k < 6; k++) u += isTM[occ[tri[6 * o + k]]];
    st.bin[o] = 4 * t + u;
    st.h[4 * t + u]++;
  }
}

function triangleTerm(p: SqsProblem, h: Int32Array, invO: number): number {
  let f = 0.0;
  for (let b = 0; b < 16; b++) {
    const d = h[b] * invO - p.triangleTarget[b];
    f += d * d;
  }
  f *= p.triangleWeight;
  if (p.classTM >= 0) {
    let n = 0;
    for (let b = 0; b < 16; b++) if ((b >> 2) + (b & 3) === p.classTM) n += h[b];
    const d = n - p.classCount;
    f += p.classWeight * d * d;
  }
  return f;
}

function pairTerm(p: SqsProblem, C: Int32Array): number {
  let f = 0.0;
  for (let k = 0; k < C.length; k++) {
    const d = C[k] - p.pairTarget[k];
    f += p.pairScale[k] * d * d;
  }
  return f;
}

export function sqsAnneal(p: SqsProblem): SqsResult {
  const { nShells, nSpecies: nSp, pairOffsets: off, pairJ: J, sublattice: sub, triangles: tri, isTM, group, pairTarget, pairScale } = p;
  const n = p.occupation.length;
  const nO = tri.length / 6;
  const nKeys = p.nSublattices * nShells * nSp * nSp;
  const occ = Int32Array.from(p.occupation);
  const st: State = { C: new Int32Array(nKeys), bin: new Int32Array(nO), h: new Int32Array(16) };

  // sites of each group, and the sites that can move (their group holds two species or more)
  let nGroups = 0;
  for (let i = 0; i < n; i++) if (group[i] + 1 > nGroups) nGroups = group[i] + 1;
  const gStart = new Int32Array(nGroups + 1);
  for (let i = 0; i < n; i++) if (group[i] >= 0) gStart[group[i] + 1]++;
  for (let g = 0; g < nGroups; g++) gStart[g + 1] += gStart[g];
  const gSites = new Int32Array(gStart[nGroups]);
  const gFill = gStart.slice(0, nGroups);
  const gFirst = new Int32Array(nGroups).fill(-1);
  const gMixed = new Uint8Array(nGroups);
  for (let i = 0; i < n; i++) {
    const g = group[i];
    if (g < 0) continue;
    gSites[gFill[g]++] = i;
    if (gFirst[g] < 0) gFirst[g] = occ[i];
    else if (gFirst[g] !== occ[i]) gMixed[g] = 1;
  }
  let nMov = 0;
  for (let i = 0; i < n; i++) if (group[i] >= 0 && gMixed[group[i]] === 1) nMov++;
  const movable = new Int32Array(nMov);
  nMov = 0;
  for (let i = 0; i < n; i++) if (group[i] >= 0 && gMixed[group[i]] === 1) movable[nMov++] = i;

  // O around each site, coded 2·o + side (0: the site is in the O's TM-layer triangle, 1: Li-layer)
  const oStart = new Int32Array(n + 1);
  for (let e = 0; e < tri.length; e++) oStart[tri[e] + 1]++;
  for (let i = 0; i < n; i++) oStart[i + 1] += oStart[i];
  const oList = new Int32Array(tri.length);
  const oFill = oStart.slice(0, n);
  let maxDeg = 0;
  for (let e = 0; e < tri.length; e++) oList[oFill[tri[e]]++] = 2 * ((e / 6) | 0) + (e % 6 < 3 ? 0 : 1);
  for (let i = 0; i < n; i++) if (oStart[i + 1] - oStart[i] > maxDeg) maxDeg = oStart[i + 1] - oStart[i];

  tally(p, occ, st);
  const { C, bin, h } = st;
  const invO = 1 / nO;
  let tri0 = triangleTerm(p, h, invO);
  let F = pairTerm(p, C) + tri0;

  // per-step neighbour balance (see the step) and the pair keys changed, for the update
  const D = new Int32Array(nShells * nSp);
  const changedKey = new Int32Array(nShells * (2 * nSp + 1)), changedBy = new Int32Array(nShells * (2 * nSp + 1));
  const logCode = new Int32Array(2 * maxDeg);
  const logD = new Int32Array(2 * maxDeg);
  const trace = new Float64Array(p.traceLength);
  const rnd = makeRandom(p.seed);
  const L = p.traceLength;
  const steps = p.steps;
  let r = 0;
  while (r < L && Math.floor(((r + 1) * steps) / L) === 0) trace[r++] = F;
  let T = p.t0;
  let accepted = 0;
  for (let step = 0; step < steps && nMov > 0; step++) {
    const i = movable[Math.floor((rnd() * nMov) / 4294967296)];
    const a = occ[i];
    const g = group[i];
    const gs = gStart[g], gl = gStart[g + 1] - gs;
    let j = gSites[gs + Math.floor((rnd() * gl) / 4294967296)];
    while (occ[j] === a) j = gSites[gs + Math.floor((rnd() * gl) / 4294967296)];
    const b = occ[j];

    // i: a → b, j: b → a. D[s·nSp + x] = (neighbours x of j) − (neighbours x of i), not counting i, j: the key
    // (a, x) changes by 2·D[x], (b, x) by −2·D[x]. A pair i–j keeps its key (a, b); a pair of a site with its own
    // image goes from (a, a) to (b, b) or back (selfI, selfJ)
    let nChanged = 0;
    for (let s = 0; s < nShells; s++) {
      const o = s * nSp;
      let selfI = 0, selfJ = 0;
      for (let e = off[i * nShells + s]; e < off[i * nShells + s + 1]; e++) {
        const q = J[e];
        if (q === j) continue;
        if (q === i) selfI++;
        else D[o + occ[q]]--;
      }
      for (let e = off[j * nShells + s]; e < off[j * nShells + s + 1]; e++) {
        const q = J[e];
        if (q === i) continue;
        if (q === j) selfJ++;
        else D[o + occ[q]]++;
      }
      const base = (sub[i] * nShells + s) * nSp * nSp;
      for (let x = 0; x < nSp; x++) {
        const dx = 2 * D[o + x];
        const dA = x === a ? dx + selfJ - selfI : dx;
        const dB = x === b ? selfI - selfJ - dx : -dx;
        if (x !== b && dA !== 0) {
          changedKey[nChanged] = pairKey(base, nSp, a, x);
          changedBy[nChanged++] = dA;
        }
        if (x !== a && dB !== 0) {
          changedKey[nChanged] = pairKey(base, nSp, b, x);
          changedBy[nChanged++] = dB;
        }
      }
      const dab = 2 * (D[o + b] - D[o + a]);
      if (dab !== 0) {
        changedKey[nChanged] = pairKey(base, nSp, a, b);
        changedBy[nChanged++] = dab;
      }
      for (let x = 0; x < nSp; x++) D[o + x] = 0;
    }
    let dF = 0.0;
    for (let t = 0; t < nChanged; t++) {
      const k = changedKey[t];
      const before = C[k] - pairTarget[k];
      const after = C[k] + changedBy[t] - pairTarget[k];
      dF += pairScale[k] * (after * after - before * before);
    }
    let nLog = 0;
    let tri1 = tri0;
    if (isTM[a] !== isTM[b]) {
      for (let side = 0; side < 2; side++) {
        const q0 = side === 0 ? i : j;
        const d = side === 0 ? isTM[b] - isTM[a] : isTM[a] - isTM[b];
        for (let e = oStart[q0]; e < oStart[q0 + 1]; e++) {
          const code = oList[e];
          const o = code >> 1;
          const db = (code & 1) === 0 ? 4 * d : d;
          h[bin[o]]--;
          bin[o] += db;
          h[bin[o]]++;
          logCode[nLog] = o;
          logD[nLog++] = db;
        }
      }
      tri1 = triangleTerm(p, h, invO);
      dF += tri1 - tri0;
    }

    if (dF <= 0 || rnd() / 4294967296 < expNeg(-dF / T)) {
      occ[i] = b;
      occ[j] = a;
      for (let t = 0; t < nChanged; t++) C[changedKey[t]] += changedBy[t];
      tri0 = tri1;
      F += dF;
      accepted++;
    } else {
      for (let l = nLog - 1; l >= 0; l--) {
        const o = logCode[l];
        h[bin[o]]--;
        bin[o] -= logD[l];
        h[bin[o]]++;
      }
    }
    T *= p.cool;
    while (r < L && Math.floor(((r + 1) * steps) / L) <= step + 1) trace[r++] = F;
  }
  while (r < L) trace[r++] = F;
  tally(p, occ, st);
  return { occupation: occ, objective: pairTerm(p, st.C) + triangleTerm(p, st.h, invO), trace, accepted };
}
