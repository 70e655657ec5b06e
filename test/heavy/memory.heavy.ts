import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lrloCell } from '../../bench/generate/structures.js';
import { dosModel, writeDoscar, writeVasprun } from '../../bench/generate/dos.js';
import { cellVolume } from '../../src/model/lattice.js';

/**
 * Outside the default suite (`npm run test:heavy`): a generated 1 GB vasprun.xml and 500 MB DOSCAR of a 972-atom
 * LRLO cell (LORBIT 11, ISPIN 2, the bench generators) are read in child processes, and the peak RSS must stay
 * below the RSS before reading plus twice the typed arrays the result keeps. Figures go to
 * test-output/heavy-memory.json (and docs/robustness.md).
 */

const dir = mkdtempSync(join(tmpdir(), 'oxyscope-heavy-'));
const structure = lrloCell(3, 3, 31);
const files = { doscar: join(dir, 'DOSCAR'), vasprun: join(dir, 'vasprun.xml') };
const figures: Record<string, unknown>[] = [];

beforeAll(() => {
  // 973 blocks of 227-byte rows: NEDOS 2265 gives ~500 MB; vasprun rows of 124 bytes × 2 spins × 972 ions: NEDOS 4150 ~1 GB
  writeDoscar(files.doscar, dosModel({ structure, nedos: 2265, seed: 5 }), cellVolume(structure.lattice));
  writeVasprun(files.vasprun, dosModel({ structure, nedos: 4150, seed: 6 }), structure);
}, 900_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync('test-output', { recursive: true });
  writeFileSync('test-output/heavy-memory.json', JSON.stringify(figures, null, 1));
});

describe('memory of the streaming DOS readers on big files', () => {
  for (const kind of ['doscar', 'vasprun'] as const) {
    for (const engine of ['js', 'wasm'] as const) {
      it(`${kind} (${engine}): peak RSS < RSS before reading + 2 × the arrays kept`, () => {
        const size = statSync(files[kind]).size;
        expect(size).toBeGreaterThan(kind === 'doscar' ? 450e6 : 950e6);
        const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/heavy/read-child.ts', kind, files[kind], engine], { encoding: 'utf8', maxBuffer: 1 << 20 });
        expect(r.status, r.stderr).toBe(0);
        const f = JSON.parse(r.stdout.trim().split('\n').pop()!) as { kept: number; baseline: number; peak: number; seconds: number };
        const ratio = (f.peak - f.baseline) / f.kept;
        figures.push({ kind, engine, fileMB: Math.round(size / 1e6), keptMB: Math.round(f.kept / 1e6), baselineMB: Math.round(f.baseline / 1e6), peakMB: Math.round(f.peak / 1e6), growthOverKept: Number(ratio.toFixed(3)), seconds: Number(f.seconds.toFixed(1)) });
        expect(f.kept).toBeGreaterThan(kind === 'doscar' ? 300e6 : 550e6);
        expect(f.peak).toBeLessThan(f.baseline + 2 * f.kept);
      }, 600_000);
    }
  }
});
