import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execFile } from 'node:child_process';
import { ROOT, run } from './run.js';
import { FORMATS } from '../../src/io/formats.js';

const REAL = join(ROOT, 'test/fixtures/real');

/** The CLI with `input` on stdin. */
function runStdin(args: string[], input: Buffer | string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [join(ROOT, 'bin/oxyscope.js'), ...args], { cwd: ROOT, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin!.end(input);
  });
}

describe('oxyscope formats', () => {
  it('--json lists every registry entry; the README table is the generated one', async () => {
    const json = await run(['formats', '--json']);
    expect(json.code).toBe(0);
    const got = JSON.parse(json.stdout) as { formats: { id: string }[]; warnings: string[] };
    expect(got.formats.map((f) => f.id)).toEqual(FORMATS.map((f) => f.id));
    expect(got.warnings).toEqual([]);
    const md = await run(['formats', '--markdown']);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const m = /<!-- formats table:[^\n]*-->\n([\s\S]*?)\n<!-- end of formats table -->/.exec(readme);
    expect(m?.[1]).toBe(md.stdout.trimEnd());
  });
});

describe('warnings reach the user on every command; --strict; --format', () => {
  // vasprun.xml cut right after its </dos> block (constructed from the real Si file): the reader knows it was cut
  const dir = mkdtempSync(join(tmpdir(), 'oxy-warn-'));
  const text = gunzipSync(readFileSync(join(REAL, 'vasp/vasprun/vasprun.xml.indirect.gz'))).toString('latin1');
  const cutAt = text.indexOf('</dos>') + '</dos>'.length;
  const cut = join(dir, 'vasprun.xml');
  writeFileSync(cut, text.slice(0, cutAt) + '\n', 'latin1');
  const truncated = /vasprun\.xml: file ends at line \d+ inside <modeling><calculation>, before <\/modeling>/;

  it('pdos on a cut vasprun.xml: warning on stderr and in the JSON, exit 0; exit 1 with --strict (before or after the command)', async () => {
    const r = await run(['pdos', cut, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^warning: .*${truncated.source}`, "m"));
    const json = JSON.parse(r.stdout) as { warnings: string[] };
    expect(json.warnings.some((w) => truncated.test(w))).toBe(true);
    // stderr holds exactly the JSON's warnings
    expect(r.stderr).toBe(json.warnings.map((w) => `warning: ${w}\n`).join(''));
    for (const args of [['--strict', 'pdos', cut], ['pdos', cut, '--strict']]) {
      const s = await run(args);
      expect(s.code).toBe(1);
      expect(s.stdout).toMatch(/E_F = 5\.6978 eV/); // the output is still printed
      expect(s.stderr).toMatch(truncated);
      expect(s.stderr).toMatch(/^oxyscope: \d+ warnings? \(see above\) and --strict$/m);
    }
  });

  it('census, info and convert pass the reader warning on too', async () => {
    for (const args of [['census', cut, '--json'], ['info', cut, '--json']]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout) as { warnings: string[] }).warnings.some((w) => truncated.test(w))).toBe(true);
      expect(r.stderr).toMatch(truncated);
    }
    const c = await run(['convert', cut, '--to', 'poscar', '--strict']);
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(truncated);
  });

  it('stdin is recognised by content; --format overrides detection; an unknown --format is a usage error', async () => {
    const icohp = readFileSync(join(REAL, 'lobster/icohplist/ICOHPLIST.lobster.KF_nospin'));
    const r = await runStdin(['cohp', '-', '--json'], icohp);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { kind: string }).kind).toBe('cohp');
    const forced = await runStdin(['info', '-', '--format', 'poscar'], icohp);
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(/^oxyscope: <stdin>:/);
    const bad = await run(['info', cut, '--format', 'nope']);
    expect(bad.code).toBe(2);
  });

  it('a head two formats fit: exit 2 naming both and --format; --format decides', async () => {
    const both = join(dir, 'curves.dat');
    const real = readFileSync(join(REAL, 'lobster/cohpcar/COHPCAR.lobster'), 'utf8');
    writeFileSync(both, real.replace('pCOHP file', 'pCOHP COBI file'));
    const r = await run(['info', both]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/could be LOBSTER COHPCAR \(cohpcar\) or LOBSTER COBICAR \(cobicar\); say which with --format cohpcar\|cobicar/);
    const ok = await run(['info', both, '--format', 'cohpcar', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ format: 'cohpcar', kind: 'cohp' });
  });
});
