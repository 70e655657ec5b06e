import { afterEach, describe, expect, it, vi } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from './run.js';

const K4 = 'test/fixtures/real/vasp/doscar/custodian__lobster__vasp_lobster_output';
const SITES = 'test/fixtures/sites';

afterEach(() => vi.restoreAllMocks());

describe('report: the sites section', () => {
  it('a run folder with ACF.dat and POTCAR beside the CONTCAR: Bader net charges by O class and element, in JSON and markdown', async () => {
    const root = mkdtempSync(join(tmpdir(), 'oxy-report-sites-'));
    const run = join(root, 'k4');
    mkdirSync(run);
    for (const f of ['CONTCAR', 'DOSCAR']) copyFileSync(join(K4, f), join(run, f));
    copyFileSync(join(SITES, 'ACF.dat'), join(run, 'ACF.dat'));
    copyFileSync(join(SITES, 'POTCAR.headers'), join(run, 'POTCAR'));
    const out = join(root, 'out');
    await runInProcess('report', root, '--out', out, '--engine', 'js');
    const doc = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const calc = doc.calculations.find((c: { id: string }) => c.id === 'k4');
    expect(calc.sites.files).toEqual({ bader: 'k4/ACF.dat', dos: 'k4/DOSCAR' });
    expect(calc.sites.zvalFrom).toBe('k4/POTCAR');
    expect(calc.sites.sites).toBeUndefined();
    // K: ZVAL 9 − (8.1712, 8.1705, 8.1698, 8.1721) electrons (pymatgen charge transfer with the sign flipped)
    const k = calc.sites.groups.find((g: { name: string }) => g.name === 'K');
    expect(k.stats.bader.mean).toBeCloseTo((0.8288 + 0.8295 + 0.8302 + 0.8279) / 4, 10);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('## Per-atom quantities by O environment (sites)');
    expect(md).toMatch(/\| K \| bader \| e \| 4 \| 0\.8291 \|/);
    expect(md).toContain('Bader ZVAL from k4/POTCAR');
  });
});
