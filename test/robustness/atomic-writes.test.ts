import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rng } from '../fuzz/mutate.js';

/**
 * Outputs are written to a temp file and renamed: a run killed at any moment leaves the old file or the complete
 * new one, never a part, and its temp file is removed by the next write. Existing files need --force.
 * The CLI runs from source under tsx, so no build is needed.
 */

const dir = mkdtempSync(join(tmpdir(), 'oxyscope-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

/** A `report --jsonl` shard whose merged JSON is ~60 MB: big enough that killing lands inside the write. */
const shard = join(dir, 'shard.jsonl');
const provenance = { tool: 'oxyscope', version: '0.1.0', options: { engine: 'js' }, inputs: [] };
writeFileSync(shard, Array.from({ length: 40_000 }, (_, i) => JSON.stringify({ id: `calc${String(i).padStart(6, '0')}`, root: '/runs', kind: 'files', files: [], errors: [], notes: ['x'.repeat(1200)], provenance })).join('\n'));
const target = join(dir, 'merged.json');
const OLD = 'the previous result\n';
const temps = () => readdirSync(dir).filter((n) => n.startsWith('.merged.json.') && n.endsWith('.tmp'));

function merge(...extra: string[]) {
  return spawnSync(process.execPath, [...CLI, 'merge', shard, '--json', '--out', target, ...extra], { encoding: 'utf8' });
}

describe('writes survive being killed', () => {
  it('an existing --out file is kept without --force (exit 2, file untouched)', () => {
    writeFileSync(target, OLD);
    const r = merge();
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`oxyscope: ${target} exists; pass --force to replace it\n`);
    expect(readFileSync(target, 'utf8')).toBe(OLD);
  }, 60_000);

  it('SIGKILL at 20 random moments leaves the old file or the complete new one; stale temp files are removed by the next run', async () => {
    const complete = join(dir, 'complete.json');
    const ok = spawnSync(process.execPath, [...CLI, 'merge', shard, '--json', '--out', complete], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const expected = readFileSync(complete, 'utf8');
    expect(expected.length).toBeGreaterThan(50e6);

    const r = rng(8);
    const outcomes = { old: 0, new: 0, killedInWrite: 0 };
    for (let trial = 0; trial < 20; trial++) {
      writeFileSync(target, OLD);
      const child = spawn(process.execPath, [...CLI, 'merge', shard, '--json', '--out', target, '--force'], { stdio: 'ignore' });
      const exited = new Promise<void>((done) => child.on('exit', () => done()));
      // odd trials: a random moment of the whole run; even trials: a random moment after the temp file appears
      const t0 = Date.now();
      if (trial % 2 === 0) {
        while (temps().length === 0 && child.exitCode === null && Date.now() - t0 < 30_000) await new Promise((x) => setTimeout(x, 1));
        await new Promise((x) => setTimeout(x, r() * 40));
      } else {
        await new Promise((x) => setTimeout(x, r() * 2500));
      }
      if (temps().length > 0 && child.exitCode === null) outcomes.killedInWrite++;
      child.kill('SIGKILL');
      await exited;
      const now = readFileSync(target, 'utf8');
      expect(now === OLD || now === expected, `trial ${trial}: ${now.length} bytes, neither the old file nor the complete new one`).toBe(true);
      outcomes[now === OLD ? 'old' : 'new']++;
    }
    // the kills hit inside the write at least sometimes, and both outcomes occurred
    expect(outcomes.killedInWrite).toBeGreaterThan(0);
    expect(outcomes.old).toBeGreaterThan(0);
    // a complete run removes the temp files the killed ones left
    expect(merge('--force').status).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(expected);
    expect(temps()).toEqual([]);
    mkdirSync('test-output', { recursive: true });
    writeFileSync(join('test-output', 'atomic-writes.json'), JSON.stringify(outcomes));
  }, 170_000);
});

describe('no command replaces an existing output without --force', () => {
  const REAL = 'test/fixtures/real';
  const cases: [string, string[], string][] = [
    ['pdos --plot', ['pdos', `${REAL}/vasp/doscar/custodian__lobster__vasp_lobster_output/DOSCAR`, '--engine', 'js'], '--plot'],
    ['neb --plot', ['neb', `${REAL}/vasp/neb/aiida-vasp__neb`, '--engine', 'js'], '--plot'],
    ['cohp --plot', ['cohp', `${REAL}/lobster/cohpcar/COHPCAR.lobster`, '--engine', 'js'], '--plot'],
  ];
  for (const [name, args, flag] of cases) {
    it(`${name}: exit 2, the file untouched; with --force it is replaced`, () => {
      const out = join(dir, `${name.replace(/\W+/g, '-')}.svg`);
      writeFileSync(out, OLD);
      const r = spawnSync(process.execPath, [...CLI, ...args, flag, out], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`${out} exists; pass --force`);
      expect(readFileSync(out, 'utf8')).toBe(OLD);
      const f = spawnSync(process.execPath, [...CLI, ...args, flag, out, '--force'], { encoding: 'utf8' });
      expect(f.status, f.stderr).toBe(0);
      expect(readFileSync(out, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\n?$/);
    }, 60_000);
  }

  it('report --out: a second run without --force is refused before any file changes', () => {
    const out = join(dir, 'report');
    const args = [...CLI, 'report', 'examples/lrlo', '--out', out, '--engine', 'js'];
    const first = spawnSync(process.execPath, args, { encoding: 'utf8' });
    expect(first.status, first.stderr).toBe(0);
    const before = readdirSync(out).map((n) => [n, readFileSync(join(out, n), 'utf8')]);
    writeFileSync(join(out, 'report.md'), OLD);
    const again = spawnSync(process.execPath, args, { encoding: 'utf8' });
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(`oxyscope: ${out} exists; pass --force to replace it\n`);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toBe(OLD);
    expect(readdirSync(out).sort()).toEqual(before.map(([n]) => n).sort());
  }, 120_000);
});
