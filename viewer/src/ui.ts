import type { AtomGroup } from './describe/atoms.js';
import type { Cluster } from './describe/clusters.js';
import { sizeHistogram } from './describe/clusters.js';
import type { ProfileDrawing } from './describe/profile.js';
import { CLUSTER_COLOR, cssHex, PATH_COLOR } from './describe/style.js';
import type { InputFile } from './load.js';
import type { PathCensusResult, PathEvent } from '../../src/analysis/path-census.js';

/**
 * The panel's DOM: small render functions that take plain data and callbacks. The page's state lives in app.ts.
 */

export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html lacks #${id}`);
  return el as T;
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * Legend with a toggle per group (element, or O class) and its number of drawn instances, then the other marks
 * on screen (migration arrows, paths) with their colours.
 */
export function renderLegend(
  groups: AtomGroup[],
  hidden: Set<string>,
  drawn: Record<string, number>,
  onToggle: (key: string, on: boolean) => void,
  marks: { label: string; color: number; count: number }[] = [],
): void {
  const ul = $('legend');
  const markRows = marks.map((m) => {
    const li = el('li', { className: 'mark' }, el('span', { className: 'swatch bar' }), el('span', {}, m.label), el('span', { className: 'count' }, String(m.count)));
    (li.querySelector('.swatch') as HTMLElement).style.background = cssHex(m.color);
    return li;
  });
  ul.replaceChildren(
    ...groups.map((g) => {
      const box = el('input', { type: 'checkbox', checked: !hidden.has(g.key) });
      box.dataset.key = g.key;
      box.addEventListener('change', () => onToggle(g.key, box.checked));
      const label = g.role === 'oxygen' && g.key !== g.symbol ? `${g.key} (O)` : g.key;
      const li = el('li', {}, box, el('span', { className: 'swatch' }), el('span', {}, label), el('span', { className: 'count' }, String(drawn[g.key] ?? 0)));
      (li.querySelector('.swatch') as HTMLElement).style.background = cssHex(g.color);
      li.dataset.key = g.key;
      return li;
    }),
    ...markRows,
  );
}

/** Cluster sizes (histogram) and the clusters of two or more O5, clickable to frame one. */
export function renderClusters(clusters: Cluster[], selected: number | undefined, onSelect: (i: number | undefined) => void): void {
  const host = $('clusters');
  if (clusters.length === 0) {
    host.replaceChildren(el('p', { className: 'hint' }, 'no O5 in this frame'));
    return;
  }
  const hist = sizeHistogram(clusters);
  const summary = el('p', {}, `${clusters.reduce((n, c) => n + c.sites.length, 0)} O5 in ${clusters.length} cluster${clusters.length === 1 ? '' : 's'}; sizes: ${hist.map(([size, n]) => (n > 1 ? `${size}×${n}` : String(size))).join(', ')}`);
  summary.id = 'cluster-sizes';
  const rows = clusters
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.sites.length > 1)
    .slice(0, 30)
    .map(({ c, i }) => {
      const tr = el('tr', { className: 'pick' }, el('td', {}, `#${i + 1}`), el('td', {}, `${c.sites.length} O5`), el('td', {}, `${c.sharedCations.length} cations`));
      if (i === selected) tr.style.background = cssHex(CLUSTER_COLOR);
      tr.addEventListener('click', () => onSelect(i === selected ? undefined : i));
      return tr;
    });
  host.replaceChildren(summary, ...(rows.length ? [el('table', {}, ...rows)] : []));
}

/** The energy profile with the current image marked; clicking an image point selects that frame. */
/**
 * The class-fraction plot of the path census beside the energy profile (the SVG `report` writes, from src/plot) with
 * the current frame marked, the slider's ticks at the frames where an O changes class, and the changes of the frame.
 */
export function renderPathCensus(p: PathCensusResult | undefined, svg: () => string, current: number, changes: PathEvent[]): void {
  const fig = $('path-plot');
  fig.hidden = !p || p.frames.length === 0;
  const box = $('path-plot-svg');
  if (!p) {
    box.replaceChildren();
    box.dataset.source = '';
  } else if (box.dataset.source !== p.source) {
    // drawn once per path (a trajectory's plot has thousands of points), not per frame
    box.innerHTML = svg();
    box.dataset.source = p.source;
  }
  box.dataset.frame = p ? String(current) : '';
  const ticks = $('frame-ticks');
  ticks.replaceChildren(...[...new Set((p?.events ?? []).map((e) => e.frame))].map((f) => el('option', { value: String(f) })));
  const atom = (c: { index: number; species: string }) => `${c.species}${c.index + 1}`;
  $('frame-changes').textContent = !p
    ? ''
    : changes.length === 0
      ? `no O changes class here (${p.events.length} change${p.events.length === 1 ? '' : 's'} along the path)`
      : `${changes.length} O change${changes.length === 1 ? 's' : ''} class here (atoms 1-based):\n${changes.slice(0, 8).map((e) => `O${e.o + 1} ${e.from}→${e.to}${e.arrived.length ? `, ${e.arrived.map(atom).join(' ')} arrived` : ''}${e.left.length ? `, ${e.left.map(atom).join(' ')} left` : ''}`).join('\n')}${changes.length > 8 ? `\n… ${changes.length - 8} more` : ''}`;
}

export function renderProfile(d: ProfileDrawing | undefined, current: number, onImage: (i: number) => void): void {
  const fig = $('profile');
  const root = $('profile-svg') as unknown as SVGSVGElement;
  fig.hidden = !d;
  if (!d) {
    root.replaceChildren();
    root.dataset.marked = '';
    return;
  }
  root.setAttribute('viewBox', `0 0 ${d.width} ${d.height}`);
  const [l, t, r, b] = d.frame;
  const parts: SVGElement[] = [
    svg('rect', { x: l, y: t, width: r - l, height: b - t, fill: 'none', stroke: '#ced4da' }),
    ...d.yTicks.flatMap((k) => [svg('line', { x1: l - 3, x2: l, y1: k.y, y2: k.y, stroke: '#868e96' }), svg('text', { x: l - 5, y: k.y + 3, 'text-anchor': 'end' }, k.label)]),
    ...d.xTicks.flatMap((k) => [svg('line', { x1: k.x, x2: k.x, y1: b, y2: b + 3, stroke: '#868e96' }), svg('text', { x: k.x, y: b + 13, 'text-anchor': 'middle' }, k.label)]),
    svg('text', { x: (l + r) / 2, y: d.height - 3, 'text-anchor': 'middle' }, 'reaction coordinate (Å)'),
    svg('text', { x: 10, y: (t + b) / 2, 'text-anchor': 'middle', transform: `rotate(-90 10 ${(t + b) / 2})` }, 'E − E(first) (eV)'),
  ];
  if (d.curve) parts.push(svg('path', { d: d.curve, fill: 'none', stroke: '#495057', 'stroke-width': 1.5 }));
  const cur = d.images[current];
  if (cur) parts.push(svg('line', { id: 'profile-marker-line', x1: cur.x, x2: cur.x, y1: t, y2: b, stroke: cssHex(PATH_COLOR), 'stroke-dasharray': '3 2' }));
  d.images.forEach((im, i) => {
    const y = im.y ?? b;
    const dot = svg('circle', {
      class: 'image',
      cx: im.x,
      cy: y,
      r: i === current ? 6 : 4,
      fill: im.y === null ? '#fff' : i === current ? cssHex(PATH_COLOR) : '#495057',
      stroke: i === current ? cssHex(PATH_COLOR) : '#495057',
      'data-image': im.name,
    });
    dot.append(svg('title', {}, `${im.name}: ${im.energy === null ? 'no energy' : `${im.energy.toFixed(4)} eV`}`));
    dot.addEventListener('click', () => onImage(i));
    parts.push(dot);
  });
  root.replaceChildren(...parts);
  root.dataset.marked = cur?.name ?? '';
}

/** A small two-column table of numbers (census fractions, PDOS and ICOHP by class). */
export function table(title: string, head: string[], rows: (string | number)[][]): HTMLElement {
  return el(
    'div',
    {},
    el('p', {}, el('strong', {}, title)),
    el('table', {}, el('tr', {}, ...head.map((h) => el('th', {}, h))), ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, typeof c === 'number' ? fmt(c) : c))))),
  );
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(Math.abs(x) < 10 ? 3 : 2);
}

/** The status line: what is shown, then files that failed (red), then the analyses' warnings (muted). */
export function setStatus(text: string, problems: string[] = [], notes: string[] = []): void {
  $('status').replaceChildren(el('div', {}, text), ...problems.map((p) => el('div', { className: 'problem' }, p)), ...notes.map((p) => el('div', { className: 'note' }, p)));
}

/** Files of a drop: folders are walked (webkitGetAsEntry) so an NEB folder keeps its 00..NN structure. */
export async function droppedFiles(dt: DataTransfer): Promise<InputFile[]> {
  const out: InputFile[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail));
      out.push({ path: `${prefix}${entry.name}`, blob: file });
    } else if (entry.isDirectory) {
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
        if (batch.length === 0) break;
        for (const e of batch) if (!e.name.startsWith('.')) await walk(e, `${prefix}${entry.name}/`);
      }
    }
  };
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  if (entries.length) for (const e of entries) await walk(e, '');
  else for (const f of dt.files) out.push({ path: f.name, blob: f });
  return out;
}

/** Files of an <input type=file>: with webkitdirectory the relative path keeps the folder structure. */
export function pickedFiles(list: FileList | null): InputFile[] {
  return [...(list ?? [])].map((f) => ({ path: f.webkitRelativePath || f.name, blob: f }));
}

/** The colour menu: the default colours, then each quantity the folder's files give. */
export function renderColourMenu(options: { value: string; label: string }[], selected: string, onChange: (value: string) => void): void {
  const select = $<HTMLSelectElement>('colour-by');
  select.replaceChildren(el('option', { value: '', textContent: 'element / O class' }), ...options.map((o) => el('option', { value: o.value, textContent: o.label })));
  select.value = selected;
  select.disabled = options.length === 0;
  select.onchange = () => onChange(select.value);
}

/** The colour bar under the menu: gradient from min to max with the quantity and unit; hidden without a quantity. */
export function renderColourBar(bar: { gradient: string; min: string; max: string; name: string } | undefined): void {
  const host = $('colour-bar');
  host.hidden = !bar;
  if (!bar) return;
  (host.querySelector('.bar') as HTMLElement).style.background = bar.gradient;
  host.querySelector('.min')!.textContent = bar.min;
  host.querySelector('.max')!.textContent = bar.max;
  host.querySelector('.name')!.textContent = bar.name;
}

/** The O–O contact toggle with the number of contacts; hidden when there are none. */
export function renderContactsToggle(count: number): void {
  const label = $('contacts-toggle');
  label.hidden = count === 0;
  label.querySelector('.count')!.textContent = `(${count})`;
}
