import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parsePoscar } from '../../src/io/vasp/poscar.js';
import { parseDoscar } from '../../src/io/vasp/doscar.js';
import { parseCharge } from '../../src/io/lobster/charge.js';
import { parseIcohplist } from '../../src/io/lobster/icohplist.js';
import { parseAcf } from '../../src/io/bader/acf.js';
import { parseMagnetization } from '../../src/io/vasp/magnetization.js';
import { parseGrossPop } from '../../src/io/lobster/grosspop.js';
import { makeStructure, type Structure } from '../../src/model/structure.js';
import { sitesAnalysis, stats } from '../../src/analysis/sites.js';
import { ooContacts } from '../../src/analysis/contacts.js';
import { census } from '../../src/analysis/census.js';
import { vacancyClusters } from '../../src/analysis/vacancies.js';
import { MismatchError } from '../../src/errors.js';
import { bothEngines } from '../kernels/engines.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const read = (rel: string) => {
  const b = readFileSync(join(FIX, rel));
  return b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b;
};
const near = (actual: number | null | undefined, expected: number, abs = 1e-3) => expect(Math.abs((actual ?? NaN) - expected)).toBeLessThanOrEqual(abs);

const engines = await bothEngines();
const k = engines[0];

const k4 = 'real/vasp/doscar/custodian__lobster__vasp_lobster_output';
const k4s = parsePoscar(read(`${k4}/CONTCAR`), 'CONTCAR');
const k4dos = parseDoscar(read(`${k4}/DOSCAR`), 'DOSCAR', { structure: k4s });

const v51 = 'real/lobster';
const nacl = parsePoscar(read(`${v51}/doscar/custodian__lobster__v51/POSCAR`), 'POSCAR');

describe('stats', () => {
  it('count, mean, sample std (n − 1), min, max', () => {
    const s = stats([1, 2, 4]);
    expect(s.count).toBe(3);
    expect(s.mean).toBeCloseTo(7 / 3, 12);
    expect(s.std).toBeCloseTo(Math.sqrt(42 / 18), 12);
    expect([s.min, s.max]).toEqual([1, 4]);
    expect(stats([5]).std).toBeNull();
    expect(stats([])).toEqual({ count: 0, mean: null, std: null, min: null, max: null });
  });
});

describe('sitesAnalysis on real runs', () => {
  it('K4Sn4O6 (DOSCAR + CONTCAR): O-p states per O as pymatgen; Bader net charges = −(pymatgen charge transfer)', () => {
    const acf = parseAcf(read('sites/ACF.dat'), 'ACF.dat');
    const r = sitesAnalysis(k4s, { dos: k4dos, bader: { acf, zval: { K: 9, Sn: 14, O: 6 } } }, k, { files: { structure: 'CONTCAR', dos: 'DOSCAR', bader: 'ACF.dat' } });
    expect(r.quantities).toEqual(['bader', 'baderElectrons', 'statesInWindow']);
    // per O site, O p both spins in [−2, 0] eV, interp rule: pymatgen on the vasprun.xml of the run (see test/analysis/pdos.test.ts)
    const perSite = [1.202969403629358, 1.1990617758635693, 1.198218745246574, 1.19591593038334, 1.1986898258734837, 1.1890057353459524];
    perSite.forEach((v, i) => near(r.sites[8 + i].values.statesInWindow, v, 2e-3));
    // pymatgen BaderAnalysis.get_charge_transfer(i, ZVAL): K −0.8288, Sn −1.0999, O 1.3312 (electrons − ZVAL)
    near(r.sites[0].values.bader, 0.8288, 1e-9);
    near(r.sites[4].values.bader, 1.0999, 1e-9);
    near(r.sites[8].values.bader, -1.3312, 1e-9);
    expect(r.sites[8].values.baderElectrons).toBe(7.3312);
    // the K group: 8.1712, 8.1705, 8.1698, 8.1721 electrons → net 0.8288, 0.8295, 0.8302, 0.8279
    const kGroup = r.groups.find((g) => g.name === 'K')!;
    expect(kGroup.by).toBe('element');
    near(kGroup.stats.bader!.mean, (0.8288 + 0.8295 + 0.8302 + 0.8279) / 4, 1e-9);
    near(kGroup.stats.bader!.min, 0.8279, 1e-9);
    near(kGroup.stats.bader!.max, 0.8302, 1e-9);
    expect(r.warnings).toEqual([expect.stringContaining('grid spacing 0.135')]);
  });

  it('NaCl (LOBSTER 5.1.1): charges from CHARGE.lobster, bond sums per atom as summed by hand from the lists', () => {
    const charges = parseCharge(read(`${v51}/charge/custodian__lobster__v51/CHARGE.lobster`), 'CHARGE.lobster');
    const icohp = parseIcohplist(read(`${v51}/icohplist/custodian__lobster__v51/ICOHPLIST.lobster`), 'ICOHPLIST.lobster');
    const icobi = parseIcohplist(read(`${v51}/icohplist/custodian__lobster__v51/ICOBILIST.lobster`), 'ICOBILIST.lobster');
    const r = sitesAnalysis(nacl, { charges, icohp, icobi }, k);
    expect(r.quantities).toEqual(['mulliken', 'loewdin', 'sumMinusIcohp', 'sumIcobi']);
    // awk over the atom-pair lines (no `_` orbital lines): each Na and Cl is in 6 lines; Σ ICOHP = −3.39006, Σ ICOBI = 0.50838
    for (const s of r.sites) {
      near(s.values.sumMinusIcohp, 3.39006, 1e-9);
      near(s.values.sumIcobi, 0.50838, 1e-9);
      expect(s.values.mulliken).toBe(s.species === 'Na' ? 0.78 : -0.78);
      expect(s.values.loewdin).toBe(s.species === 'Na' ? 0.67 : -0.67);
      expect(s.class).toBeNull();
    }
    expect(r.groups.map((g) => [g.name, g.atoms])).toEqual([['Cl', 4], ['Na', 4]]);
    expect(r.groups[1].stats.mulliken).toEqual({ count: 4, mean: 0.78, std: 0, min: 0.78, max: 0.78 });
    expect(r.census).toBeNull();
  });

  it('a CHARGE.lobster of another run (custodian LiF beside the K4Sn4O6 CONTCAR) is a MismatchError naming both', () => {
    const lif = parseCharge(read(`${v51}/charge/custodian__lobster__vasp_lobster_output/CHARGE.lobster`), 'CHARGE.lobster');
    expect(() => sitesAnalysis(k4s, { charges: lif }, k, { files: { structure: 'CONTCAR', charges: 'CHARGE.lobster' } })).toThrow(MismatchError);
    expect(() => sitesAnalysis(k4s, { charges: lif }, k, { files: { structure: 'CONTCAR', charges: 'CHARGE.lobster' } })).toThrow(/CHARGE.lobster vs CONTCAR: 2 atoms vs 14 sites/);
    const acf = parseAcf(read('sites/ACF.dat'), 'ACF.dat');
    // an ACF.dat whose first atom sits 0.2 (fractional) away from the structure's
    expect(() => sitesAnalysis({ ...k4s, frac: k4s.frac.map((x, i) => (i === 0 ? x + 0.2 : x)) }, { bader: { acf } }, k)).toThrow(/another structure/);
  });

  it('p gross populations from GROSSPOP.lobster (pymatgen test files: SiO2 non-spin, AlN spin), summed by hand', () => {
    const cell = (species: string[]) => makeStructure({ comment: 'x', lattice: Float64Array.of(9, 0, 0, 0, 9, 0, 0, 0, 9), species, frac: Float64Array.from(species.flatMap((_, i) => [i / species.length, 0.5, 0.5])) });
    const sio2 = parseGrossPop(read('sites/pymatgen/GROSSPOP.lobster'), 'GROSSPOP.lobster');
    const r = sitesAnalysis(cell(['Si', 'Si', 'Si', 'O', 'O', 'O', 'O', 'O', 'O']), { grossPopulations: sio2 }, k);
    // Löwdin 3p_y + 3p_z + 3p_x: Si1 0.52·3, Si3 0.51 + 0.52 + 0.52; O4 1.75 + 1.77 + 1.80; O5 1.82 + 1.77 + 1.73
    [1.56, 1.56, 1.55, 5.32, 5.32].forEach((v, i) => near(r.sites[i].values.pPopulation, v, 1e-9));
    const aln = parseGrossPop(read('sites/pymatgen/GROSSPOP_511_sp.lobster.AlN'), 'GROSSPOP.lobster');
    const ra = sitesAnalysis(cell(['Al', 'Al', 'N', 'N']), { grossPopulations: aln }, k);
    // both spins: Al 3 × (0.23 + 0.23), N 3 × (0.77 + 0.77)
    [1.38, 1.38, 4.62, 4.62].forEach((v, i) => near(ra.sites[i].values.pPopulation, v, 1e-9));
    expect(() => sitesAnalysis(cell(['Si', 'Si']), { grossPopulations: sio2 }, k)).toThrow(MismatchError);
  });

  it('magnetic moments: the last table (collinear), the projection on the largest moment (non-collinear NiO)', () => {
    const si = makeStructure({ comment: 'Si2', lattice: Float64Array.of(0, 2.7, 2.7, 2.7, 0, 2.7, 2.7, 2.7, 0), species: ['Si', 'Si'], frac: Float64Array.of(0, 0, 0, 0.25, 0.25, 0.25) });
    const mag = parseMagnetization(new TextDecoder().decode(read('sites/OUTCAR.Si-moments-edited')), 'OUTCAR');
    const r = sitesAnalysis(si, { magnetization: mag }, k);
    // pymatgen Outcar.magnetization tot: 0.047, −0.042
    expect(r.sites.map((s) => s.values.magmom)).toEqual([0.047, -0.042]);
    const nio = makeStructure({ comment: 'NiO', lattice: Float64Array.of(4.17, 0, 0, 0, 4.17, 0, 0, 0, 8.34), species: ['Ni', 'Ni', 'O', 'O'], frac: Float64Array.of(0, 0, 0, 0, 0, 0.5, 0.5, 0.5, 0.25, 0.5, 0.5, 0.75) });
    const m = parseMagnetization(new TextDecoder().decode(read('real/vasp/outcar/OUTCAR.NiO_SOC.gz')), 'OUTCAR');
    const rn = sitesAnalysis(nio, { magnetization: m }, k);
    // pymatgen: tot vectors (0, −0, 1.671), (−0, −0, −1.671), ~0, ~0 → along the first: 1.671, −1.671, 0, 0
    rn.sites.forEach((s, i) => near(s.values.magmom, [1.671, -1.671, 0, 0][i], 1e-12));
    expect(rn.warnings.some((w) => w.includes('non-collinear'))).toBe(true);
    expect(() => sitesAnalysis(nio, { magnetization: mag }, k)).toThrow(/magnetization for 2 ions vs 4 sites/);
  });
});

/** Cubic 10 Å cell: Mn0 bonded to O1 and O2 (1.45 Å apart), O3–O4 1.25 Å, O5 1.40 Å from O1 across the z boundary. */
function dimerCell(): Structure {
  const cart = Float64Array.of(2.7, 1, 1.725, 1, 1, 1, 1, 1, 2.45, 6, 6, 6, 6, 6, 7.25, 1, 1, 9.6);
  return makeStructure({ comment: 'dimers', lattice: Float64Array.of(10, 0, 0, 0, 10, 0, 0, 0, 10), species: ['Mn', 'O', 'O', 'O', 'O', 'O'], frac: cart.map((x) => x / 10) });
}

describe('O–O short contacts', () => {
  it('kinds, images, shared cations and classes of a constructed cell (by hand), both engines', () => {
    for (const kern of engines) {
      const s = dimerCell();
      const c = census(s, kern, { neighbours: false });
      const r = ooContacts(s, kern, c);
      expect(r.contacts.map((x) => [x.a, x.b, x.image, x.kind, x.sharedCations, x.classes])).toEqual([
        [3, 4, [0, 0, 0], 'O2-like', [], ['O6', 'O6']],
        [1, 5, [0, 0, -1], 'peroxo-like', [], ['O5', 'O6']],
        [1, 2, [0, 0, 0], 'peroxo-like', [0], ['O5', 'O5']],
      ]);
      r.contacts.forEach((x, i) => near(x.distance, [1.25, 1.4, 1.45][i], 1e-9));
      expect(r.counts).toEqual({ total: 3, peroxoLike: 2, o2Like: 1, sharingACation: 1 });
      expect(r.byClass).toEqual({ O5: { oxygens: 2, peroxoLike: 2, o2Like: 0 }, O6: { oxygens: 3, peroxoLike: 1, o2Like: 2 } });
      // thresholds are options: below 1.42 Å only two contacts, both O2-like below 1.41
      const t = ooContacts(s, kern, c, { peroxo: 1.42, o2: 1.41 });
      expect(t.contacts.map((x) => x.kind)).toEqual(['O2-like', 'O2-like']);
    }
  });

  it('no contacts in a close-packed oxide (K4Sn4O6)', () => {
    expect(ooContacts(k4s, k, undefined).counts.total).toBe(0);
    expect(() => ooContacts(k4s, k, undefined, { peroxo: 1.3, o2: 1.4 })).toThrow(/O2-like ≤ peroxo-like/);
  });
});

describe('vacancy clusters in the TM layer', () => {
  const pristine = parsePoscar(readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'lrlo', 'model', 'pristine', 'POSCAR')), 'POSCAR');
  const mi = (s: Structure, i: number, j: number) => {
    // brute-force minimum image over −1..1 translations
    let best = Infinity;
    for (let a = -1; a <= 1; a++) for (let b = -1; b <= 1; b++) for (let c = -1; c <= 1; c++) {
      const d = [0, 1, 2].map((x) => s.cart[3 * j + x] + a * s.lattice[x] + b * s.lattice[3 + x] + c * s.lattice[6 + x] - s.cart[3 * i + x]);
      best = Math.min(best, Math.hypot(d[0], d[1], d[2]));
    }
    return best;
  };
  const without = (s: Structure, drop: Set<number>): Structure => {
    const keep = s.species.map((_, i) => i).filter((i) => !drop.has(i));
    return makeStructure({ comment: 'holes', lattice: s.lattice, species: keep.map((i) => s.species[i]), frac: Float64Array.from(keep.flatMap((i) => [0, 1, 2].map((x) => s.frac[3 * i + x]))) });
  };

  it('a TM-layer Li with its in-plane Mn neighbours removed is one cluster; a far TM-layer Li is another (checked by brute-force distances)', () => {
    const z = (i: number) => pristine.cart[3 * i + 2];
    const mn = pristine.species.flatMap((x, i) => (x === 'Mn' ? [i] : []));
    const tmLayerZ = new Set(mn.map((i) => Math.round(z(i) * 10)));
    const liTm = pristine.species.flatMap((x, i) => (x === 'Li' && tmLayerZ.has(Math.round(z(i) * 10)) ? [i] : []));
    const a = liTm[0];
    const mnNext = mn.filter((i) => Math.round(z(i) * 10) === Math.round(z(a) * 10) && mi(pristine, a, i) < 3.2).slice(0, 2);
    // a second TM-layer Li farther than 3.2 Å from the first cluster's sites and not next to them
    const far = liTm.find((i) => i !== a && [a, ...mnNext].every((j) => mi(pristine, i, j) > 3.2))!;
    const drop = new Set([a, ...mnNext, far]);
    const cur = without(pristine, drop);
    for (const kern of engines) {
      const c = census(cur, kern, { reference: pristine, neighbours: true });
      const v = vacancyClusters(cur, pristine, kern, c);
      expect(v.vacancies).toBe(4);
      expect(v.clusters.map((x) => x.sites)).toEqual([[a, ...mnNext].sort((p, q) => p - q), [far]]);
      expect(v.histogram).toEqual({ 1: 1, 3: 1 });
      expect(v.clusters[0].formerSpecies).toEqual({ Li: 1, Mn: 2 });
      // the O next to the cluster: every reference O within 2.5 Å of one of its sites (an octahedron around each)
      const o = pristine.species.flatMap((x, i) => (x === 'O' ? [i] : []));
      const expectedO = o.filter((i) => [a, ...mnNext].some((j) => mi(pristine, i, j) < 2.5));
      // indices in `cur` shift down by the dropped cations before them
      const shift = (i: number) => i - [...drop].filter((d) => d < i).length;
      expect(v.clusters[0].oxygens.map((x) => x.index)).toEqual(expectedO.map(shift));
      const total = Object.values(v.clusters[0].oxygenClasses).reduce((p, q) => p + q, 0);
      expect(total).toBe(expectedO.length);
    }
  });

  it('through sitesAnalysis with a reference, and none without vacancies', () => {
    const r = sitesAnalysis(pristine, {}, k, { census: { reference: pristine } });
    expect(r.vacancies).toEqual({ inPlaneCutoff: 3.2, vacancies: 0, clusters: [], histogram: {}, largest: 0 });
    expect(r.quantities).toEqual([]);
    expect(r.census!.classes).toEqual({ O4: 72 });
  });
});

describe('engines agree', () => {
  it('the whole result is the same with WASM and JS', () => {
    const acf = parseAcf(read('sites/ACF.dat'), 'ACF.dat');
    const [a, b] = engines.map((kern) => sitesAnalysis(k4s, { dos: k4dos, bader: { acf } }, kern));
    expect(JSON.stringify(a)).toEqual(JSON.stringify(b));
    const [c, d] = engines.map((kern) => sitesAnalysis(dimerCell(), {}, kern));
    expect(c).toEqual(d);
  });
});
