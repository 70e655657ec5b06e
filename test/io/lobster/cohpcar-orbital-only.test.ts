import { describe, expect, it } from 'vitest';
import { parseCohpcar, readCohpcar } from '../../../src/io/lobster/cohpcar.js';
import { bondTotals, cohpChannel } from '../../../src/model/cohp.js';
import { fromBytes } from '../../../src/io/source.js';
import { fixture } from './helpers.js';

describe('COHPCAR with a bond that has only orbital-wise lines', () => {
  const bytes = fixture('lobster/COHPCAR.orbital-only.lobster');

  it('the bond exists; its total is the sum of its orbital pairs (by hand: rows of the file)', async () => {
    const c = parseCohpcar(bytes, 'COHPCAR.lobster');
    const totals = bondTotals(c.bonds);
    expect(totals.map((i) => c.bonds[i].label)).toEqual(['Li1->O2(2.0)', 'Li1->O3(2.1)']);
    const b2 = c.bonds[totals[1]];
    expect([b2.index, b2.length, b2.summedFromOrbitals, b2.atoms.map((a) => a.label)]).toEqual([2, 2.1, true, ['Li1', 'O3']]);
    // COHP: −0.3 + −0.4, −0.1 + −0.2, 0.1 + 0.3; ICOHP: −0.3 + −0.4, −0.4 + −0.6, −0.3 + −0.3
    expect(Array.from(cohpChannel(c, totals[1], 0))).toEqual([-0.7, -0.1 + -0.2, 0.1 + 0.3]);
    expect(Array.from(cohpChannel(c, totals[1], 0, 'icohp'))).toEqual([-0.7, -1, -0.6]);
    // the orbital line of No.1 stays with No.1; those of No.2 point at the added total
    expect(c.bonds.map((b) => b.parent)).toEqual([undefined, 0, 4, 4, undefined]);
    expect(c.warnings).toHaveLength(1);
    expect(c.warnings![0]).toMatch(/1 bond has only orbital-wise lines .*No\.2 Li1->O3\(2\.1\) \(2 orbital pairs\).*sum of its orbital pairs/);
    const s = await readCohpcar(fromBytes('COHPCAR.lobster', bytes, 50));
    expect(s.cohp).toEqual(c.cohp);
  });
});
