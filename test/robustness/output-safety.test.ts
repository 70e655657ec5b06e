import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { md } from '../../src/cli/printable.js';
import { printable, stripTerminal } from '../../src/cli/printable.js';

/**
 * What reaches the terminal and report.md from names and contents of files (issue 19, minor): terminal escapes in a
 * POSCAR comment are stripped by `info`, a file name with a newline gives a one-line error, folder names in
 * report.md are text (no HTML, no links), and a LOBSTER file that does not fit the structure beside it is an error
 * of that analysis, not a plot (issue 19) nor a silent regrouping (issue 18 item 4).
 */

const dir = mkdtempSync(join(tmpdir(), 'oxyscope-safety-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const POSCAR = 'examples/lrlo/model/pristine/POSCAR';
const NACL = 'examples/lrlo/real/NaCl-lobster';

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
}

describe('terminal safety', () => {
  it('printable escapes control characters (one line, inert); stripTerminal removes CSI/OSC sequences first', () => {
    expect(printable('a\nb\rc\x1b[2Jd\x07\x9b')).toBe('a\\nb\\rc\\x1b[2Jd\\x07\\x9b');
    expect(stripTerminal('evil \x1b[2J\x1b]0;pwned\x07\x1b[31mred\x1b[0m\x9b31m \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ end')).toBe('evil red link end');
    expect(printable('tab\there, ünïcode Å')).toBe('tab\there, ünïcode Å');
  });

  it('info strips terminal escapes from a POSCAR comment and prints units', () => {
    const lines = readFileSync(POSCAR, 'utf8').split('\n');
    const evil = join(dir, 'POSCAR.evil');
    writeFileSync(evil, [`model \x1b[2J\x1b]0;owned\x07\x1b[31mred\x1b[0m \x9b6n\x07 end`, ...lines.slice(1)].join('\n'));
    const r = cli(['info', evil]);
    expect(r.status, r.stderr).toBe(0);
    // no ESC, BEL or C1 byte reaches the terminal
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(r.stdout).toMatch(/comment\s+model red \\x07 end\n/);
    expect(r.stdout).toMatch(/volume\s+[\d.]+ \(Å³\)/);
    expect(r.stdout).toMatch(/lattice\s+\[.*\] \(Å \(rows a, b, c\)\)/);
    const j = JSON.parse(cli(['info', evil, '--json']).stdout);
    // JSON keeps the comment as it is (JSON.stringify escapes the controls itself)
    expect(j.comment).toContain('\x1b[2J');
  });

  it('info on an OUTCAR says eV and eV/Å', () => {
    const r = cli(['info', 'examples/lrlo/real/NH3-neb/01/OUTCAR']);
    expect(r.stdout).toMatch(/efermi\s+-5\.7149 \(eV\)/);
    expect(r.stdout).toMatch(/maxForce\s+[\d.]+ \(eV\/Å\)/);
  });

  it('a file name with a newline or an escape gives a one-line error', () => {
    for (const name of ['new\nline', 'esc\x1b[31m', 'cr\rname']) {
      const r = cli(['census', join(dir, name)]);
      expect(r.status).toBe(1);
      expect(r.stderr.split('\n')).toHaveLength(2); // one line + the final newline
      expect(r.stderr).toContain(printable(join(dir, name)));
      expect(r.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
    }
    const bad = join(dir, 'two\nlines');
    writeFileSync(bad, 'not a poscar\n');
    const r = cli(['census', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.startsWith(`oxyscope: ${dir}/two\\nlines:`)).toBe(true);
  });
});

describe('report.md escapes folder and file names', () => {
  it('md(): no raw HTML, no links, images, emphasis, code, math or cell breaks', () => {
    expect(md('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)>');
    expect(md('[x](javascript:alert(1))')).toBe('\\[x\\](javascript:alert(1))');
    expect(md('a|b `c` *d* _e_ $f$ ~g~ \\h & <i>')).toBe('a\\|b \\`c\\` \\*d\\* \\_e\\_ \\$f\\$ \\~g\\~ \\\\h &amp; &lt;i>');
    expect(md('two\nlines')).toBe('two\\\\nlines');
  });

  it('a report over folders with hostile names has them as text', () => {
    const root = join(dir, 'calcs');
    const names = ['<img src=x onerror=alert(1)>', '[click](http:evil)', 'a|b', 'line\nbreak', '<script>alert(1)<\\script>'];
    for (const n of names) {
      mkdirSync(join(root, n), { recursive: true });
      copyFileSync(POSCAR, join(root, n, 'POSCAR'));
    }
    const out = join(dir, 'rep');
    const r = cli(['report', root, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(join(out, 'report.md'), 'utf8');
    expect(text).not.toMatch(/<img|<script/);
    expect(text).not.toContain('[click](');
    expect(text).toContain('&lt;img src=x onerror=alert(1)>');
    expect(text).toContain('\\[click\\](http:evil)');
    expect(text).toContain('a\\|b');
    // every table row still has the header's number of cells (the | in a name is no cell break)
    const calcTable = text.split('\n').filter((l) => l.startsWith('| ') && l.includes('POSCAR'));
    expect(calcTable).toHaveLength(names.length);
    for (const row of calcTable) expect(row.replace(/\\\|/g, '').split('|').length).toBe(7);
    // a newline in a name stays inside its row
    expect(text).toContain('line\\\\nbreak');
  }, 120_000);
});

describe('LOBSTER files against the structure beside them', () => {
  const nacl = readFileSync(`${NACL}/POSCAR`, 'utf8').split('\n');

  it('report: a COHPCAR whose labels exceed the POSCAR is an error of that analysis and gets no plot', () => {
    const root = join(dir, 'lob');
    mkdirSync(join(root, 'run'), { recursive: true });
    copyFileSync(`${NACL}/COHPCAR.lobster`, join(root, 'run', 'COHPCAR.lobster'));
    // the NaCl cell with one Na and one Cl: LOBSTER's labels go up to Cl8
    writeFileSync(join(root, 'run', 'POSCAR'), [...nacl.slice(0, 6), '1 1', 'Direct', nacl[8], nacl[12], ''].join('\n'));
    const out = join(dir, 'lob-rep');
    const r = cli(['report', root, '--out', out]);
    expect(r.status).toBe(1);
    const doc = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const errors = doc.calculations[0].errors;
    expect(errors).toHaveLength(1);
    expect(errors[0].analysis).toBe('cohpcar');
    expect(errors[0].message).toMatch(/run\/COHPCAR\.lobster vs run\/POSCAR: bond Na1->Cl\d+\(.*\): atom Cl\d+ does not exist: the structure has 2 sites/);
    expect(readdirSync(out).filter((f) => f.includes('cohp'))).toEqual([]);
  }, 120_000);

  it('cohp --structure with the same atoms in another geometry (cell 2 % larger): MismatchError naming both files', () => {
    const bigger = join(dir, 'POSCAR.NaCl.strained');
    writeFileSync(bigger, [nacl[0], '1.02', ...nacl.slice(2)].join('\n'));
    for (const file of ['ICOHPLIST.lobster', 'COHPCAR.lobster']) {
      const r = cli(['cohp', `${NACL}/${file}`, '--structure', bigger]);
      expect(r.status).toBe(1);
      // Na1–Cl5 is 2.84731 Å in the files (a/2 of the 5.69463 Å cell); 2 % larger: 2.90426 Å
      expect(r.stderr).toMatch(new RegExp(`^oxyscope: ${NACL}/${file} vs ${bigger}: bond Na1->Cl5.* is 2\\.84731 Å in the LOBSTER file but no image of it is within 0\\.01 Å of that in the structure \\(nearest 2\\.90426 Å\\): another geometry\\n$`));
    }
    const same = cli(['cohp', `${NACL}/ICOHPLIST.lobster`, '--structure', `${NACL}/POSCAR`, '--json']);
    expect(same.status, same.stderr).toBe(0);
    expect(existsSync(bigger)).toBe(true);
  }, 120_000);
});
