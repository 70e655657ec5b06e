import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `merge` checks what it joins: shards of different oxyscope versions or options, records without provenance and
 * a calculation found twice with different results are refused unless asked for; a valid-JSON line of the wrong
 * shape is a ParseError naming file and line. The CLI runs from source under tsx.
 */

const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const dir = mkdtempSync(join(tmpdir(), 'oxyscope-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const oxy = (args: string[]) => spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const path = (name: string) => join(dir, name);
const EX = 'examples/lrlo';

let s1: string;
let s2: string;
let all: string;
beforeAll(() => {
  for (const [args, name] of [[['--shard', '1/2'], 's1.jsonl'], [['--shard', '2/2'], 's2.jsonl'], [[], 'all.jsonl'], [['--shard', '2/2', '--window', '-3,0'], 'w.jsonl']] as const) {
    const r = oxy(['report', EX, ...args, '--jsonl', path(name), '--engine', 'js']);
    expect(r.status, r.stderr).toBe(0);
  }
  [s1, s2, all] = ['s1.jsonl', 's2.jsonl', 'all.jsonl'].map((n) => readFileSync(path(n), 'utf8'));
}, 120_000);

/** A shard file whose lines are `lines`. */
function shard(name: string, lines: string[]): string {
  writeFileSync(path(name), `${lines.join('\n')}\n`);
  return path(name);
}
const edit = (line: string, f: (r: Record<string, any>) => void) => { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = JSON.parse(line);
  f(r);
  return JSON.stringify(r);
};

describe('merge', () => {
  it('--jsonl: the shards joined are byte-identical to one report --jsonl over all calculations', () => {
    const r = oxy(['merge', path('s2.jsonl'), path('s1.jsonl'), '--jsonl']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(all);
    expect(r.stderr).toBe('');
  });

  it('refuses shards made with different options, naming a line of each; --allow-mixed merges them', () => {
    const r = oxy(['merge', path('s1.jsonl'), path('w.jsonl')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^oxyscope: ${path('s1.jsonl')}:1 vs ${path('w.jsonl')}:1: made with different settings: .*"window":\\[-2,0\\].* vs .*"window":\\[-3,0\\].*--allow-mixed`));
    expect(r.stderr.split('\n')).toHaveLength(2);
    const ok = oxy(['merge', path('s1.jsonl'), path('w.jsonl'), '--allow-mixed', '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    // every calculation of the example once (14: the SQS ensemble's 8 cells included), from the two halves
    expect(JSON.parse(ok.stdout).map((c: { id: string }) => c.id)).toEqual(all.trim().split('\n').map((l) => JSON.parse(l).id));
    expect(JSON.parse(ok.stdout)).toHaveLength(14);
  });

  it('refuses another oxyscope version, and records without provenance (unless --allow-mixed)', () => {
    const other = shard('v.jsonl', s2.trim().split('\n').map((l) => edit(l, (r) => (r.provenance.version = '0.0.9'))));
    const r = oxy(['merge', path('s1.jsonl'), other]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/made with different settings: oxyscope 0\.1\.0, .* vs oxyscope 0\.0\.9/);
    const bare = shard('bare.jsonl', s1.trim().split('\n').map((l) => edit(l, (r) => delete r.provenance)));
    const nb = oxy(['merge', bare]);
    expect(nb.status).toBe(1);
    expect(nb.stderr).toMatch(/carry no provenance/);
    expect(oxy(['merge', bare, '--allow-mixed']).status).toBe(0);
  });

  it('a calculation twice with different results is refused (both lines named); --on-duplicate first|last keeps one; exact copies are kept once with a warning', () => {
    const first = s1.trim().split('\n')[0];
    const changed = shard('dup.jsonl', [edit(first, (r) => r.notes.push('rerun'))]);
    const r = oxy(['merge', path('s1.jsonl'), changed]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`oxyscope: ${path('s1.jsonl')}:1 vs ${changed}:1: calculation model/delithiated (under ${JSON.parse(first).root}) appears twice with different results (pass --on-duplicate first|last to keep one)\n`);
    const keepFirst = oxy(['merge', path('s1.jsonl'), changed, '--on-duplicate', 'first', '--json']);
    expect(JSON.parse(keepFirst.stdout)[0].notes).toEqual([]);
    expect(keepFirst.stderr).toMatch(/^warning: 1 calculation found in several shards with different results: kept the first one read\n$/);
    const keepLast = oxy(['merge', path('s1.jsonl'), changed, '--on-duplicate', 'last', '--json']);
    expect(JSON.parse(keepLast.stdout)[0].notes).toEqual(['rerun']);
    const copies = oxy(['merge', path('s1.jsonl'), path('s1.jsonl'), path('s2.jsonl'), '--jsonl']);
    expect(copies.status).toBe(0);
    expect(copies.stdout).toBe(all);
    expect(copies.stderr).toBe(`warning: ${s1.trim().split('\n').length} exact copies of records (the same shard given twice?) kept once\n`);
    expect(oxy(['merge', path('s1.jsonl'), '--on-duplicate', 'newest']).status).toBe(2);
  });

  it('valid JSON of the wrong shape is a ParseError at file:line, never a TypeError', () => {
    const good = s1.trim().split('\n');
    const cases: [string, (r: Record<string, any>) => void, RegExp][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
      ['census.nO a string', (r) => (r.census.nO = 'many'), /"census": \{nO, fractions\}/],
      ['census null', (r) => (r.census = null), /"census": \{nO, fractions\}/],
      ['errors not a list', (r) => (r.errors = 'none'), /"errors": a list of \{analysis, message\}/],
      ['structure without formula', (r) => delete r.structure.formula, /"structure": \{formula, model\}/],
      ['migration.migrated missing', (r) => delete r.migration.migrated, /"migration": /],
      ['unknown kind', (r) => (r.kind = 'md'), /"kind": "neb" or "files"/],
      ['provenance inputs not a list', (r) => (r.provenance.inputs = {}), /"provenance": /],
      ['an array', () => undefined, /expected .*\(a JSON object\)/],
    ];
    for (const [what, f, message] of cases) {
      const file = shard('bad.jsonl', [good[0], what === 'an array' ? '[1,2]' : edit(good[1], f)]);
      const r = oxy(['merge', file, '--csv']);
      expect(r.status, what).toBe(1);
      expect(r.stderr, what).toMatch(new RegExp(`^oxyscope: ${file}:2: expected a calculation record of oxyscope report --jsonl \\(`));
      expect(r.stderr, what).toMatch(message);
      expect(r.stderr, what).not.toMatch(/TypeError|\n\s+at /);
    }
  });
});
