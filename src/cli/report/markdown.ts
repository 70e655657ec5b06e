import type { CalcReport } from '../../pipeline/calculation.js';
import type { Row } from './rows.js';
import { fmt, pct } from '../render.js';
import { ENERGY_LABEL } from '../commands/neb.js';
import type { EnsembleReport } from './ensembles.js';
import { voltageMarkdown, type ReportVoltage } from './voltage.js';
import { md } from '../printable.js';

/** report.md: a human summary, one section per analysis, each table with units and per-atom/per-bond/summed labels. */

export interface ReportDoc {
  tool: string;
  version: string;
  root: string;
  engine: string;
  window: [number, number];
  reference: string | null;
  shard: string | null;
  calculations: CalcReport[];
  /** numbered folders of unrelated structures (SQS sets): census mean ± sample std over their members */
  ensembles: EnsembleReport[];
  /** plots across calculations (kind → file name) */
  plots: Record<string, string>;
  /** the headline numbers, one flat row per calculation (the table `oxyscope merge` prints) */
  summary: Row[];
  /** the voltage across calculations, when the folder holds a series (one host at several Li contents) */
  voltage?: ReportVoltage;
  /** every calculation's reader warnings, each naming its file */
  warnings: string[];
}

type Cell = string | number | null | undefined;

function table(headers: string[], rows: Cell[][]): string {
  const show = (c: Cell) => (c === null || c === undefined ? '–' : typeof c === 'number' ? String(c) : md(c));
  const right = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null || r[i] === undefined));
  return [
    `| ${headers.join(' | ')} |`,
    `|${headers.map((_, i) => (right[i] ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(show).join(' | ')} |`),
  ].join('\n');
}

/** A calculation's id as plain text (table cells escape it themselves). */
const name = (c: CalcReport) => (c.structure?.model ? `${c.id} (MODEL)` : c.id);
const img = (file: string, alt: string) => `![${md(alt)}](${encodeURI(file).replace(/[()]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)})`;

function censusSection(calcs: CalcReport[], plots: Record<string, string>): string[] {
  const with_ = calcs.filter((c) => c.census);
  if (with_.length === 0) return [];
  const classes = [...new Set(with_.flatMap((c) => Object.keys(c.census!.classes)))].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const out = [
    '## O environments (census)',
    '',
    'Each O is classed by the TM cations among its octahedral neighbours: class O(6 − nTM) counts the non-TM sites (O4 = OLi₄TM₂, O5 = OLi₅TM₁). Counts are numbers of O in the cell; fractions are of all O.',
    '',
    table(
      ['structure', 'formula', 'O atoms', ...classes.map((k) => `${k} count (fraction)`)],
      with_.map((c) => [name(c), c.structure?.formula, c.census!.nO, ...classes.map((k) => `${c.census!.classes[k] ?? 0} (${pct(c.census!.fractions[k] ?? 0)})`)]),
    ),
    '',
    `TM set: ${with_[0].census!.tm.join(', ')}; alkali: ${with_[0].census!.alkali.join(', ')}. Cation–O cutoffs (Å): ${with_[0].census!.cutoffs.map((p) => `${p.pair} ${fmt(p.cutoff, 2)}`).join(', ')}.`,
  ];
  const own = with_.filter((c) => c.reference);
  if (own.length > 0) out.push('', `Cation sites of ${own.length} structure${own.length === 1 ? '' : 's'} come from ${own.length === 1 ? 'its' : 'their'} own pristine reference (the POSCAR.pristine beside ${own.length === 1 ? 'it' : 'each'}), not from \`--reference\`: ${own.map((c) => md(c.id)).join(', ')}.`);
  // delithiated cells: one class holds O that lost different numbers of Li, which the class alone hides
  const split = with_.filter((c) => c.census!.environments.some((e) => e.vacancies > 0));
  if (split.length > 0) {
    out.push(
      '',
      '### O environments by Li neighbours and vacancies',
      '',
      'In cells with vacancies (delithiated) each class is broken down by its Li neighbours (nLi) and empty cation sites (vacancies = 6 − cation neighbours).',
      '',
      table(
        ['structure', 'class', 'nTM', 'nLi', 'vacancies', 'O atoms', 'fraction of all O'],
        split.flatMap((c) => c.census!.environments.map((e) => [name(c), e.class, e.nTM, e.nLi, e.vacancies, e.count, pct(e.count / c.census!.nO)])),
      ),
    );
  }
  if (plots.census) out.push('', img(plots.census, 'O classes by structure'));
  return out;
}

function ensembleSection(ensembles: EnsembleReport[]): string[] {
  const with_ = ensembles.filter((e) => e.n > 0);
  if (with_.length === 0) return [];
  const classes = [...new Set(with_.flatMap((e) => Object.keys(e.mean)))].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  return [
    '## O environments of ensembles',
    '',
    'Numbered folders (00 … NN) that hold unrelated structures, not an NEB path, are an ensemble (e.g. SQS cells): mean ± sample standard deviation (n − 1) of each class fraction over its structures with O.',
    '',
    table(
      ['ensemble', 'structures', ...classes.map((k) => `${k} mean ± std`)],
      with_.map((e) => [e.id, e.n, ...classes.map((k) => `${pct(e.mean[k] ?? 0)} ± ${pct(e.std[k] ?? 0)}`)]),
    ),
    '',
    ...with_.map((e) => `- ${md(e.id)}: not an NEB path because ${md(e.reason)}.`),
  ];
}

/** Migrated TM as `count: Mn12, Ni3` (1-based atoms), or null without a reference. */
function moved(c: CalcReport, which: 'inPlane' | 'outOfPlane'): string | null {
  const m = c.migration!.migrated;
  if (!m.reference) return null;
  const list = m[which];
  return list.length === 0 ? '0' : `${list.length}: ${list.map((t) => `${t.species}${t.index + 1}`).join(', ')}`;
}

function migrationSection(calcs: CalcReport[]): string[] {
  const with_ = calcs.filter((c) => c.migration);
  if (with_.length === 0) return [];
  const coord = (c: CalcReport) =>
    Object.entries(c.migration!.coordination)
      .map(([sp, h]) => `${sp}: ${Object.entries(h as Record<string, number>).map(([n, k]) => `TM${n}×${k}`).join(' ')}`)
      .join('; ');
  return [
    '## TM layers, in-plane coordination and migration',
    '',
    'In-plane coordination = TM neighbours of each TM within its own cation layer (Mn–TM3 in a Li₂MnO₃-like honeycomb; TM4–6 after in-plane migration). Migrated counts need a pristine reference (`--reference`).',
    '',
    table(
      ['structure', 'layers', 'TM in Li layer', 'tetrahedral TM', 'migrated in-plane', 'migrated out-of-plane', 'in-plane TM–TM coordination (per TM species: CN×count)'],
      with_.map((c) => [name(c), c.migration!.layers.length, c.migration!.tmInLiLayer.length, c.migration!.tetrahedralTM.length, moved(c, 'inPlane'), moved(c, 'outOfPlane'), coord(c)]),
    ),
  ];
}

function pdosSection(calcs: CalcReport[]): string[] {
  const with_ = calcs.filter((c) => c.pdos);
  if (with_.length === 0) return [];
  const out = ['## Projected DOS in the window below E_F', ''];
  for (const c of with_) {
    const p = c.pdos!;
    out.push(
      `**${md(name(c))}** — ${md(p.file)}; ${p.groupBy === 'class' ? 'O-p states grouped by O class' : 'all orbitals grouped by element'}; window [${p.window[0]}, ${p.window[1]}] eV relative to E_F (${p.mode} rule), spins ${p.spin === 'both' ? 'summed' : p.spin}; band centre, width and filling over [${fmt(p.momentWindow[0], 2)}, ${fmt(p.momentWindow[1], 2)}] eV${p.momentWindowBasis === 'given' ? '' : ' (up to the top of the band that holds E_F, so that filling = occupied fraction of that band)'}.`,
      '',
      table(
        ['group', 'atoms', 'states in window, summed over atoms', 'states in window per atom', 'band centre (eV)', 'band width (eV)', 'filling'],
        p.groups.map((g) => [g.name, g.atoms.length, fmt(g.statesInWindow, 4), fmt(g.perAtom, 4), fmt(g.center), fmt(g.width), g.filling === null ? null : pct(g.filling)]),
      ),
    );
    for (const q of p.ratios) out.push('', `Ratio ${q.name} (per atom): ${fmt(q.value)}`);
    for (const w of p.warnings) out.push('', `> ${md(w)}`);
    if (c.plots.pdos) out.push('', img(c.plots.pdos, `PDOS of ${c.id}`));
    out.push('');
  }
  return out;
}

function cohpSection(calcs: CalcReport[]): string[] {
  const with_ = calcs.filter((c) => c.cohp || c.plots.cohp);
  if (with_.length === 0) return [];
  const out = ['## Bonding (LOBSTER)', ''];
  for (const c of with_) {
    const h = c.cohp;
    if (h) {
      out.push(
        `**${md(name(c))}** — ${md(h.file)}; ${h.quantity} at E_F, ${h.nspin === 2 ? 'both spins summed' : 'one spin channel'}; ${h.bonds} bonds (each LOBSTER line once).`,
        '',
        table(
          ['group', 'grouped by', 'bonds', `mean ${h.quantity} per bond (${h.kind === 'cohp' ? 'eV' : '–'})`, `sum ${h.quantity} over bonds (${h.kind === 'cohp' ? 'eV' : '–'})`],
          h.groups.map((g) => [g.name, g.by === 'class' ? 'O class' : g.by === 'multi-centre' ? 'multi-centre COBI (per entry)' : 'element pair', g.count, fmt(g.meanMinusIcohp, 4), fmt(g.sumMinusIcohp, 4)]),
        ),
      );
      if (!h.groups.some((g) => g.by === 'class')) out.push('', 'No O–cation bonds with an O class here (no O in the structure, or no structure).');
    }
    if (c.plots.cohp) out.push('', img(c.plots.cohp, `COHP of ${c.id}`));
    out.push('');
  }
  return out;
}

/** Per-atom quantities by O class and element, O–O contacts and vacancy clusters (issue 13). */
function sitesSection(calcs: CalcReport[]): string[] {
  const with_ = calcs.filter((c) => c.sites);
  if (with_.length === 0) return [];
  const out = [
    '## Per-atom quantities by O environment (sites)',
    '',
    'Per O class (O4 = OLi₄TM₂, O5 = OLi₅TM₁ …) and per element for the other atoms: count, mean, sample standard deviation (n − 1), min and max over the sites. Charges in e (positive = electrons lost), moments in μB (last ionic step), −ICOHP and ICOBI summed over each atom’s bonds, site potentials in eV, states = PDOS in the window (O: p orbitals), spins summed. Per-site values: `oxyscope sites`.',
    '',
  ];
  for (const c of with_) {
    const r = c.sites!;
    out.push(`**${md(name(c))}** — ${Object.entries(r.files).map(([k, f]) => `${k}: ${md(f)}`).join('; ') || 'no per-atom files'}${r.zvalFrom ? `; Bader ZVAL from ${md(r.zvalFrom)}` : ''}.`, '');
    const rows: Cell[][] = [];
    for (const g of r.groups) {
      for (const q of r.quantities) {
        const st = g.stats[q];
        if (!st || st.count === 0) continue;
        rows.push([g.name, q, r.units[q], st.count, fmt(st.mean, 4), fmt(st.std, 4), fmt(st.min, 4), fmt(st.max, 4)]);
      }
    }
    if (rows.length > 0) out.push(table(['group', 'quantity', 'unit', 'sites', 'mean', 'std', 'min', 'max'], rows), '');
    const k = r.contacts;
    out.push(`O–O short contacts (< ${k.thresholds.peroxo} Å peroxo-like, < ${k.thresholds.o2} Å O2-like): ${k.counts.total} (${k.counts.peroxoLike} peroxo-like, ${k.counts.o2Like} O2-like, ${k.counts.sharingACation} sharing a cation)${k.counts.total > 0 ? `; O in contacts by class: ${Object.entries(k.byClass).map(([cl, v]) => `${cl} ${v.oxygens}`).join(', ')}` : ''}.`);
    if (r.vacancies) {
      const v = r.vacancies;
      out.push('', `Vacancy clusters in the TM layers (empty reference sites within ${v.inPlaneCutoff} Å in plane): ${v.vacancies} vacancies in ${v.clusters.length} clusters; sizes ${Object.entries(v.histogram).map(([n, m]) => `${n}×${m}`).join(', ') || '–'}; largest ${v.largest}.`);
    }
    if (r.madelungEnergies) out.push('', `Madelung energy of the cell: ${fmt(r.madelungEnergies.mulliken, 3)} eV (Mulliken), ${fmt(r.madelungEnergies.loewdin, 3)} eV (Löwdin).`);
    for (const w of r.warnings) out.push('', `> ${w}`);
    out.push('');
  }
  return out;
}

function nebSection(calcs: CalcReport[]): string[] {
  const with_ = calcs.filter((c) => c.neb);
  if (with_.length === 0) return [];
  const out = [
    '## NEB barriers',
    '',
    'Barriers in eV: forward = highest image − reference image (the first with an energy), backward = highest image − last image with an energy; "spline" = maximum of the force-aware cubic Hermite spline (slopes from the tangential forces) within the path. Reaction coordinate = cumulative minimum-image path length of all atoms (Å).',
    '',
    table(
      ['NEB', 'images', 'energy', 'forward, highest image (eV)', 'backward, highest image (eV)', 'forward, spline (eV)', 'at x (Å)', 'migrating atoms (displacement, Å)'],
      with_.map((c) => {
        const n = c.neb!;
        return [c.id, n.nImages, ENERGY_LABEL[n.energyKind], fmt(n.barrier.forward, 4), fmt(n.barrier.backward, 4), fmt(n.barrier.spline, 4), fmt(n.barrier.splineReactionCoordinate, 2), n.migratingAtoms.map((m) => `${m.species}${m.index + 1} (${fmt(m.displacement)})`).join(', ')];
      }),
    ),
  ];
  for (const c of with_) {
    if (c.neb!.barrier.note) out.push('', `> ${md(c.id)}: barriers ${md(c.neb!.barrier.note)}.`);
    if (c.plots.neb) out.push('', img(c.plots.neb, `NEB profile of ${c.id}`));
  }
  return out;
}

/** Rows of the per-frame table: every frame up to this many, else evenly spaced frames (the last included). */
const PATH_ROWS = 25;

function pathSection(calcs: CalcReport[]): string[] {
  const with_ = calcs.filter((c) => c.path && c.path.frames.length > 0);
  if (with_.length === 0) return [];
  const out = [
    '## O environments along paths',
    '',
    'The census of every NEB image and XDATCAR frame: share of O in each class (O(6 − nTM)), and the class changes: an O counted in another class than in the frame before (frames numbered from 1; every frame is in report.json, `path`).',
  ];
  for (const c of with_) {
    const p = c.path!;
    const step = Math.max(1, Math.ceil(p.frames.length / PATH_ROWS));
    const rows = p.frames.filter((_, k) => k % step === 0 || k === p.frames.length - 1);
    const changes = new Map<number, number>();
    for (const e of p.events) changes.set(e.frame, (changes.get(e.frame) ?? 0) + 1);
    const what = p.kind === 'neb' ? 'image' : 'frame';
    out.push('', `**${md(name(c))}**: ${p.nO} O, ${p.frames.length} ${what}s, ${p.events.length} class change${p.events.length === 1 ? '' : 's'}${step > 1 ? ` (every ${step}th ${what} shown)` : ''}.`, '');
    out.push(table(
      [what, ...(p.kind === 'neb' ? ['x (Å)'] : []), ...p.classNames.map((k) => `${k} (%)`), 'changes'],
      rows.map((f) => [p.kind === 'neb' ? f.name : `${f.frame + 1}`, ...(p.kind === 'neb' ? [fmt(f.reactionCoordinate, 3)] : []), ...p.classNames.map((k) => pct(f.fractions[k] ?? 0)), changes.get(f.frame) ?? 0]),
    ));
    if (c.plots.path) out.push('', img(c.plots.path, `O classes along ${c.id}`));
  }
  return out;
}

export function renderMarkdown(doc: ReportDoc): string {
  const calcs = doc.calculations;
  const models = calcs.filter((c) => c.structure?.model);
  const out = [
    `# oxyscope report: ${md(doc.root)}`,
    '',
    `${doc.tool} ${doc.version} · ${calcs.length} calculation${calcs.length === 1 ? '' : 's'}${doc.shard ? ` (shard ${doc.shard})` : ''} · kernels: ${doc.engine}${doc.reference ? ` · reference: ${md(doc.reference)}` : ''}`,
    '',
  ];
  if (models.length > 0) {
    out.push(`> **MODEL** marks model structures (${models.map((c) => md(c.id)).join(', ')}): built by a deterministic structure builder, not relaxed or computed by DFT. Their numbers illustrate the analyses; they are not results about a material.`, '');
  }
  out.push(
    '## Calculations',
    '',
    table(
      ['calculation', 'kind', 'files', 'analyses', 'problems'],
      calcs.map((c) => [
        name(c),
        c.kind === 'neb' ? 'NEB' : c.structure?.formula ?? '–',
        c.kind === 'neb' ? 'image folders' : c.files.map((f) => f.file.split('/').pop()).join(', '),
        (['census', 'migration', 'pdos', 'cohp', 'sites', 'neb', 'path'] as const).filter((k) => c[k]).map((k) => (k === 'path' ? 'path census' : k)).join(', ') || '–',
        c.errors.length > 0 ? c.errors.map((e) => `${e.analysis}: ${e.message}`).join('; ') : '',
      ]),
    ),
    '',
  );
  out.push(...censusSection(calcs, doc.plots), '');
  out.push(...ensembleSection(doc.ensembles), '');
  out.push(...migrationSection(calcs), '');
  out.push(...pdosSection(calcs));
  out.push(...cohpSection(calcs));
  out.push(...sitesSection(calcs));
  out.push(...nebSection(calcs), '');
  out.push(...pathSection(calcs), '');
  out.push(...voltageMarkdown(doc.voltage));
  // the barrier note already stands under the NEB table
  const nebWarnings = (c: CalcReport) => (c.neb?.warnings ?? []).filter((w) => !c.neb?.barrier.note || !w.includes(c.neb.barrier.note));
  const notes = calcs.flatMap((c) => [...c.notes, ...nebWarnings(c)].map((n) => `- ${md(c.id)}: ${md(n)}`));
  if (notes.length > 0) out.push('## Notes', '', ...notes, '');
  const warnings = calcs.filter((c) => (c.warnings ?? []).length > 0);
  if (warnings.length > 0) {
    out.push('## Warnings from the readers', '');
    for (const c of warnings) out.push(`**${name(c)}**`, '', ...c.warnings.map((w) => `- ${w}`), '');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
