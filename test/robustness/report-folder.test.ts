import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCalcFolders } from '../../bench/report-folders.js';

/**
 * `report --out` writes the whole folder beside the target and renames it at the end: on a full disk or a kill -9
 * the target holds the old complete report or the new complete one, never a mix, and no temp folder stays (a
 * killed run's is removed by the next run). The disk is a real full tmpfs (mounted as root; skipped otherwise).
 * The CLI runs from source under tsx.
 */

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const dir = mkdtempSync(join(tmpdir(), 'oxyscope-report-folder-'));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) spawnSync('umount', [m]);
  rmSync(dir, { recursive: true, force: true });
});

const report = (args: string[]) => spawnSync(process.execPath, [...CLI, 'report', ...args, '--engine', 'js'], { encoding: 'utf8' });
/** Every file of a folder with its content. */
const snapshot = (d: string) => Object.fromEntries(readdirSync(d).sort().map((n) => [n, readFileSync(join(d, n), 'utf8')]));
/** What a folder holds besides `keep`: temp folders/files left by writes. */
const leftovers = (d: string, keep: string[]) => readdirSync(d).filter((n) => !keep.includes(n));

/** A tmpfs of `kb` KiB, or undefined when this process may not mount one. */
function tmpfs(kb: number): string | undefined {
  const m = join(dir, `tmpfs-${mounts.length}`);
  mkdirSync(m);
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', m]).status !== 0) return undefined;
  mounts.push(m);
  return m;
}

describe('report on a full disk', () => {
  it('a new --out folder that does not fit: exit non-zero, nothing left behind', (ctx) => {
    const m = tmpfs(64);
    if (!m) return ctx.skip();
    const r = report(['examples/lrlo', '--out', join(m, 'rep')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/ENOSPC/);
    expect(readdirSync(m)).toEqual([]);
  }, 120_000);

  it('--force over a complete report: the old report stays whole when the new one does not fit', (ctx) => {
    // the old report: a 1-calculation one, so the new (whole example) one is bigger than the free space
    const small = join(dir, 'small');
    mkdirSync(join(small, 'a'), { recursive: true });
    writeFileSync(join(small, 'a', 'POSCAR'), readFileSync('examples/lrlo/model/pristine/POSCAR'));
    // room for both reports at once (the new one is written beside the old) with 32 KiB to spare, in 4 KiB pages:
    // a 60 KiB filler then leaves too little for the big one
    const kib = (d: string) => readdirSync(d).reduce((a, n) => a + Math.ceil(readFileSync(join(d, n)).length / 4096) * 4, 0);
    const [probeBig, probeSmall] = [join(dir, 'probe-big'), join(dir, 'probe-small')];
    expect([report(['examples/lrlo', '--out', probeBig]).status, report([small, '--out', probeSmall]).status]).toEqual([0, 0]);
    const m = tmpfs(kib(probeBig) + kib(probeSmall) + 32);
    if (!m) return ctx.skip();
    const out = join(m, 'rep');
    const first = report(['examples/lrlo', '--out', out]);
    expect(first.status, first.stderr).toBe(0);
    const old = report([small, '--out', out, '--force']);
    expect(old.status, old.stderr).toBe(0);
    const before = snapshot(out);
    writeFileSync(join(m, 'filler'), Buffer.alloc(60 << 10));
    const r = report(['examples/lrlo', '--out', out, '--force']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/ENOSPC/);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(m, ['rep', 'filler'])).toEqual([]);
  }, 180_000);

  it('--jsonl that does not fit: no temp file left, an old JSONL untouched', (ctx) => {
    const m = tmpfs(8);
    if (!m) return ctx.skip();
    const jsonl = join(m, 'shard.jsonl');
    writeFileSync(jsonl, 'old\n');
    const r = report(['examples/lrlo', '--jsonl', jsonl, '--force']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/ENOSPC/);
    expect(readdirSync(m)).toEqual(['shard.jsonl']);
    expect(readFileSync(jsonl, 'utf8')).toBe('old\n');
  }, 120_000);
});

describe('report killed midway (SIGKILL)', () => {
  it('--force over an old report: at every moment the folder is the old report or the complete new one; the next run removes the temp folders', async () => {
    const calcs = join(dir, 'calcs');
    await writeCalcFolders(calcs, 150);
    const parent = join(dir, 'out');
    mkdirSync(parent);
    const out = join(parent, 'rep');
    const args = [...CLI, 'report', calcs, '--out', out, '--force', '--engine', 'js'];
    const fresh = spawnSync(process.execPath, args, { encoding: 'utf8' });
    expect(fresh.status, fresh.stderr).toBe(0);
    // report.json names its calculations: the new report has all 150, the old one only the first
    const complete = snapshot(out);
    expect(Object.keys(complete)).toContain('report.json');
    const oldRun = spawnSync(process.execPath, [...CLI, 'report', join(calcs, 'calc-0000'), '--out', out, '--force', '--engine', 'js'], { encoding: 'utf8' });
    expect(oldRun.status, oldRun.stderr).toBe(0);
    const old = snapshot(out);
    const ids = (s: Record<string, string>) => (JSON.parse(s['report.json']) as { calculations: unknown[] }).calculations.length;
    expect([ids(old), ids(complete)]).toEqual([1, 150]);

    const seen = { old: 0, new: 0, killedInWrite: 0, betweenRenames: 0 };
    for (let trial = 0; trial < 8; trial++) {
      const child = spawn(process.execPath, args, { stdio: 'ignore' });
      const exited = new Promise<void>((done) => child.on('exit', () => done()));
      if (trial % 2 === 0) {
        // a random moment of the run: most land while calculations are analysed
        await new Promise((r) => setTimeout(r, 500 + Math.random() * 4000));
      } else {
        // a random moment after the temp folder appears: while the new folder is written or swapped in
        const t0 = Date.now();
        while (leftovers(parent, ['rep']).length === 0 && child.exitCode === null && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 1));
        await new Promise((r) => setTimeout(r, Math.random() * 15));
      }
      if (leftovers(parent, ['rep']).length > 0 && child.exitCode === null) seen.killedInWrite++;
      child.kill('SIGKILL');
      await exited;
      if (!existsSync(out)) {
        // killed between the two renames of the swap: the old report waits whole beside it, put back by the next run
        const aside = leftovers(parent, ['rep']).filter((n) => n.endsWith('.old'));
        expect(aside).toHaveLength(1);
        expect(snapshot(join(parent, aside[0]))).toEqual(old);
        seen.betweenRenames++;
        continue;
      }
      const now = snapshot(out);
      const n = ids(now);
      expect(n === 1 ? now : n === 150 ? now : undefined, `trial ${trial}: ${n} calculations`).toEqual(n === 1 ? old : complete);
      seen[n === 1 ? 'old' : 'new']++;
      // back to the old report for the next trial
      if (n === 150) expect(spawnSync(process.execPath, [...CLI, 'report', join(calcs, 'calc-0000'), '--out', out, '--force', '--engine', 'js']).status).toBe(0);
    }
    expect(seen.old).toBeGreaterThan(0);
    expect(seen.killedInWrite).toBeGreaterThan(0);
    const last = spawnSync(process.execPath, args, { encoding: 'utf8' });
    expect(last.status, last.stderr).toBe(0);
    expect(snapshot(out)).toEqual(complete);
    expect(leftovers(parent, ['rep'])).toEqual([]);
    mkdirSync('test-output', { recursive: true });
    writeFileSync(join('test-output', 'report-folder-kills.json'), JSON.stringify(seen));
  }, 300_000);
});
