import { describe, expect, it } from 'vitest';
import { parseChargeLcfo } from '../../../src/io/lobster/charge-lcfo.js';
import { parseDoscarLobster } from '../../../src/io/lobster/doscar-lobster.js';
import { pdosWindow } from '../../../src/analysis/pdos.js';
import { parseIcohplist } from '../../../src/io/lobster/icohplist.js';
import { parseCohpcar } from '../../../src/io/lobster/cohpcar.js';
import { cohpcarAnalysis, icohpAnalysis } from '../../../src/analysis/cohp.js';
import { jsKernels } from '../../../src/kernels/js.js';
import { detectFormat, formatById } from '../../../src/io/formats.js';
import { ParseError } from '../../../src/errors.js';
import { fixtureText } from './helpers.js';
import { runInProcess } from '../../cli/run.js';
import { group } from '../../../src/pipeline/group.js';

/** LOBSTER 5.1 LCFO files (test/fixtures/lobster/lcfo/README.md); values read off the files. */
describe('CHARGE.LCFO.lobster', () => {
  const text = fixtureText('lobster/lcfo/CHARGE.LCFO.lobster.AlN');
  it('fragments (not atoms), Löwdin charges and the total of the real AlN file', () => {
    const c = parseChargeLcfo(text, 'CHARGE.LCFO.lobster');
    expect(c.basis).toBe('lcfo');
    expect(c.fragments).toEqual(['AlN', 'Al', 'N']);
    expect(c.labels).toEqual(['AlN_1', 'Al_2', 'N_3']);
    expect(Array.from(c.loewdin)).toEqual([0, 1.02, -1.02]);
    expect(c.total).toBe(-0);
  });
  it('is recognised by name and by content; CHARGE.lobster is not taken for it', () => {
    expect(detectFormat('CHARGE.LCFO.lobster', text)?.id).toBe('charge-lcfo');
    expect(detectFormat('renamed.txt', text)?.id).toBe('charge-lcfo');
    expect(detectFormat('AlN_CHARGE.LCFO.lobster.gz', '')?.id).toBe('charge-lcfo');
    expect(formatById('charge-lcfo').describe(parseChargeLcfo(text, 'x'))).toMatchObject({ basis: 'lcfo', nFragments: 3, fragments: ['AlN_1', 'Al_2', 'N_3'] });
  });
  it('a row out of order or a missing total is a ParseError at its line', () => {
    expect(() => parseChargeLcfo(text.replace('         2               Al', '         5               Al'), 'x')).toThrow(/x:5: expected a row `2 fragment LoewdinCharge`/);
    expect(() => parseChargeLcfo(text.slice(0, text.indexOf('                      total')), 'x')).toThrow(ParseError);
  });
});

describe('DOSCAR.LCFO.lobster (constructed, see the fixture README)', () => {
  const text = fixtureText('lobster/lcfo/DOSCAR.LCFO.lobster.constructed');
  it('one block per fragment: basis lcfo, fragment labels, orbitals, no species', () => {
    const d = parseDoscarLobster(text, 'DOSCAR.LCFO.lobster');
    expect([d.basis, d.fragments, d.species, d.nSites, d.nspin, d.orbitals]).toEqual(['lcfo', ['AlN_1', 'N_2'], undefined, 2, 2, [['1a1', '1e'], ['2s']]]);
    // pdos layout [((orbitalOffset + o) * nspin + s) * nedos + e]: AlN 1e spin down = column 4 of its block
    expect(Array.from(d.pdos!.subarray((1 * 2 + 1) * 3, (1 * 2 + 1) * 3 + 3))).toEqual([0.04, 0.4, 0.08]);
    expect(Array.from(d.pdos!.subarray((2 * 2 + 0) * 3, (2 * 2 + 0) * 3 + 3))).toEqual([0.5, 0.7, 0.9]);
  });
  it('the registry tells it from DOSCAR.lobster by its block header, under any name', () => {
    expect(detectFormat('DOSCAR.LCFO.lobster', text)?.id).toBe('doscar-lcfo');
    expect(detectFormat('-', text)?.id).toBe('doscar-lcfo');
    const lobster = fixtureText('real/lobster/doscar/custodian__lobster__v51/DOSCAR.lobster');
    expect(detectFormat('-', lobster)?.id).toBe('doscar-lobster');
    expect(formatById('doscar-lcfo').describe(parseDoscarLobster(text, 'x'))).toMatchObject({ basis: 'lcfo', nFragments: 2, fragments: ['AlN_1', 'N_2'] });
  });
  it('pdos: one group per fragment, no element or O-class grouping, and says why', () => {
    const d = parseDoscarLobster(text, 'x');
    const r = pdosWindow(d, jsKernels, { window: [-2, 0], orbitals: ['1e'] });
    expect(r.basis).toBe('lcfo');
    expect(r.groups.map((g) => g.name)).toEqual(['AlN_1', 'N_2']);
    // trapezoid of 1e (up 0.03 → 0.3, down 0.04 → 0.4) over [−2, 0]: (0.03 + 0.3) + (0.04 + 0.4) = 0.77; N has no 1e
    expect(r.groups[0].statesInWindow).toBeCloseTo(0.77, 12);
    expect(r.groups[1].statesInWindow).toBe(0);
    expect(r.warnings.join(' ')).toMatch(/LCFO fragments .* not on atoms/);
    expect(() => pdosWindow(d, jsKernels, { groupBy: 'class', classes: [null, null] })).toThrow(/no grouping by O class: the DOS is projected on LCFO fragments/);
    expect(() => pdosWindow(d, jsKernels, { elements: ['N'] })).toThrow(/no selection by element/);
  });
  it('a block that mixes Z= and fragment headers is a ParseError at that header', () => {
    expect(() => parseDoscarLobster(text.replace('; N; 2s', '; Z= 7; 2s'), 'x')).toThrow(/x:14: expected a fragment header like block 1/);
  });
});

describe('ICOHPLIST.LCFO.lobster (real AlN files)', () => {
  const flat = fixtureText('lobster/lcfo/ICOHPLIST_non_orbitalwise.LCFO.lobster.AlN');
  const orbital = fixtureText('lobster/lcfo/ICOHPLIST.LCFO.lobster.AlN.head');
  it('fragment labels, both spins per row (LOBSTER 5.1 layout), basis lcfo', () => {
    const l = parseIcohplist(flat, 'ICOHPLIST.LCFO.lobster');
    expect([l.basis, l.layout, l.nspin, l.bonds.length, l.orbitalResolved]).toEqual(['lcfo', 'lobster-5-spin-row', 2, 28, false]);
    const b = l.bonds[11];
    // line 14 of the file: `12  AlN_1  Al_2  1.91360  0 -1 -1  -2.59998  -2.59957`
    expect([b.index, b.label, b.length, b.translation, b.values]).toEqual([12, 'AlN_1->Al_2', 1.9136, [0, -1, -1], [-2.59998, -2.59957]]);
    expect(b.atoms.map((a) => [a.label, a.element, a.number])).toEqual([['AlN_1', 'AlN', 1], ['Al_2', 'Al', 2]]);
  });
  it('orbital lines name fragment orbitals (AlN_1_1a1)', () => {
    const l = parseIcohplist(orbital, 'ICOHPLIST.LCFO.lobster');
    expect(l.bonds.map((b) => b.parts.length)).toEqual([24, 2]);
    expect(l.bonds[0].parts[4]).toEqual({ orbitals: ['1a1', '3a1'], values: [-0.00085, -0.00084] });
  });
  it('the registry: LCFO lists by name and content, apart from ICOHPLIST.lobster', () => {
    expect(detectFormat('ICOHPLIST.LCFO.lobster', flat)?.id).toBe('icohplist-lcfo');
    expect(detectFormat('-', flat)?.id).toBe('icohplist-lcfo');
    expect(detectFormat('ICOBILIST.LCFO.lobster', '')?.id).toBe('icobilist-lcfo');
    expect(detectFormat('ICOHPLIST.lobster', fixtureText('real/lobster/icohplist/custodian__lobster__v51/ICOHPLIST.lobster'))?.id).toBe('icohplist');
  });
  it('cohp: groups by fragment-name pair (by hand from the 28 lines, spins summed), no O classes, and says why', () => {
    const r = icohpAnalysis(parseIcohplist(flat, 'x'), jsKernels);
    expect(r.basis).toBe('lcfo');
    const by = Object.fromEntries(r.groups.map((g) => [g.name, [g.count, g.sumMinusIcohp]]));
    expect(Object.keys(by).sort()).toEqual(['Al-AlN', 'AlN-AlN', 'AlN-N']);
    expect(by['AlN-AlN'][0]).toBe(8);
    expect(by['AlN-AlN'][1]).toBeCloseTo(22.93152, 10);
    expect(by['Al-AlN'][1]).toBeCloseTo(7.6172, 10);
    expect(by['AlN-N'][1]).toBeCloseTo(5.81235, 10);
    expect(r.perO).toEqual([]);
    expect(r.warnings.join(' ')).toMatch(/LCFO fragments .* not atoms/);
    expect(() => icohpAnalysis(parseIcohplist(flat, 'x'), jsKernels, { census: { sites: [], tm: [] } })).toThrow(/no O-class grouping on LCFO labels/);
  });
});

describe('COHPCAR.LCFO.lobster (constructed)', () => {
  const text = fixtureText('lobster/lcfo/COHPCAR.LCFO.lobster.constructed');
  it('fragment labels and fragment-orbital entries; registry entry cohpcar-lcfo', () => {
    const c = parseCohpcar(text, 'COHPCAR.LCFO.lobster');
    expect(c.basis).toBe('lcfo');
    expect(c.bonds.map((b) => [b.index, b.atoms.map((a) => a.label), b.orbitals, b.length])).toEqual([
      [1, ['AlN_1', 'AlN_1'], undefined, 3.66124],
      [1, ['AlN_1', 'AlN_1'], ['1a1', '2a1'], 3.66124],
      [2, ['AlN_1', 'Al_2'], undefined, 1.9136],
    ]);
    expect(detectFormat('COHPCAR.LCFO.lobster', text)?.id).toBe('cohpcar-lcfo');
    expect(detectFormat('-', text)?.id).toBe('cohpcar-lcfo');
    const r = cohpcarAnalysis(c, jsKernels);
    // −ICOHP at E_F from the file's column: No.1 0.6, No.2 0.7
    expect(r.groups.map((g) => [g.name, g.sumMinusIcohp])).toEqual([['Al-AlN', 0.7], ['AlN-AlN', 0.6]]);
    expect(r.basis).toBe('lcfo');
  });
});

describe('NcICOBILIST.lobster (constructed, see the fixture README)', () => {
  it('spin-polarised with orbital lines: layout lobster-nc, 2-, 3- and 4-centre entries, spin 2 from the second block', () => {
    const l = parseIcohplist(fixtureText('lobster/lcfo/NcICOBILIST.lobster.spin'), 'NcICOBILIST.lobster');
    expect([l.layout, l.nspin, l.kind, l.bonds.length]).toEqual(['lobster-nc', 2, 'cobi', 3]);
    expect(l.bonds.map((b) => [b.index, b.atoms.length, b.multiCentre, b.values])).toEqual([[1, 2, true, [0.1, 0.2]], [2, 3, true, [0.00009, 0.00018]], [3, 4, true, [0.01234, 0.02468]]]);
    expect(l.bonds[1].parts).toEqual([{ orbitals: ['4s', '5s', '4s'], values: [0.00116, 0.00232] }, { orbitals: ['4s', '5p_z', '4s'], values: [-0.00071, -0.00142] }]);
    expect(l.bonds[2].atoms.map((a) => a.translation)).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 1], [0, 0, 1]]);
    const r = icohpAnalysis(l, jsKernels);
    expect(r.bonds).toBe(0);
    expect(r.groups.map((g) => [g.name, g.by, g.count])).toEqual([['Ge-Te (2 centres)', 'multi-centre', 1], ['Ge-Te-Ge (3 centres)', 'multi-centre', 1], ['Ge-Te-Ge-Te (4 centres)', 'multi-centre', 1]]);
    expect(r.multiCentre.map((m) => m.value)).toEqual([0.1 + 0.2, 0.00009 + 0.00018, 0.01234 + 0.02468]);
  });
  it('non-spin without orbitals; the registry recognises both by name and content', () => {
    const text = fixtureText('lobster/lcfo/NcICOBILIST.lobster.nospin.withoutorbitals');
    const l = parseIcohplist(text, 'NcICOBILIST.lobster');
    expect([l.layout, l.nspin, l.orbitalResolved, l.bonds.map((b) => b.values[0])]).toEqual(['lobster-nc', 1, false, [0.1, 0.00009, 0.01234]]);
    expect(detectFormat('NcICOBILIST.lobster', text)?.id).toBe('ncicobilist');
    expect(detectFormat('-', text)?.id).toBe('ncicobilist');
    expect(detectFormat('NcICOBILIST.lobster.gz', '')?.id).toBe('ncicobilist');
  });
  it('a line without a chain is a ParseError at its line', () => {
    const text = fixtureText('lobster/lcfo/NcICOBILIST.lobster.nospin.withoutorbitals').replace('Ge1[0 0 0]->Te2[0 0 0]', 'Ge1 Te2');
    expect(() => parseIcohplist(text, 'x')).toThrow(/x:2: expected `k nAtoms value/);
  });
});

describe('DOSCAR.LCFO.lobster whose first fragment header lies beyond the detection head', () => {
  // the constructed file with 600 more total-DOS rows: the head (8 KiB) holds only the total block
  const text = fixtureText('lobster/lcfo/DOSCAR.LCFO.lobster.constructed');
  const rows = text.split('\n');
  const head = [...rows.slice(0, 6), ...Array.from({ length: 600 }, (_, i) => ` ${(-2 + i * 0.001).toFixed(5)}  0.10000  0.20000  0.50000  0.60000`)].join('\n').slice(0, 8192);
  it('the name decides (DOSCAR.LCFO.lobster), and a DOSCAR.lobster or stdin stays DOSCAR.lobster', () => {
    expect(detectFormat('DOSCAR.LCFO.lobster', head)?.id).toBe('doscar-lcfo');
    expect(detectFormat('DOSCAR.lobster', head)?.id).toBe('doscar-lobster');
    expect(detectFormat('-', head)?.id).toBe('doscar-lobster');
  });
});

describe('the CLI says fragments, not atoms', () => {
  const dir = 'test/fixtures/lobster/lcfo';
  it('pdos and cohp tables, info, and --structure refused on fragments', async () => {
    const p = await runInProcess('pdos', `${dir}/DOSCAR.LCFO.lobster.constructed`, '--engine', 'js');
    expect(p.stdout).toMatch(/grouped by LCFO fragment \(fragments, not atoms\)/);
    expect(p.stdout).toMatch(/group\s+fragments\s+states\s+per fragment/);
    expect(p.stderr).toMatch(/one group per fragment/);
    const c = await runInProcess('cohp', `${dir}/ICOHPLIST_non_orbitalwise.LCFO.lobster.AlN`, '--engine', 'js');
    expect(c.stdout).toMatch(/LCFO fragments, not atoms\), 28 bonds/);
    const i = JSON.parse((await runInProcess('info', `${dir}/ICOHPLIST_non_orbitalwise.LCFO.lobster.AlN`, '--json')).stdout);
    expect([i.format, i.basis, i.nBonds]).toEqual(['icohplist-lcfo', 'lcfo', 28]);
    await expect(runInProcess('cohp', `${dir}/ICOHPLIST_non_orbitalwise.LCFO.lobster.AlN`, '--structure', 'test/fixtures/real/lobster/doscar/custodian__lobster__v51/POSCAR')).rejects.toThrow(/no O-class grouping on LCFO labels/);
  });
});

describe('a LOBSTER folder with LCFO files beside the atom ones', () => {
  it('the LCFO files join the calculation (standard names from the registry) and take no analysis role', () => {
    const files = ['POSCAR', 'ICOHPLIST.lobster', 'ICOHPLIST.LCFO.lobster', 'DOSCAR.lobster', 'DOSCAR.LCFO.lobster', 'CHARGE.LCFO.lobster', 'NcICOBILIST.lobster'];
    const ids: Record<string, string> = { POSCAR: 'poscar', 'ICOHPLIST.lobster': 'icohplist', 'ICOHPLIST.LCFO.lobster': 'icohplist-lcfo', 'DOSCAR.lobster': 'doscar-lobster', 'DOSCAR.LCFO.lobster': 'doscar-lcfo', 'CHARGE.LCFO.lobster': 'charge-lcfo', 'NcICOBILIST.lobster': 'ncicobilist' };
    const calcs = group((p) => p, 'run', files.map((f) => ({ path: `run/${f}`, format: ids[f] })));
    expect(calcs).toHaveLength(1);
    expect([calcs[0].icohplist?.path, calcs[0].dos?.path, calcs[0].files.length]).toEqual(['run/ICOHPLIST.lobster', 'run/DOSCAR.lobster', 7]);
  });
});
