import { Command, Option } from 'commander';
import { withEngine, withSpecies, parsePositive, parseRange, type EngineOpts, type HintOpts } from '../options.js';
import { withCensusOptions, censusSettings, type CensusCliOpts } from '../census-options.js';
import { withOutput, emit, warn, type OutputOpts } from '../output.js';
import { loadKernels } from '../../node/kernels.js';
import { loadStructure } from '../../node/load.js';
import { findSitePaths, loadSiteInputs, type LoadedSiteInputs, type SitePaths } from '../../node/site-inputs.js';
import { QUANTITY_UNITS, sitesAnalysis, type SitesResult } from '../../analysis/sites.js';
import { UsageError } from '../../errors.js';
import { fmt, renderCsv, renderTable, type Cell } from '../render.js';

type SitesCliOpts = EngineOpts & HintOpts & CensusCliOpts & OutputOpts & SitePaths & {
  reference?: string;
  window: [number, number];
  peroxo?: number;
  o2?: number;
  maxLength?: number;
  vacancyCutoff?: number;
  find: boolean;
};

/** Short column names of the site table, with units. */
const LABEL: Record<string, string> = {
  mulliken: 'Mulliken (e)',
  loewdin: 'Löwdin (e)',
  pPopulation: 'p pop. Löwdin',
  magmom: 'magmom (μB)',
  bader: 'Bader (e)',
  baderElectrons: 'Bader electrons',
  sumMinusIcohp: 'Σ−ICOHP (eV)',
  sumIcobi: 'ΣICOBI',
  sitePotential: 'V Mulliken (eV)',
  sitePotentialLoewdin: 'V Löwdin (eV)',
  statesInWindow: 'states in window',
};

/** The human summary (also used by `report` through its markdown twin). */
export function renderSites(r: SitesResult, loaded?: Pick<LoadedSiteInputs, 'files' | 'zvalFrom' | 'madelungEnergies'>): string {
  const q = r.quantities;
  const out: string[] = [];
  const files = loaded ? Object.entries(loaded.files).map(([k, f]) => `${k} ${f}`).join('; ') : '';
  out.push(`${r.file}: ${r.nSites} sites${r.census ? `, ${r.census.nO} O classed` : ''}${files ? `; from ${files}` : ''}`);
  if (loaded?.zvalFrom) out.push(`Bader net charge = ZVAL − electrons, ZVAL from ${loaded.zvalFrom}`);
  if (q.includes('statesInWindow')) out.push(`states in window: PDOS over E − E_F ∈ [${r.window.join(', ')}] eV, spins summed (O: p orbitals; other sites: all orbitals)`);
  if (q.length === 0) out.push('no per-atom file found or given (CHARGE.lobster, OUTCAR, ACF.dat, ICOHPLIST/ICOBILIST.lobster, SitePotentials.lobster, a DOS): only classes and contacts');
  out.push('', 'per site (site numbers 1-based, as in POSCAR and LOBSTER labels):');
  out.push(renderTable(['site', 'species', 'class', 'nTM', 'nLi', ...q.map((k) => LABEL[k])], r.sites.map((s) => [s.index + 1, s.species, s.class ?? '', s.nTM, s.nLi, ...q.map((k) => s.values[k] ?? null)])));
  if (q.length > 0) {
    out.push('', 'per O class and per element (mean, sample std (n − 1), min, max over the group’s sites):');
    const rows: Cell[][] = [];
    for (const g of r.groups) {
      for (const k of q) {
        const st = g.stats[k]!;
        if (st.count === 0) continue;
        rows.push([g.name, g.by, LABEL[k], st.count, st.mean, st.std, st.min, st.max]);
      }
    }
    out.push(renderTable(['group', 'by', 'quantity', 'n', 'mean', 'std', 'min', 'max'], rows));
  }
  if (loaded?.madelungEnergies) {
    const m = loaded.madelungEnergies;
    out.push('', `Madelung energy of the cell (MadelungEnergies.lobster): ${fmt(m.mulliken, 2)} eV (Mulliken), ${fmt(m.loewdin, 2)} eV (Löwdin); Ewald splitting ${fmt(m.ewaldSplitting, 2)} 1/Å`);
  }
  const c = r.contacts;
  out.push('', `O–O short contacts (< ${c.thresholds.peroxo} Å peroxo-like, < ${c.thresholds.o2} Å O2-like): ${c.counts.total} (${c.counts.peroxoLike} peroxo-like, ${c.counts.o2Like} O2-like; ${c.counts.sharingACation} sharing a cation)`);
  if (c.contacts.length > 0) {
    out.push(renderTable(['O', 'O', 'image', 'distance (Å)', 'kind', 'classes', 'shared cations'], c.contacts.map((x) => [
      x.a + 1, x.b + 1, x.image.join(' '), x.distance, x.kind, x.classes.map((k) => k ?? '–').join('–'), x.sharedCations.map((i) => i + 1).join(' ') || 'none',
    ])));
    out.push(renderTable(['class', 'O in contacts', 'peroxo-like', 'O2-like'], Object.entries(c.byClass).map(([k, v]) => [k, v.oxygens, v.peroxoLike, v.o2Like])));
  }
  const v = r.vacancies;
  if (v) {
    out.push('', `vacancy clusters in the TM layers (empty reference sites within ${v.inPlaneCutoff} Å in plane): ${v.vacancies} vacancies in ${v.clusters.length} clusters, largest ${v.largest}`);
    if (v.clusters.length > 0) {
      out.push(renderTable(['size', 'clusters'], Object.entries(v.histogram).map(([k, n]) => [Number(k), n])));
      out.push(renderTable(['cluster', 'size', 'layer', 'former sites', 'reference sites (1-based)', 'O around (by class)'], v.clusters.map((cl, i) => [
        i + 1, cl.size, cl.layer, Object.entries(cl.formerSpecies).map(([e, n]) => `${e}×${n}`).join(' '), cl.sites.map((x) => x + 1).join(' '),
        Object.entries(cl.oxygenClasses).map(([k, n]) => `${k}×${n}`).join(' '),
      ])));
    }
  }
  return out.join('\n');
}

function renderSitesCsv(r: SitesResult): string {
  return renderCsv(
    ['file', 'site', 'species', 'class', 'nTM', 'nLi', ...r.quantities],
    r.sites.map((s) => [r.file, s.index + 1, s.species, s.class, s.nTM, s.nLi, ...r.quantities.map((k) => s.values[k] ?? null)]),
  );
}

export function sitesCommand(): Command {
  const cmd = new Command('sites')
    .summary('every per-atom quantity by O environment: charges, moments, bonds, potentials, O–O contacts, vacancy clusters')
    .description('per site and per O class (O4, O5 …) or element: LOBSTER charges, magnetic moments, Bader charges, summed −ICOHP/ICOBI, Madelung site potentials and O-p states near E_F; O–O short contacts; with --reference, vacancy clusters in the TM layers')
    .argument('<structure>', 'POSCAR/CONTCAR of the run (.gz works)')
    .option('--reference <poscar>', 'pristine structure: cation sites, vacancies and vacancy clusters come from it')
    .option('--charges <file>', 'CHARGE.lobster (Mulliken and Löwdin charges)')
    .option('--outcar <file>', 'OUTCAR (magnetization (x) of the last step; ZVAL when there is no POTCAR)')
    .option('--potcar <file>', 'POTCAR (ZVAL for Bader net charges)')
    .option('--bader <file>', 'Bader ACF.dat')
    .option('--icohp <file>', 'ICOHPLIST.lobster (−ICOHP summed over each atom’s bonds)')
    .option('--icobi <file>', 'ICOBILIST.lobster (ICOBI summed over each atom’s bonds)')
    .option('--madelung <file>', 'SitePotentials.lobster (Madelung site potentials)')
    .option('--madelung-energies <file>', 'MadelungEnergies.lobster (Madelung energy of the cell)')
    .option('--grosspop <file>', 'GROSSPOP.lobster (Löwdin gross population of the p orbitals)')
    .option('--dos <file>', 'DOSCAR, vasprun.xml or DOSCAR.lobster (states in the window)')
    .option('--window <a,b>', 'PDOS window in eV relative to E_F', parseRange, [-2, 0])
    .option('--max-length <Å>', 'only ICOHPLIST/ICOBILIST bonds up to this length in the per-atom sums', parsePositive)
    .option('--peroxo <Å>', 'O–O contacts shorter than this are peroxo-like (default 1.55)', parsePositive)
    .option('--o2 <Å>', 'O–O contacts shorter than this are O2-like (default 1.35)', parsePositive)
    .option('--vacancy-cutoff <Å>', 'in-plane distance joining two vacancies into one cluster (default 3.2)', parsePositive)
    .addOption(new Option('--no-find', 'read only the files named (default: also the standard names beside the structure)'));
  withCensusOptions(cmd);
  withSpecies(cmd);
  withOutput(cmd, 'print CSV (one row per site)');
  return withEngine(cmd)
    .addHelpText(
      'after',
      '\nFiles beside the structure with their standard names (CHARGE.lobster, OUTCAR, POTCAR, ACF.dat, ICOHPLIST.lobster, ICOBILIST.lobster,\n' +
        'SitePotentials.lobster, MadelungEnergies.lobster, GROSSPOP.lobster, DOSCAR / vasprun.xml / DOSCAR.lobster) are read unless --no-find.\n' +
        'Charges: positive = electrons lost. −ICOHP: positive = bonding. Tables number sites from 1, JSON from 0.\n\n' +
        'Examples:\n  oxyscope sites CONTCAR\n  oxyscope sites CONTCAR --reference POSCAR.pristine --json\n  oxyscope sites POSCAR --charges CHARGE.lobster --outcar OUTCAR --csv',
    )
    .action(async (path: string, opts: SitesCliOpts) => {
      if (path === '-') throw new UsageError('sites reads the files beside the structure: give the structure as a path, not stdin');
      const kernels = await loadKernels(opts.engine);
      const structure = await loadStructure(path, kernels, opts);
      const reference = opts.reference ? await loadStructure(opts.reference, kernels) : undefined;
      const given: SitePaths = {
        charges: opts.charges, outcar: opts.outcar, potcar: opts.potcar, bader: opts.bader, icohp: opts.icohp, icobi: opts.icobi,
        madelung: opts.madelung, madelungEnergies: opts.madelungEnergies, grosspop: opts.grosspop, dos: opts.dos,
      };
      const paths = await findSitePaths(path, given, opts.find);
      const loaded = await loadSiteInputs(paths, structure, path, kernels);
      const result = sitesAnalysis(structure, loaded.inputs, kernels, {
        census: { ...censusSettings(opts), reference },
        window: opts.window,
        contacts: { peroxo: opts.peroxo, o2: opts.o2 },
        vacancyCutoff: opts.vacancyCutoff,
        maxBondLength: opts.maxLength,
        files: { structure: path, ...loaded.files },
      });
      // what the readers said about the per-atom files comes first, then what the analysis found
      result.warnings.unshift(...loaded.warnings);
      warn(result.warnings);
      emit(opts, {
        json: () => ({ ...result, files: loaded.files, zvalFrom: loaded.zvalFrom ?? null, madelungEnergies: loaded.madelungEnergies ?? null, quantityUnits: QUANTITY_UNITS }),
        csv: () => renderSitesCsv(result),
        text: () => renderSites(result, loaded),
      });
    });
}
