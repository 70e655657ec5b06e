import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli, run } from './run.js';

const EX = 'examples/lrlo';
const COMMANDS = ['info', 'census', 'migration', 'neb', 'report', 'merge', 'pdos', 'cohp', 'voltage'];

beforeAll(() => {
  expect(builtCli(), 'run `npm run build:ts` first: these tests drive bin/oxyscope.js').toBe(true);
});

describe('one CLI: the same conventions in every command', () => {
  it('--help lists every command on one line; each command has examples', async () => {
    const top = (await run(['--help'])).stdout;
    for (const c of COMMANDS) expect(top).toMatch(new RegExp(`^  ${c} \\[options\\] \\S+ +\\S.*\\n  \\S`, 'm'));
    for (const c of COMMANDS) expect((await run([c, '--help'])).stdout).toMatch(new RegExp(`Examples:\\n  oxyscope ${c} `));
  });

  it('a missing or truncated file: exit 1 and one line on stderr, nothing on stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oxy-conv-'));
    const cut = (from: string, name: string) => {
      writeFileSync(join(dir, name), readFileSync(from).subarray(0, 300));
      return join(dir, name);
    };
    const cases = [
      ['census', cut(`${EX}/model/pristine/POSCAR`, 'POSCAR')],
      ['migration', join(dir, 'POSCAR')],
      ['pdos', cut(`${EX}/real/K4Sn4O6-dos/DOSCAR`, 'DOSCAR')],
      ['cohp', cut(`${EX}/real/NaCl-lobster/ICOHPLIST.lobster`, 'ICOHPLIST.lobster')],
      ['info', join(dir, 'nope')],
      ['neb', join(dir, 'nope')],
      ['report', join(dir, 'nope')],
      ['merge', join(dir, 'nope')],
      ['voltage', join(dir, 'nope')],
    ];
    for (const [cmd, file] of cases) {
      const r = await run([cmd, file, '--json']);
      expect([cmd, r.code, r.stdout, r.stderr.trimEnd().split('\n').length]).toEqual([cmd, 1, '', 1]);
      expect(r.stderr).toMatch(/^oxyscope: /);
    }
  });

  it('bad usage: exit 2 with an `oxyscope:` line, whoever finds it (commander or the command)', async () => {
    for (const args of [['census', `${EX}/model/pristine/POSCAR`, '--frob'], ['pdos', 'DOSCAR', '--window', '1'], ['census', `${EX}/model/pristine/POSCAR`, '--json', '--csv'], ['census', `${EX}/model/pristine/POSCAR`, '--cutoff', 'x']]) {
      const r = await run(args);
      expect([args.join(' '), r.code, r.stdout]).toEqual([args.join(' '), 2, '']);
      expect(r.stderr).toMatch(/^oxyscope: /);
    }
  });

  it('the census options reach pdos --group-by class: with --cutoff 1.0 no TM is near any O (all O6)', async () => {
    const r = await run(['pdos', `${EX}/real/K4Sn4O6-dos/DOSCAR`, '--group-by', 'class', '--orbitals', 'p', '--cutoff', '1.0', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).groups.map((g: { name: string }) => g.name)).toEqual(['O6']);
    const dflt = JSON.parse((await run(['pdos', `${EX}/real/K4Sn4O6-dos/DOSCAR`, '--group-by', 'class', '--orbitals', 'p', '--json'])).stdout);
    expect(dflt.groups.map((g: { name: string }) => g.name)).toEqual(['O4']);
  });
});
