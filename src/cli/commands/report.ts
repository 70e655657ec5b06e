import { Command, InvalidArgumentError } from 'commander';
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { withEngine, parseRange, type EngineOpts } from '../options.js';
import { withCensusOptions, censusSettings, type CensusCliOpts } from '../census-options.js';
import { finish, warn, withOutput, type OutputOpts } from '../output.js';
import { loadKernels } from '../../node/kernels.js';
import { loadStructure } from '../../node/load.js';
import { discoverCalculations, shardOf } from '../../node/discover.js';
import { checkFolderTarget, writeAtomic, writeFolderAtomic } from '../../node/write.js';
import { ResultCache } from '../../node/cache.js';
import { HashMemo } from '../../node/hash-memo.js';
import { FolderFiles } from '../../node/folder-files.js';
import { canonicalJson, inputHashes, sha256File, sha256Text, VERSION, type AnalysisOptions, type Provenance } from '../../node/provenance.js';
import { ParseError, UsageError } from '../../errors.js';
import { pct } from '../render.js';
import { ensemble } from '../../analysis/census.js';
import type { ClassSeries } from '../../plot/class-plot.js';
import { analyseCalculation, type CalcCurves, type CalcReport } from '../../pipeline/calculation.js';
import { nodeCalcEnv } from '../../node/calc-env.js';
import { renderMarkdown, type ReportDoc } from '../report/markdown.js';
import { summaryRow } from '../report/rows.js';
import { briefReport } from '../report/brief.js';
import { ensemblesOf, type EnsembleReport } from '../report/ensembles.js';
import { nebProfileSvg } from './neb.js';
import { pathCensusSvg } from '../path-census-render.js';
import { voltageSvg } from './voltage.js';
import { reportVoltage } from '../report/voltage.js';
import { printable } from '../printable.js';

type ReportOpts = EngineOpts & CensusCliOpts & Pick<OutputOpts, 'strict'> & {
  out?: string;
  jsonl?: string;
  shard?: [number, number];
  force?: boolean;
  json?: boolean;
  reference?: string;
  window: [number, number];
  cache?: string;
};

/** A calculation's report as written to report.json and each JSONL line: with its provenance. */
export type RecordedReport = CalcReport & { provenance: Provenance };

/**
 * One calculation's result in a run. `json` is `JSON.stringify` of its report as analysed (set when the report is
 * computed or read from the cache, which keeps the report before plot names are set, and the curves its plots
 * need); `changed` once the report changed after that. A `brief` report (briefReport) stands in for the whole one
 * where only the summary reads it.
 */
type Result = { report: RecordedReport; curves: CalcCurves; json?: string | Buffer; changed?: boolean; brief?: boolean };

/**
 * The pieces of a `--jsonl` line after its `{"root":…,` head: the report's members and `,"provenance":…}`, spliced
 * from the report's JSON text where it is at hand (a cache hit is written out without being parsed and stringified
 * again) — the same bytes as stringifying the record, since a report has neither a `root` nor a `provenance` key.
 */
function jsonlRest(r: Result): Buffer[] {
  const { provenance, ...report } = r.report;
  let json = r.json;
  if (json === undefined || r.changed) {
    // a brief report changed only by appended notes and errors (the voltage's): those on the whole report
    json = JSON.stringify(r.brief ? { ...(JSON.parse(json!.toString()) as CalcReport), notes: report.notes, errors: report.errors } : report);
  }
  const members = typeof json === 'string' ? Buffer.from(json.slice(1, -1)) : json.subarray(1, json.length - 1);
  return [members, Buffer.from(`,"provenance":${JSON.stringify(provenance)}}\n`)];
}

/** The files a report folder holds (`--force` replaces only a folder of these). */
const isReportFile = (name: string): boolean => /^(report\.(json|md)|[^/]*\.svg)$/.test(name);

/** `K/N` with 1 ≤ K ≤ N. */
export function parseShard(value: string): [number, number] {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!(n >= 1 && k >= 1 && k <= n)) throw new InvalidArgumentError(`expected K/N with 1 ≤ K ≤ N, e.g. 3/8 (got "${value}")`);
  return [k, n];
}

/** A file-name-safe slug of a calculation id (`model/pristine` → `model_pristine`). */
function slug(id: string): string {
  return id === '.' ? 'root' : id.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** SVG files of the report: one class histogram over all structures, and PDOS / −COHP / NEB plots per calculation. */
/** A progress bar on stderr (terminals only; loaded on use). */
async function progressBar() {
  const { default: cliProgress } = await import('cli-progress');
  return new cliProgress.SingleBar({ stream: process.stderr, format: 'report [{bar}] {value}/{total} {id}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
}

/** Structures drawn as bars of their own in the census plot; more than this are drawn as their mean ± std. */
const MAX_BARS = 8;

/**
 * The census plot's series: each ensemble as its mean ± sample std, the other structures one bar each — or, when
 * there are more than MAX_BARS of them, also as one mean ± std bar, so that hundreds of structures stay readable.
 */
function censusSeries(calcs: CalcReport[], ensembles: EnsembleReport[]): { series: ClassSeries[]; note: string } {
  const withCensus = calcs.filter((c) => c.census && c.census.nO > 0);
  const series: ClassSeries[] = ensembles
    .filter((e) => e.n > 0)
    .map((e) => ({ label: `${e.id} (ensemble, n = ${e.n})`, fractions: e.mean, std: e.std }));
  const single = withCensus.filter((c) => !c.ensemble);
  if (single.length > MAX_BARS) {
    const e = ensemble(single.map((c) => c.census!));
    series.push({ label: `${single.length} other structures`, fractions: e.mean, std: e.std });
  } else {
    for (const c of single) series.push({ label: c.structure?.model ? `${c.id} (model)` : c.id, fractions: c.census!.fractions });
  }
  // one series has no legend: its name goes into the note
  if (series.length === 1 && series[0].std) return { series, note: `${series[0].label}: share of O in each class, mean ± one sample std` };
  const pooled = series.some((s) => s.std);
  return { series, note: pooled ? 'share of O in each class; ensembles: mean ± one sample std over their structures' : 'share of O in each class, per structure' };
}

async function plotFiles(calcs: { report: CalcReport; curves: CalcCurves }[], ensembles: EnsembleReport[], window: [number, number]): Promise<{ files: Map<string, string>; shared: Record<string, string> }> {
  // plots (d3) load on use: they dominate the start-up time of every other command
  const [{ classFractionPlot }, { dosPlot }, { cohpPlot }] = await Promise.all([import('../../plot/class-plot.js'), import('../../plot/dos-plot.js'), import('../../plot/cohp-plot.js')]);
  const files = new Map<string, string>();
  const shared: Record<string, string> = {};
  const { series, note } = censusSeries(calcs.map((c) => c.report), ensembles);
  if (series.length > 0) {
    shared.census = 'census-classes.svg';
    files.set(shared.census, classFractionPlot(series, { note }));
  }
  for (const { report, curves } of calcs) {
    const base = slug(report.id);
    if (curves.pdos && report.pdos) {
      const file = `${base}-pdos.svg`;
      report.plots.pdos = file;
      files.set(file, dosPlot(curves.pdos, {
        window,
        title: `PDOS by ${report.pdos.groupBy === 'class' ? 'O class (O-p)' : 'element'}: ${report.id}`,
        note: `per atom of each group, spins ${report.pdos.spin === 'both' ? 'summed' : report.pdos.spin}; shaded: integration window`,
      }));
    }
    if (curves.cohp && curves.cohp.bonds.length > 0) {
      const file = `${base}-cohp.svg`;
      report.plots.cohp = file;
      files.set(file, cohpPlot(curves.cohp, { title: `−COHP of the strongest bonds: ${report.id}` }));
    }
    if (report.neb && report.neb.spline) {
      const file = `${base}-neb.svg`;
      report.plots.neb = file;
      files.set(file, await nebProfileSvg(report.neb, `NEB energy profile: ${report.id}`));
    }
    if (report.path && report.path.frames.length > 0) {
      const file = `${base}-path-census.svg`;
      report.plots.path = file;
      files.set(file, await pathCensusSvg(report.path, `O environments along the ${report.path.kind === 'neb' ? 'NEB path' : 'trajectory'}: ${report.id}`));
    }
  }
  return { files, shared };
}

function summaryText(doc: ReportDoc, written: string[], cacheNote?: string): string {
  const lines = [`oxyscope report: ${doc.calculations.length} calculation${doc.calculations.length === 1 ? '' : 's'} in ${doc.root}${doc.shard ? ` (shard ${doc.shard})` : ''}`, ''];
  if (doc.calculations.length === 0) lines.push('no VASP/LOBSTER calculations found (POSCAR/CONTCAR, DOSCAR, vasprun.xml, LOBSTER files, NEB folders 00..NN)');
  for (const c of doc.calculations) {
    const parts: string[] = [];
    if (c.structure) parts.push(`${c.structure.formula}${c.structure.model ? ' [MODEL]' : ''}`);
    if (c.census) parts.push(`O classes ${Object.entries(c.census.classes).map(([k, v]) => `${k} ${v}/${c.census!.nO} (${pct(c.census!.fractions[k])})`).join(', ')}`);
    if (c.migration) {
      const m = c.migration.migrated;
      parts.push(`TM in Li layer: ${c.migration.tmInLiLayer.length}${m.reference ? `; migrated TM vs reference: ${m.inPlane.length} in-plane, ${m.outOfPlane.length} out-of-plane` : ''}`);
    }
    if (c.pdos) {
      const per = c.pdos.groups.map((g) => `${g.name} ${g.perAtom.toFixed(3)}`).join(', ');
      const ratio = c.pdos.ratios.map((r) => `, ${r.name} = ${r.value === null ? '–' : r.value.toFixed(2)}`).join('');
      parts.push(`${c.pdos.groupBy === 'class' ? 'O-p' : 'PDOS'} states in [${c.pdos.window.join(', ')}] eV per atom: ${per}${ratio}`);
    }
    if (c.cohp) parts.push(`${c.cohp.quantity} mean per bond: ${c.cohp.groups.filter((g) => g.by === (c.cohp!.groups.some((x) => x.by === 'class') ? 'class' : 'pair')).map((g) => `${g.name} ${g.meanMinusIcohp.toFixed(3)} eV`).join(', ')}`);
    if (c.neb) {
      const b = c.neb.barrier;
      const f = (v: number | null) => (v === null ? '–' : v.toFixed(3));
      parts.push(`NEB barrier ${f(b.forward)} eV forward / ${f(b.backward)} eV backward (highest image), spline ${f(b.spline)} eV${b.basis === 'images-with-energies' ? ' [end-point energies missing]' : ''}`);
    }
    if (c.path) parts.push(`path census: ${c.path.frames.length} ${c.path.kind === 'neb' ? 'images' : 'frames'}, ${c.path.events.length} O class change${c.path.events.length === 1 ? '' : 's'}`);
    if (c.plots.cohp) parts.push(`−COHP curves: ${c.plots.cohp}`);
    if (parts.length === 0) parts.push(`no analysis applies (${c.kind === 'neb' ? 'NEB folder' : c.files.map((f) => f.format).join(', ')})${c.notes.length > 0 ? `: ${c.notes.join('; ')}` : ''}`);
    for (const e of c.errors) parts.push(`ERROR ${e.analysis}: ${e.message}`);
    lines.push(`${c.id}`, ...parts.map((p) => `  ${p}`));
  }
  for (const e of doc.ensembles) {
    lines.push(`ensemble ${e.id}: ${e.members.length} structures, ${e.n} with O; O classes (mean ± sample std): ${Object.keys(e.mean).map((k) => `${k} ${pct(e.mean[k])} ± ${pct(e.std[k])}`).join(', ')}`);
  }
  for (const v of doc.voltage?.series ?? []) {
    lines.push('', `voltage of Li_x${v.host.formula}: ${v.steps.length} hull step${v.steps.length === 1 ? '' : 's'} over x = ${v.xRange.map((x) => Number(x.toFixed(4))).join(' … ')}, average ${v.averageVoltage === null ? '– (no Li energy)' : `${v.averageVoltage.toFixed(3)} V`}`);
  }
  if (written.length > 0) lines.push('', `wrote ${written.join(', ')}`);
  if (cacheNote) lines.push(cacheNote);
  return `${lines.join('\n')}\n`;
}

export function reportCommand(): Command {
  const cmd = new Command('report')
    .summary('every analysis over a folder of calculations')
    .description('find every calculation in a folder (recursively), run every analysis that applies, write report.md, report.json and SVG plots')
    .argument('<folder>', 'a folder of calculations: VASP/LOBSTER files, NEB folders (00..NN), any depth')
    .option('--out <dir>', 'output folder (default <folder>/oxyscope-report; not written with --jsonl unless given)')
    .option('--jsonl <file>', 'write one JSON line per calculation (for shards of a job array; join them with `oxyscope merge`)')
    .option('--shard <K/N>', 'take only every N-th calculation starting at the K-th (SLURM_ARRAY_TASK_ID/…)', parseShard)
    .option('--reference <POSCAR>', 'pristine structure: census sites and migration are measured against it where the cell matches')
    .option('--window <a,b>', 'PDOS window in eV relative to E_F', parseRange, [-2, 0] as [number, number])
    .option('--cache <dir>', 'reuse results of calculations whose input files, options and oxyscope version are unchanged (safe to share between shards)');
  withCensusOptions(cmd);
  withOutput(cmd, undefined, 'print report.json on stdout instead of the summary');
  return withEngine(cmd)
    .option('--force', 'replace existing report files')
    .addHelpText('after', [
      '',
      'Examples:',
      '  oxyscope report calcs/ --out calcs-report',
      '  oxyscope report examples/lrlo --reference examples/lrlo/model/pristine/POSCAR --force',
      '  oxyscope report calcs/ --tm Mn,Ni,Co --cutoff Mn-O=2.3 --json',
      '  # one task of a SLURM job array, then one table (examples/hpc/ in the repository: array + dependent merge job):',
      '  oxyscope report calcs/ --shard $((SLURM_ARRAY_TASK_ID+1))/$SLURM_ARRAY_TASK_COUNT --jsonl shard-$SLURM_ARRAY_TASK_ID.jsonl --cache cache/',
      '  oxyscope merge shard-*.jsonl --csv --out all.csv',
    ].join('\n'))
    .action(async (folder: string, opts: ReportOpts) => {
      const st = await fs.stat(folder).catch(() => undefined);
      if (!st?.isDirectory()) throw new ParseError({ file: folder, line: 0, expected: 'a folder of calculations', found: st ? 'a file' : 'no such folder' });
      const kernels = await loadKernels(opts.engine);
      const writeFolder = opts.out !== undefined || opts.jsonl === undefined;
      const outDir = opts.out ?? join(folder, 'oxyscope-report');
      // refused before any work: the same checks run again when writing
      if (writeFolder) await checkFolderTarget(outDir, opts.force ?? false, isReportFile);
      if (opts.jsonl && !opts.force && (await fs.stat(opts.jsonl).then(() => true, () => false))) throw new UsageError(`${opts.jsonl} exists; pass --force to replace it`);
      const reference = opts.reference ? { file: opts.reference, structure: await loadStructure(opts.reference, kernels) } : undefined;
      const census = censusSettings(opts);
      const options: AnalysisOptions = {
        engine: kernels.engine,
        window: opts.window,
        reference: opts.reference ? { file: opts.reference, sha256: await sha256File(opts.reference) } : null,
        census,
      };
      const cache = opts.cache ? await ResultCache.open<CalcReport, CalcCurves>(opts.cache) : undefined;
      // the options as one string: every calculation's key material holds them
      const optionsJson = canonicalJson(options);
      // input hashes of the last run over this root and shard, reused for files unchanged since (src/node/hash-memo.ts)
      const memo = cache && HashMemo.load(join(cache.dir, 'hashes', `${sha256Text(JSON.stringify([resolve(folder), opts.shard ?? null]))}.index`));
      const hash = memo ? (p: string) => memo.sha256(p) : undefined;
      const folders = new FolderFiles();
      // cache hits: the whole report where report.json, report.md or --json show it; else its brief for the summary
      const brief = !writeFolder && !opts.json;
      let reused = 0;

      const all = await discoverCalculations(folder, { exclude: [outDir] });
      const calcs = opts.shard ? shardOf(all, opts.shard[0], opts.shard[1]) : all;
      const bar = process.stderr.isTTY && calcs.length > 1 ? await progressBar() : undefined;
      bar?.start(calcs.length, 0, { id: '' });
      const env = nodeCalcEnv(folder, kernels);
      const results: Result[] = [];
      for (const calc of calcs) {
        bar?.update(results.length, { id: calc.id });
        const provenance: Provenance = { tool: 'oxyscope', version: VERSION, options, inputs: await inputHashes(folder, calc, { hash, folders }) };
        // the root as given is part of the key: error messages name files by it
        const key = cache?.key(['oxyscope', VERSION, optionsJson, folder, calc.id, calc.kind, provenance.inputs.map((i) => [i.file, i.sha256])]);
        const hit = key ? cache!.get(key, brief ? 'brief' : 'doc') : undefined;
        if (hit) {
          reused++;
          results.push({ report: { ...hit.value, provenance }, curves: hit.extra, json: hit.docJson, brief });
        } else {
          const done = await analyseCalculation(calc, env, { reference, window: opts.window, census });
          const json = JSON.stringify(done.report);
          // stored as soon as it is computed: a shard killed midway resumes from here
          if (key) await cache!.put(key, done.report, briefReport(done.report), done.curves, json);
          results.push({ report: { ...done.report, provenance }, curves: done.curves, json });
        }
      }
      bar?.update(results.length, { id: '' });
      bar?.stop();

      const reasons = new Map(all.flatMap((c) => (c.ensemble ? [[c.ensemble.id, c.ensemble.reason] as const] : [])));
      const ensembles = ensemblesOf(results.map((r) => r.report), reasons);
      const { files, shared } = writeFolder ? await plotFiles(results, ensembles, opts.window) : { files: new Map<string, string>(), shared: {} };
      // across calculations: a shard holds only part of a series
      const changed = new Set<string>();
      const voltage = opts.shard ? undefined : await reportVoltage(calcs, results.map((r) => r.report), kernels, changed, folders);
      // the changes made to reports after analysis: plot names (folder output) and the voltage's notes and errors
      for (const r of results) r.changed = changed.has(r.report.id) || Object.keys(r.report.plots).length > 0;
      for (const [i, s] of (writeFolder ? voltage?.series ?? [] : []).entries()) {
        s.plot = voltage!.series.length === 1 ? 'voltage.svg' : `voltage-${i + 1}.svg`;
        files.set(s.plot, await voltageSvg(s, `Voltage and O classes: Li_x${s.host.formula}`));
      }
      const doc: ReportDoc = {
        tool: 'oxyscope',
        version: VERSION,
        root: folder,
        engine: kernels.engine,
        window: opts.window,
        reference: opts.reference ?? null,
        shard: opts.shard ? `${opts.shard[0]}/${opts.shard[1]}` : null,
        calculations: results.map((r) => r.report),
        ensembles,
        plots: shared,
        summary: results.map((r) => summaryRow(r.report)),
        ...(voltage ? { voltage } : {}),
        warnings: [...new Set(results.flatMap((r) => r.report.warnings))],
      };
      const written: string[] = [];
      if (writeFolder) {
        // one folder renamed into place: never new plots beside an old report.md, nothing partial on a full disk
        files.set('report.json', `${JSON.stringify(doc, null, 2)}\n`);
        files.set('report.md', renderMarkdown(doc));
        await writeFolderAtomic(outDir, files, opts.force ?? false, isReportFile);
        written.push(`${join(outDir, 'report.md')}`, `${join(outDir, 'report.json')}`, `${files.size - 2} SVG plot${files.size === 3 ? '' : 's'}`);
      }
      if (opts.jsonl) {
        const head = Buffer.from(`{"root":${JSON.stringify(resolve(folder))},`);
        await writeAtomic(opts.jsonl, Buffer.concat(results.flatMap((r) => [head, ...jsonlRest(r)])), opts.force);
        written.push(opts.jsonl);
      }
      for (const c of doc.calculations) for (const e of c.errors) process.stderr.write(`oxyscope: ${printable(`${c.id}: ${e.analysis}: ${e.message}`)}\n`);
      // after the JSONL: a memo not written costs only hashing next time (one warning when the entries failed too)
      const memoError = await memo?.save().then(() => undefined, (e: Error) => e.message);
      if (memoError && cache!.unstored === 0) warn([`cache ${cache!.dir}: input hashes not stored (${memoError}); every input file is hashed again next time`]);
      if (cache && cache.unstored > 0) warn([`cache ${cache.dir}: ${cache.unstored} result${cache.unstored === 1 ? '' : 's'} not stored (${cache.firstWriteError}); they are computed again next time`]);
      process.stdout.write(opts.json ? `${JSON.stringify(doc, null, 2)}\n` : summaryText(doc, written, cache && `cache ${cache.dir}: ${reused} reused, ${calcs.length - reused} computed; ${memo!.hashed} of ${memo!.hashed + memo!.reused} input files hashed (the others unchanged since the last run)`));
      if (doc.calculations.some((c) => c.errors.length > 0)) process.exitCode = 1;
      finish(opts, doc.warnings);
    });
}
