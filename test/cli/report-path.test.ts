import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from './run.js';
import { writeLrloHop } from '../analysis/lrlo-neb.js';

// a folder with an NEB (the built in-plane Mn hop) and an MD run (the real XDATCAR.MD as md/XDATCAR)
const dir = mkdtempSync(join(tmpdir(), 'oxy-report-path-'));
const root = join(dir, 'runs');
writeLrloHop(join(root, 'hop'), 5);
mkdirSync(join(root, 'md'), { recursive: true });
copyFileSync('test/fixtures/real/vasp/xdatcar/XDATCAR.MD', join(root, 'md', 'XDATCAR'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Calc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('report: census along NEB paths and trajectories (issue 14)', () => {
  it('adds the path census to the NEB and the XDATCAR calculation: per-frame fractions, class changes, the fraction plot', async () => {
    const out = join(dir, 'rep');
    await runInProcess('report', root, '--out', out);
    const doc = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { calculations: Calc[] };
    const hop = doc.calculations.find((c) => c.id === 'hop')!;
    const md = doc.calculations.find((c) => c.id === 'md')!;
    // by hand and pymatgen (see test/analysis/path-census.test.ts)
    expect(hop.path.frames.map((f: Calc) => f.classes)).toEqual([{ O4: 72 }, { O4: 70, O5: 2 }, { O4: 68, O5: 4 }, { O3: 2, O4: 66, O5: 4 }, { O3: 4, O4: 64, O5: 4 }]);
    expect(hop.path.events).toHaveLength(8);
    expect(md.path.kind).toBe('trajectory');
    expect(md.path.frames[0].classes).toEqual({ O1: 3, O2: 7, O3: 29, O4: 9 });
    expect(md.path.events).toHaveLength(4);
    expect(hop.plots.path).toBe('hop-path-census.svg');
    expect(md.plots.path).toBe('md-path-census.svg');
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['hop-path-census.svg', 'md-path-census.svg']));
    const text = readFileSync(join(out, 'report.md'), 'utf8');
    expect(text).toContain('## O environments along paths');
    expect(text).toContain('**hop**: 72 O, 5 images, 8 class changes.');
    expect(text).toMatch(/\| 04 \| 2\.850 \| 5\.6% \| 88\.9% \| 5\.6% \| 2 \|/);
    expect(text).toContain('![O classes along md](md-path-census.svg)');
  });
});
