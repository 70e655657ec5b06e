import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseIcohplist } from '../../src/io/lobster/icohplist.js';
import { parseCohpcar } from '../../src/io/lobster/cohpcar.js';
import { cohpcarAnalysis, icohpAnalysis } from '../../src/analysis/cohp.js';
import { jsKernels } from '../../src/kernels/js.js';
import { runInProcess } from '../cli/run.js';

const FIX = new URL('../fixtures/lobster/', import.meta.url);
const read = (f: string) => new Uint8Array(readFileSync(new URL(f, FIX)));

/** Values by hand from the hand-made fixtures (test/fixtures/lobster/README.md). */
describe('multi-centre COBI entries reach cohp as their own group', () => {
  it('ICOBILIST: the 3-centre B1->H7->B2 line (0.6) is listed and grouped apart from the B-B pair (0.4)', () => {
    const r = icohpAnalysis(parseIcohplist(read('ICOBILIST.multicentre.lobster'), 'ICOBILIST.lobster'), jsKernels);
    expect(r.bonds).toBe(1);
    expect(r.groups.map((g) => [g.name, g.by, g.count, g.meanMinusIcohp])).toEqual([['B-B', 'pair', 1, 0.4], ['B-H-B (3 centres)', 'multi-centre', 1, 0.6]]);
    expect(r.multiCentre).toEqual([
      { index: 2, label: 'B1[0 0 0]->H7[0 0 0]->B2[0 0 1]', atoms: ['B1', 'H7', 'B2'], sites: [0, 6, 1], elements: ['B', 'H', 'B'], translations: [[0, 0, 0], [0, 0, 0], [0, 0, 1]], nCentres: 3, value: 0.6 },
    ]);
    expect(r.units.multiCentre).toMatch(/per multi-centre entry/);
    expect(r.warnings.join(' ')).not.toMatch(/skipped/);
    // a length filter keeps the multi-centre entries (they have no length)
    expect(icohpAnalysis(parseIcohplist(read('ICOBILIST.multicentre.lobster'), 'x'), jsKernels, { cutoff: 1 }).multiCentre).toHaveLength(1);
  });

  it('COBICAR: No.2 (3 centres) from its ICOBI column at E_F = 0.6; the pair B-B from No.1 = 0.4', () => {
    const r = cohpcarAnalysis(parseCohpcar(read('COBICAR.multicentre.lobster'), 'COBICAR.lobster'), jsKernels);
    expect(r.bonds).toBe(1);
    expect(r.multiCentre.map((m) => [m.index, m.nCentres, m.atoms, m.value])).toEqual([[2, 3, ['B1', 'H7', 'B2'], 0.6]]);
    expect(r.groups.map((g) => [g.name, g.by, g.sumMinusIcohp])).toEqual([['B-B', 'pair', 0.4], ['B-H-B (3 centres)', 'multi-centre', 0.6]]);
  });

  it('oxyscope cohp shows them in the table and in --json', async () => {
    const file = new URL('ICOBILIST.multicentre.lobster', FIX).pathname;
    const text = (await runInProcess('cohp', file, '--engine', 'js')).stdout;
    expect(text).toMatch(/1 bonds \+ 1 multi-centre entry/);
    expect(text).toMatch(/multi-centre COBI entries \(1\): ICOBI of each n-centre interaction/);
    expect(text).toMatch(/B1\[0 0 0\]->H7\[0 0 0\]->B2\[0 0 1\]/);
    const j = JSON.parse((await runInProcess('cohp', file, '--json', '--engine', 'js')).stdout);
    expect(j.multiCentre[0].value).toBe(0.6);
    expect(j.groups.find((g: { by: string }) => g.by === 'multi-centre').name).toBe('B-H-B (3 centres)');
    // COBICAR CSV: the 3-centre entry as a row of its own with the file's value
    const csv = (await runInProcess('cohp', new URL('COBICAR.multicentre.lobster', FIX).pathname, '--csv', '--engine', 'js')).stdout.trim().split('\n');
    expect(csv[csv.length - 1]).toMatch(/,2,B1\[0 0 0\]->H7\[0 0 0\]->B2\[0 0 1\],,,0\.6,,ICOBI \(3 centres\)$/);
  });
});
