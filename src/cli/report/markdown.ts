import type { CalcReport } from '../../pipeline/calculation.js';
import type { Row } from './rows.js';
import { fmt, pct } from '../render.js';
import { ENERGY_LABEL } from '../commands/neb.js';

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
  /** plots across calculations (kind → file name) */
  plots: Record<string, string>;
  /** the headline numbers, one flat row per calculation (the table `oxyscope merge` prints) */
  summary: Row[];
  /** every calculation's reader warnings, each naming its file */
  warnings: string[];
}

type Cell = string | number | null | undefined;

function table(headers: string[], rows: Cell[][]): string {
  const show = (c: Cell) => (c === null || c === undefined ? '–' : String(c).replace(/\|/g, '\\|'));
  const right = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || r[i] === null || r[i] === undefined));
  return [
    `| ${headers.join(' | ')} |`,
    `|${headers.map((_, i) => (right[i] ? '---:' : '---')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(show).join(' | ')} |`),
  ].join('\n');
}

const name = (c: CalcReport) => (c.structure?.model ? `${c.id} (MODEL)` : c.id);
const img = (file: string, alt: string) => `![${alt}](${encodeURI(file)})`;

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
  if (plots.census) out.push('', img(plots.census, 'O classes by structure'));
  return out;
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
      `**${name(c)}** — ${p.file}; ${p.groupBy === 'class' ? 'O-p states grouped by O class' : 'all orbitals grouped by element'}; window [${p.window[0]}, ${p.window[1]}] eV relative to E_F (${p.mode} rule), spins ${p.spin === 'both' ? 'summed' : p.spin}; band centre and width over [${p.momentWindow[0]}, ${p.momentWindow[1]}] eV.`,
      '',
      table(
        ['group', 'atoms', 'states in window, summed over atoms', 'states in window per atom', 'band centre (eV)', 'band width (eV)', 'filling'],
        p.groups.map((g) => [g.name, g.atoms.length, fmt(g.statesInWindow, 4), fmt(g.perAtom, 4), fmt(g.center), fmt(g.width), g.filling === null ? null : pct(g.filling)]),
      ),
    );
    for (const q of p.ratios) out.push('', `Ratio ${q.name} (per atom): ${fmt(q.value)}`);
    for (const w of p.warnings) out.push('', `> ${w}`);
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
        `**${name(c)}** — ${h.file}; ${h.quantity} at E_F, ${h.nspin === 2 ? 'both spins summed' : 'one spin channel'}; ${h.bonds} bonds (each LOBSTER line once).`,
        '',
        table(
          ['group', 'grouped by', 'bonds', `mean ${h.quantity} per bond (${h.kind === 'cohp' ? 'eV' : '–'})`, `sum ${h.quantity} over bonds (${h.kind === 'cohp' ? 'eV' : '–'})`],
          h.groups.map((g) => [g.name, g.by === 'class' ? 'O class' : 'element pair', g.count, fmt(g.meanMinusIcohp, 4), fmt(g.sumMinusIcohp, 4)]),
        ),
      );
      if (!h.groups.some((g) => g.by === 'class')) out.push('', 'No O–cation bonds with an O class here (no O in the structure, or no structure).');
    }
    if (c.plots.cohp) out.push('', img(c.plots.cohp, `COHP of ${c.id}`));
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
    if (c.neb!.barrier.note) out.push('', `> ${c.id}: barriers ${c.neb!.barrier.note}.`);
    if (c.plots.neb) out.push('', img(c.plots.neb, `NEB profile of ${c.id}`));
  }
  return out;
}

export function renderMarkdown(doc: ReportDoc): string {
  const calcs = doc.calculations;
  const models = calcs.filter((c) => c.structure?.model);
  const out = [
    `# oxyscope report: ${doc.root}`,
    '',
    `${doc.tool} ${doc.version} · ${calcs.length} calculation${calcs.length === 1 ? '' : 's'}${doc.shard ? ` (shard ${doc.shard})` : ''} · kernels: ${doc.engine}${doc.reference ? ` · reference: ${doc.reference}` : ''}`,
    '',
  ];
  if (models.length > 0) {
    out.push(`> **MODEL** marks model structures (${models.map((c) => c.id).join(', ')}): built by a deterministic structure builder, not relaxed or computed by DFT. Their numbers illustrate the analyses; they are not results about a material.`, '');
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
        (['census', 'migration', 'pdos', 'cohp', 'neb'] as const).filter((k) => c[k]).join(', ') || '–',
        c.errors.length > 0 ? c.errors.map((e) => `${e.analysis}: ${e.message}`).join('; ') : '',
      ]),
    ),
    '',
  );
  out.push(...censusSection(calcs, doc.plots), '');
  out.push(...migrationSection(calcs), '');
  out.push(...pdosSection(calcs));
  out.push(...cohpSection(calcs));
  out.push(...nebSection(calcs), '');
  // the barrier note already stands under the NEB table
  const nebWarnings = (c: CalcReport) => (c.neb?.warnings ?? []).filter((w) => !c.neb?.barrier.note || !w.includes(c.neb.barrier.note));
  const notes = calcs.flatMap((c) => [...c.notes, ...nebWarnings(c)].map((n) => `- ${c.id}: ${n}`));
  if (notes.length > 0) out.push('## Notes', '', ...notes, '');
  const warnings = calcs.filter((c) => (c.warnings ?? []).length > 0);
  if (warnings.length > 0) {
    out.push('## Warnings from the readers', '');
    for (const c of warnings) out.push(`**${name(c)}**`, '', ...c.warnings.map((w) => `- ${w}`), '');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
