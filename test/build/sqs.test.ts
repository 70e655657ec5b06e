import { describe, expect, it } from 'vitest';
import { bothEngines, freshWasm } from '../kernels/engines.js';
import { generateSqs, prepareSqs, seedProblem } from '../../src/build/sqs/generate.js';
import { apportion, parseFormula } from '../../src/build/sqs/composition.js';
import { expNeg } from '../../src/kernels/js/sqs.js';
import { writePoscar } from '../../src/io/vasp/poscar-write.js';
import { parsePoscar } from '../../src/io/vasp/poscar.js';
import { readFileSync } from 'node:fs';
import type { Structure } from '../../src/model/structure.js';
import { KernelInputError, UsageError } from '../../src/errors.js';

const [js, wasm] = await bothEngines();
const LRLO = 'Li1.2Mn0.54Ni0.13Co0.13O2';
const A = 2.85;
const TMS = new Set(['Mn', 'Ni', 'Co']);

/** In the built-in r3m cell repeated C times along c, cation layers sit at z = k/(6C): k even on TM layers, odd on Li layers. */
function layerOf(s: Structure, i: number, c: number): 'tm' | 'li' {
  const k = Math.round(s.frac[3 * i + 2] * 6 * c);
  expect(Math.abs(s.frac[3 * i + 2] * 6 * c - k)).toBeLessThan(1e-9);
  return k % 2 === 0 ? 'tm' : 'li';
}

function countOn(s: Structure, c: number, layer: 'tm' | 'li'): Record<string, number> {
  const out: Record<string, number> = {};
  s.species.forEach((e, i) => {
    if (e !== 'O' && layerOf(s, i, c) === layer) out[e] = (out[e] ?? 0) + 1;
  });
  return out;
}

/**
 * In-plane neighbours of site i in the same layer, by brute force over images: every (j, image) whose in-plane vector
 * has length k·a for the shell lengths a, √3·a, 2a (shells 1–3 of the triangular lattice).
 */
function inPlane(s: Structure, i: number): { j: number; shell: number }[] {
  const L = s.lattice;
  const out: { j: number; shell: number }[] = [];
  const shells = [A, Math.sqrt(3) * A, 2 * A];
  for (let j = 0; j < s.species.length; j++) {
    if (s.species[j] === 'O' || Math.abs(s.frac[3 * j + 2] - s.frac[3 * i + 2]) > 1e-9) continue;
    for (let a = -3; a <= 3; a++) {
      for (let b = -3; b <= 3; b++) {
        const d0 = s.frac[3 * j] - s.frac[3 * i] + a, d1 = s.frac[3 * j + 1] - s.frac[3 * i + 1] + b;
        const r = Math.hypot(d0 * L[0] + d1 * L[3], d0 * L[1] + d1 * L[4]);
        const k = shells.findIndex((x) => Math.abs(x - r) < 0.01);
        if (k >= 0) out.push({ j, shell: k + 1 });
      }
    }
  }
  return out;
}

describe('sqs composition', () => {
  it('reads formulas and rounds by largest remainder', () => {
    expect(parseFormula(LRLO)).toEqual([['Li', 1.2], ['Mn', 0.54], ['Ni', 0.13], ['Co', 0.13], ['O', 2]]);
    expect(parseFormula('Li2MnO3')).toEqual([['Li', 2], ['Mn', 1], ['O', 3]]);
    // 54 × (0.2, 0.54, 0.13, 0.13) = 10.8, 29.16, 7.02, 7.02 → floors 10, 29, 7, 7 (53); the largest remainder (0.8) gets the last site
    expect(apportion([0.2, 0.54, 0.13, 0.13], 54)).toEqual([11, 29, 7, 7]);
    expect(() => parseFormula('Li1.2Xx0.8O2')).toThrow(UsageError);
  });

  it('composition and sublattices exact: Li1.2Mn0.54Ni0.13Co0.13O2, 3x3x2, delithiated 0.4 with 0.8 of the TM-layer Li', () => {
    const run = generateSqs({ composition: LRLO, supercell: [3, 3, 2], delithiate: 0.4, tmLayerLi: 0.8, steps: 20000 }, wasm);
    const m = run.models[0];
    // 3×3×2 hexagonal cells: 54 TM-layer, 54 Li-layer, 108 O sites. TM layer: Li 11, Mn 29, Ni 7, Co 7 (above);
    // 0.4 × 54 = 21.6 → 22 Li removed, 0.8 × 11 = 8.8 → 9 of them from the TM layer, 13 from the Li layer
    expect(countOn(m.structure, 2, 'tm')).toEqual({ Li: 2, Mn: 29, Ni: 7, Co: 7 });
    expect(countOn(m.structure, 2, 'li')).toEqual({ Li: 41 });
    expect(m.structure.species.filter((e) => e === 'O')).toHaveLength(108);
    expect(countOn(m.reference!, 2, 'tm')).toEqual({ Li: 11, Mn: 29, Ni: 7, Co: 7 });
    expect(countOn(m.reference!, 2, 'li')).toEqual({ Li: 54 });
    expect(run.composition.rounding).toContain('Li 10.8 → 11, Mn 29.16 → 29, Ni 7.02 → 7, Co 7.02 → 7');
    expect(run.composition.rounding).toContain('21.6 → 22 Li removed: 9 from the TM layer (8.8 → 9) and 13 from the Li layer');
    // the census counts the 22 vacancies on the pristine sites: 6 sites per O, 108 O, each site shared by 6 O → 22 × 6 vacancy slots
    expect(m.census.sites.reduce((a, x) => a + x.vacancies, 0)).toBe(22 * 6);
    const header = writePoscar(m.structure).split('\n');
    expect(header[0]).toMatch(/^oxyscope model structure \(not a DFT result\): SQS .*seed 1, objective [0-9.e-]+ \(random, 3 shells\)/);
    expect(header[5].trim().split(/\s+/)).toEqual(['Li', 'Mn', 'Ni', 'Co', 'O']);
  });

  it('a user parent (the bundled Li2MnO3-like model POSCAR, √3×√3 cell ×2 in plane): its sites, exact counts, honeycomb all O4', () => {
    const parent = parsePoscar(readFileSync('examples/lrlo/model/pristine/POSCAR'), 'POSCAR');
    const lr = generateSqs({ composition: LRLO, supercell: [1, 1, 1], parent, steps: 20000 }, js).models[0];
    // 36 TM-layer sites: 36 × (0.2, 0.54, 0.13, 0.13) = 7.2, 19.44, 4.68, 4.68 → floors 7, 19, 4, 4 (34); the two largest remainders (.68, .68) → Ni 5, Co 5
    expect(countOn(lr.structure, 1, 'tm')).toEqual({ Li: 7, Mn: 19, Ni: 5, Co: 5 });
    expect(countOn(lr.structure, 1, 'li')).toEqual({ Li: 36 });
    expect(Array.from(lr.structure.lattice)).toEqual(Array.from(parent.lattice));
    const hc = generateSqs({ composition: 'Li2MnO3', supercell: [1, 1, 1], parent, order: 'honeycomb' }, js).models[0];
    expect(hc.census.fractions).toEqual({ O4: 1 });
  });

  it('refuses compositions that do not fill an O3 layered oxide', () => {
    expect(() => generateSqs({ composition: 'Li1.0Mn0.54Ni0.13Co0.13O2', supercell: [3, 3, 1] }, js)).toThrow(/Li per O2/);
    expect(() => generateSqs({ composition: LRLO, supercell: [3, 3, 1], delithiate: 1.5 }, js)).toThrow(UsageError);
    expect(() => generateSqs({ composition: LRLO, supercell: [3, 3, 1], migrateInPlane: 1 }, js)).toThrow(/vacancies/);
    expect(() => generateSqs({ composition: LRLO, supercell: [2, 2, 1], order: 'honeycomb' }, js)).toThrow(/honeycomb/);
  });
});

describe('sqs annealing', () => {
  it('random target: every Warren–Cowley α of the majority pairs within one standard deviation of a random arrangement', () => {
    const run = generateSqs({ composition: LRLO, supercell: [3, 3, 2], seed: 4 }, wasm);
    const s = run.models[0].structure;
    const tm = s.species.map((e, i) => (e !== 'O' && layerOf(s, i, 2) === 'tm' ? i : -1)).filter((i) => i >= 0);
    expect(tm).toHaveLength(54);
    const c = (x: string) => tm.filter((i) => s.species[i] === x).length / 54;
    for (const [x, y] of [['Li', 'Mn'], ['Mn', 'Mn'], ['Mn', 'Ni'], ['Mn', 'Co']]) {
      for (const shell of [1, 2, 3]) {
        // ordered pairs of the shell holding x and y in either order, counted from the POSCAR
        let n = 0;
        for (const i of tm) for (const nb of inPlane(s, i)) if (nb.shell === shell && ((s.species[i] === x && s.species[nb.j] === y) || (s.species[i] === y && s.species[nb.j] === x))) n++;
        const m = x === y ? 1 : 2;
        // 6 neighbours per shell in the triangular lattice; expected x–y bonds of a random arrangement = 54·6/2·m·c_x·c_y
        const expected = 54 * 6 * m * c(x) * c(y);
        const alpha = 1 - n / expected;
        const sigma = 1 / Math.sqrt(expected / 2);
        expect(Math.abs(alpha), `${x}-${y} shell ${shell}: α = ${alpha}`).toBeLessThan(sigma);
        const reported = run.models[0].sro.find((e) => e.sublattice === 'TM layer' && e.shell === shell && e.pair === `${x}-${y}`)!;
        expect(reported.alpha).toBeCloseTo(alpha, 5);
      }
    }
  });

  it('honeycomb target: the ideal Li2MnO3 TM layer, every O an O4, every Mn with 3 Mn and every TM-layer Li with 6 Mn in plane', () => {
    for (const cell of [{ supercell: [3, 3, 1] as [number, number, number], c: 1 }, { supercell: [6, 3, 1] as [number, number, number], c: 1 }]) {
      const m = generateSqs({ composition: 'Li2MnO3', supercell: cell.supercell, order: 'honeycomb', seed: 2 }, wasm).models[0];
      expect(m.census.fractions).toEqual({ O4: 1 });
      const s = m.structure;
      for (let i = 0; i < s.species.length; i++) {
        if (s.species[i] === 'O' || layerOf(s, i, cell.c) !== 'tm') continue;
        const first = inPlane(s, i).filter((x) => x.shell === 1);
        expect(first).toHaveLength(6);
        const mn = first.filter((x) => s.species[x.j] === 'Mn').length;
        expect(mn).toBe(s.species[i] === 'Mn' ? 3 : 6);
      }
      expect(m.objective).toBeLessThan(1e-20);
    }
  });

  it('--target O4=0.9 reaches 0.9 of the O within one O (Li2MnO3 3x3x4: 216 O, 194.4 wanted)', () => {
    const run = generateSqs({ composition: 'Li2MnO3', supercell: [3, 3, 4], target: { name: 'O4', fraction: 0.9 }, seed: 7, count: 2 }, wasm);
    for (const m of run.models) expect(Math.abs((m.census.classes.O4 ?? 0) - 0.9 * 216)).toBeLessThanOrEqual(1);
    expect(run.warnings).toEqual([]);
  });

  it('an unreachable target is reported: the TM layers hold Li on 11 of 54 sites, each Li in 6 of the 108 triangles, so at most 66 O can be O4', () => {
    const run = generateSqs({ composition: LRLO, supercell: [3, 3, 2], target: { name: 'O4', fraction: 0.9 }, steps: 50000 }, wasm);
    expect(run.models[0].census.classes.O4).toBeLessThanOrEqual(66);
    expect(run.warnings[0]).toMatch(/target O4=0.9 \(97.2 O\) not reached: \d+ of 108 O/);
  });

  it('seeds reproduce, in both engines; different seeds differ; the ensemble is mean ± sample std of the census fractions', () => {
    const opts = { composition: LRLO, supercell: [3, 3, 1] as [number, number, number], delithiate: 0.3, migrateInPlane: 1, count: 3, seed: 11, steps: 30000 };
    const a = generateSqs(opts, wasm), b = generateSqs(opts, js), again = generateSqs(opts, wasm);
    a.models.forEach((m, k) => {
      expect(writePoscar(b.models[k].structure)).toBe(writePoscar(m.structure));
      expect(writePoscar(again.models[k].structure)).toBe(writePoscar(m.structure));
      expect(b.models[k].trace).toEqual(m.trace);
      expect(b.models[k].moved).toEqual(m.moved);
    });
    expect(writePoscar(a.models[0].structure)).not.toBe(writePoscar(a.models[1].structure));
    const o4 = a.models.map((m) => m.census.fractions.O4 ?? 0);
    const mean = o4.reduce((x, y) => x + y, 0) / 3;
    expect(a.ensemble.mean.O4).toBeCloseTo(mean, 12);
    expect(a.ensemble.std.O4).toBeCloseTo(Math.sqrt(o4.reduce((x, y) => x + (y - mean) ** 2, 0) / 2), 12);
  });

  it('migration: in-plane Mn onto a former TM-layer vacancy next to it, out-of-plane Ni onto a Li-layer vacancy next to it', () => {
    const m = generateSqs({ composition: LRLO, supercell: [3, 3, 2], delithiate: 0.4, migrateInPlane: 2, migrateOutOfPlane: 1, steps: 20000 }, wasm).models[0];
    expect(m.moved.map((x) => `${x.species} ${x.kind}`)).toEqual(['Mn inPlane', 'Mn inPlane', 'Ni outOfPlane']);
    const L = m.structure.lattice;
    for (const mv of m.moved) {
      const d = mv.toFrac.map((x, k) => x - mv.fromFrac[k] - Math.round(x - mv.fromFrac[k]));
      const r = Math.hypot(d[0] * L[0] + d[1] * L[3], d[0] * L[1] + d[1] * L[4], d[2] * L[8]);
      // a in plane (2.85 Å); between adjacent layers √(a²/3 + (c/6)²) = 2.88 Å
      expect(r).toBeCloseTo(mv.kind === 'inPlane' ? A : Math.hypot(A / Math.sqrt(3), 14.25 / 6), 6);
    }
    // the Ni now sits in a Li layer
    expect(countOn(m.structure, 2, 'li').Ni).toBe(1);
  });
});

describe('sqs kernel', () => {
  it('both engines give the same bits for the same problem (several compositions, orders and targets)', () => {
    const sets = [
      { composition: LRLO, supercell: [3, 3, 1] as [number, number, number], steps: 50000 },
      { composition: LRLO, supercell: [5, 4, 2] as [number, number, number], delithiate: 0.4, tmLayerLi: 0.5, steps: 50000, shells: 4 },
      { composition: 'Li2MnO3', supercell: [3, 3, 2] as [number, number, number], order: 'honeycomb' as const, steps: 50000 },
      { composition: 'Li2MnO3', supercell: [3, 3, 1] as [number, number, number], target: { name: 'O5', fraction: 0.2 }, steps: 50000, t0: 2 },
    ];
    for (const opts of sets) {
      const prep = prepareSqs(opts, js);
      for (const seed of [0, 1, 0xfffffff0]) {
        const { problem } = seedProblem(prep, seed);
        const a = js.sqsAnneal(problem), b = wasm.sqsAnneal(problem);
        expect(Array.from(b.occupation)).toEqual(Array.from(a.occupation));
        expect(Object.is(b.objective, a.objective)).toBe(true);
        expect(Array.from(b.trace)).toEqual(Array.from(a.trace));
        expect(b.accepted).toBe(a.accepted);
        expect(a.accepted).toBeGreaterThan(0);
      }
    }
  });

  it('more than 8 species (the WASM kernel then counts neighbours in memory, not in 8-bit fields): the same bits', () => {
    // the problem with every species x renumbered x + 4 (9 species, 4 of them absent): the keys keep their order,
    // so the renumbered run must give the renumbered result of the original, bit for bit, in both engines
    const prep = prepareSqs({ composition: LRLO, supercell: [5, 4, 2], delithiate: 0.4, steps: 50000 }, js);
    const { problem } = seedProblem(prep, 5);
    const S = problem.nSpecies, W = S + 4, per = problem.nSublattices * problem.nShells;
    const widen = (v: Float64Array) => {
      const out = new Float64Array(per * W * W);
      for (let q = 0; q < per; q++) for (let x = 0; x < S; x++) for (let y = 0; y < S; y++) out[(q * W + x + 4) * W + y + 4] = v[(q * S + x) * S + y];
      return out;
    };
    const isTM = new Int32Array(W);
    isTM.set(problem.isTM, 4);
    const wide = { ...problem, nSpecies: W, occupation: problem.occupation.map((x) => x + 4), isTM, pairTarget: widen(problem.pairTarget), pairScale: widen(problem.pairScale) };
    const a = js.sqsAnneal(problem);
    expect(a.accepted).toBeGreaterThan(0);
    for (const k of [js, wasm]) {
      const b = k.sqsAnneal(wide);
      expect(Array.from(b.occupation), k.engine).toEqual(Array.from(a.occupation, (x) => x + 4));
      expect(Object.is(b.objective, a.objective), k.engine).toBe(true);
      expect(Array.from(b.trace), k.engine).toEqual(Array.from(a.trace));
      expect(b.accepted, k.engine).toBe(a.accepted);
    }
  });

  it('the trace ends at the objective the kernel recomputes from scratch, and zero steps change nothing', () => {
    const prep = prepareSqs({ composition: LRLO, supercell: [3, 3, 2], delithiate: 0.2, steps: 40000 }, js);
    const { problem } = seedProblem(prep, 3);
    for (const k of [js, wasm]) {
      const r = k.sqsAnneal(problem);
      expect(r.trace[r.trace.length - 1]).toBeCloseTo(r.objective, 9);
      const none = k.sqsAnneal({ ...problem, steps: 0 });
      expect(Array.from(none.occupation)).toEqual(Array.from(problem.occupation));
      expect(none.accepted).toBe(0);
      expect(none.trace.every((x) => x === none.objective)).toBe(true);
    }
  });

  it('repeated WASM calls of one size reuse the arena: memory grows on the first call only', async () => {
    const { kernels, memory } = await freshWasm();
    const { problem } = seedProblem(prepareSqs({ composition: LRLO, supercell: [10, 8, 2], delithiate: 0.4, steps: 1000 }, js), 1);
    kernels.sqsAnneal(problem);
    const after = memory.buffer.byteLength;
    for (let k = 0; k < 3; k++) kernels.sqsAnneal(problem);
    expect(memory.buffer.byteLength).toBe(after);
  });

  it('expNeg matches e^x to 1e-7 relative', () => {
    for (const x of [0, -1e-9, -0.3, -1, -5, -17.5, -39.9]) expect(Math.abs(expNeg(x) / Math.exp(x) - 1)).toBeLessThan(1e-7);
    expect(expNeg(-41)).toBe(0);
  });

  it('bad problems are typed errors in both engines', () => {
    const { problem } = seedProblem(prepareSqs({ composition: LRLO, supercell: [3, 3, 1], steps: 10 }, js), 1);
    for (const k of [js, wasm]) {
      expect(() => k.sqsAnneal({ ...problem, occupation: problem.occupation.map(() => 99) })).toThrow(KernelInputError);
      expect(() => k.sqsAnneal({ ...problem, pairJ: problem.pairJ.subarray(1) })).toThrow(KernelInputError);
      expect(() => k.sqsAnneal({ ...problem, cool: 2 })).toThrow(KernelInputError);
      // one end of a pair dropped: the incremental update would drift from the counts
      const off = Int32Array.from(problem.pairOffsets, (x, e) => (e === 0 ? 0 : x - 1));
      expect(() => k.sqsAnneal({ ...problem, pairOffsets: off, pairJ: problem.pairJ.subarray(1) })).toThrow(/not symmetric/);
    }
  });
});
