import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli, run, ROOT } from './run.js';

/**
 * NEB vs ensemble: numbered folders 00 … NN of unrelated structures (an SQS-like set made by swapping a Li and a
 * TM of the bundled pristine model) are an ensemble, not an NEB; the real NH3 NEB stays an NEB.
 */

const PRISTINE = readFileSync(join(ROOT, 'examples/lrlo/model/pristine/POSCAR'), 'utf8').split('\n');
/** POSCAR line of atom k (0-based): 8 header lines, then one row per atom (Li48 Mn15 Ni6 Co3 O72). */
const row = (k: number) => 8 + k;

/** The pristine model with the coordinate rows of atoms i and j exchanged: same species list, other sites. */
function swapped(i: number, j: number): string {
  const lines = [...PRISTINE];
  [lines[row(i)], lines[row(j)]] = [lines[row(j)], lines[row(i)]];
  lines[0] = `ensemble member: atoms ${i + 1} and ${j + 1} exchanged`;
  return lines.join('\n');
}

type Doc = { calculations: { id: string; kind: string; ensemble?: string; census?: { fractions: Record<string, number> } }[]; ensembles: { id: string; n: number; mean: Record<string, number>; std: Record<string, number>; members: string[]; reason: string }[] };

const N = 120;
let dir: string;
let doc: Doc;
let md: string;
let svg: string;

beforeAll(async () => {
  expect(builtCli()).toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'oxy-ensemble-'));
  for (let m = 0; m < N; m++) {
    const folder = join(dir, 'sqs', String(m).padStart(3, '0'));
    mkdirSync(folder, { recursive: true });
    // member 000 is the pristine model; the others exchange one Li (atoms 1–48) with one Mn (49–63)
    writeFileSync(join(folder, 'POSCAR'), m === 0 ? PRISTINE.join('\n') : swapped((m * 7) % 48, 48 + (m % 15)));
  }
  const r = await run(['report', dir, '--out', join(dir, 'rep')]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  doc = JSON.parse(readFileSync(join(dir, 'rep', 'report.json'), 'utf8'));
  md = readFileSync(join(dir, 'rep', 'report.md'), 'utf8');
  svg = readFileSync(join(dir, 'rep', 'census-classes.svg'), 'utf8');
}, 120_000);

describe('numbered folders of unrelated structures', () => {
  it('are an ensemble of calculations, not an NEB', () => {
    expect(doc.calculations).toHaveLength(N);
    expect(doc.calculations.every((c) => c.kind === 'files' && c.ensemble === 'sqs')).toBe(true);
    expect(doc.ensembles).toHaveLength(1);
    const e = doc.ensembles[0];
    expect(e.members).toHaveLength(N);
    // consecutive members put a Li on a Mn site and back: the largest step is at least a cation–cation distance
    const m = /^atom \d+ \((Li|Mn)\) moves (\d+\.\d\d) Å between (\d{3}) and (\d{3}); consecutive NEB images move no atom more than 2 Å$/.exec(e.reason);
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThan(2.8);
    expect(Number(m![4])).toBe(Number(m![3]) + 1);
  });

  it('report gives the mean ± sample std of each class fraction over the members', () => {
    const e = doc.ensembles[0];
    expect(e.n).toBe(N);
    expect(doc.calculations[0].census!.fractions).toEqual({ O4: 1 }); // the pristine honeycomb: every O is O4 by construction
    for (const k of Object.keys(e.mean)) {
      const xs = doc.calculations.map((c) => c.census!.fractions[k] ?? 0);
      const mean = xs.reduce((a, b) => a + b, 0) / N;
      const std = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (N - 1));
      expect(e.mean[k]).toBeCloseTo(mean, 12);
      expect(e.std[k]).toBeCloseTo(std, 12);
    }
    expect(e.std.O4).toBeGreaterThan(0);
    expect(md).toContain('## O environments of ensembles');
    expect(md).toMatch(/\| sqs \| 120 \| .*% ± .*% \|/);
  });

  it('the census plot draws the ensemble as one bar per class with error bars, not 120 bars', () => {
    const bars = svg.match(/class="bar"/g) ?? [];
    const classes = Object.keys(doc.ensembles[0].mean).length;
    expect(bars).toHaveLength(classes);
    expect(svg.match(/class="error"/g)?.length).toBe(Object.values(doc.ensembles[0].std).filter((s) => s > 0).length);
    expect(svg).toContain('sqs (ensemble, n = 120): share of O in each class, mean ± one sample std');
  });

  it('`neb` on such a folder refuses it and says why', async () => {
    const r = await run(['neb', join(dir, 'sqs')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not an NEB path: atom \d+ \((Li|Mn)\) moves/);
  });
});

describe('real NEB folders stay NEB paths', () => {
  it('the NH3 NEB is one NEB calculation', async () => {
    const r = await run(['report', 'examples/lrlo/real/NH3-neb', '--out', join(mkdtempSync(join(tmpdir(), 'oxy-nebrep-')), 'rep'), '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout) as Doc;
    expect(d.calculations.map((c) => c.kind)).toEqual(['neb']);
    expect(d.ensembles).toEqual([]);
  });

  it('an empty CONTCAR inside the path is a warning naming the image, not a silent fallback to POSCAR', async () => {
    const neb = join(mkdtempSync(join(tmpdir(), 'oxy-neb-')), 'neb');
    const src = join(ROOT, 'examples/lrlo/real/NH3-neb');
    for (const [img, file] of [['00', 'POSCAR'], ['01', 'CONTCAR'], ['02', 'CONTCAR'], ['03', 'CONTCAR'], ['04', 'POSCAR']]) {
      mkdirSync(join(neb, img), { recursive: true });
      copyFileSync(join(src, img, file), join(neb, img, img === '02' ? 'POSCAR' : file));
    }
    writeFileSync(join(neb, '02', 'CONTCAR'), '');
    const r = await run(['neb', neb, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).warnings).toContainEqual(expect.stringMatching(/^image 02: \S*02\/CONTCAR is empty \(the image's run stopped before its first ionic step\); its starting geometry \S*02\/POSCAR is used$/));
    expect(r.stderr).toMatch(/^warning: image 02: .*CONTCAR is empty/m);
  });
});
