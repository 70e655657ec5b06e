import { Raycaster, Vector2, Vector3, type Object3D } from 'three';
import type { Kernels } from '../../src/kernels/types.js';
import type { Structure } from '../../src/model/structure.js';
import { Inputs, inputOf, nothingBeside } from '../../src/pipeline/inputs.js';
import { Analysis, type FrameView } from './analyse.js';
import { loadFiles, blobSource, message, type Dataset, type InputFile } from './load.js';
import { calculationOf } from './calculation.js';
import type { CalcReport } from '../../src/pipeline/calculation.js';
import { siteOfInstance, sphereCentres, type Repeat } from './describe/atoms.js';
import { cellCentre, cellRadius } from './describe/cell.js';
import { presetView, type Preset } from './describe/camera.js';
import { pathPolylines } from './describe/paths.js';
import { profileDrawing } from './describe/profile.js';
import { pickSpheres } from './describe/pick.js';
import { siteInfoText } from './describe/info.js';
import { ARROW_COLORS, PATH_COLOR, PICK_COLOR } from './describe/style.js';
import { Stage } from './scene/stage.js';
import { buildFrame, type DrawnAtoms } from './scene/content.js';
import { sphereMesh } from './scene/impostor.js';
import { pathCensusPlot } from '../../src/plot/path-plot.js';
import { $, renderClusters, renderLegend, renderPathCensus, renderProfile, setStatus, table, droppedFiles, pickedFiles, renderColourMenu, renderColourBar, renderContactsToggle } from './ui.js';
import type { Quantity, SitesResult } from '../../src/analysis/sites.js';
import { colourable, colourScale, contactSegments, gradientCss, quantityLines } from './describe/quantity.js';

/** State the browser tests read (window.__oxyscope); every field describes what is on screen now. */
export interface TestHook {
  ready: boolean;
  engine: string;
  dataset: string;
  datasets: string[];
  frame: number;
  nFrames: number;
  /** image name marked on the energy profile ('' without a profile) */
  marked: string;
  /** the class-fraction plot of the path census: its classes and frames, null when not shown */
  pathPlot: { classes: string[]; frames: number; events: number } | null;
  /** class changes arriving at the current frame (O site 0-based, from → to) */
  classChanges: { o: number; from: string; to: string }[];
  /** drawn (visible) sphere instances per group key (`O4`, `O5`, `Li`, `Mn` …), supercell images included */
  counts: Record<string, number>;
  /** census classes of the current frame (class → number of O in the unit cell) */
  classes: Record<string, number>;
  clusterSizes: number[];
  /** the quantity atoms are coloured by ('' = element / O class) and its range */
  colourBy: string;
  colourRange: [number, number] | null;
  /** quantities the colour menu offers */
  quantities: string[];
  /** O–O short contacts drawn */
  contacts: number;
  info: string;
  /** the picked site (0-based) and whether its shell is in the scene; -1 when nothing is picked */
  picked: { site: number; marked: boolean };
  fps: number;
  drawnFrames: number;
  problems: string[];
  /** the readers' warnings about the loaded files */
  warnings: string[];
  /** the calculation pipeline's result for the selected structure's calculation (what `report --json` holds for it) */
  calculation: CalcReport | null;
  /** client (CSS pixel) coordinates of a site's sphere centre in repetition image 0, or null when off screen */
  project(site: number): { x: number; y: number } | null;
}

const PLAY_MS = { neb: 700, trajectory: 120 } as const;

/** Cells with more atoms than this open with bonds hidden (the checkbox brings them back). */
const BONDS_DEFAULT_LIMIT = 5000;

function structureSize(d: Dataset): number {
  if (d.kind === 'structure') return d.structure.species.length;
  if (d.kind === 'trajectory') return d.trajectory.nSites;
  if (d.kind === 'neb') return d.neb.images[0]?.species.length ?? 0;
  return 0;
}

export class App {
  private stage: Stage;
  private datasets: Dataset[] = [];
  private analysis?: Analysis;
  private view?: FrameView;
  private reference?: { file: string; structure: Structure };
  private frame = 0;
  private rep: Repeat = { na: 1, nb: 1, nc: 1 };
  private hidden = new Set<string>();
  private showBonds = true;
  private showClusters = true;
  private selectedCluster?: number;
  /** per-atom quantities of the selected structure from the files of its folder (colouring, O–O contacts) */
  private sites?: SitesResult;
  /** the renderNumbers run in progress (0: none): the page is not ready before it ends */
  private numbersPending = 0;
  private numbersToken = 0;
  private colourBy: Quantity | '' = '';
  private showContacts = true;
  /** the picked atom (site and supercell image): marked in the scene and described in the panel for every frame */
  private picked?: { site: number; image: number };
  private content?: Object3D;
  private atoms = new Map<string, DrawnAtoms>();
  private parts = new Map<string, Object3D[]>();
  private timer?: ReturnType<typeof setInterval>;
  private problems: string[] = [];
  private warnings: string[] = [];
  private skipped: string[] = [];
  private files: InputFile[] = [];
  readonly hook: TestHook;

  constructor(private readonly kernels: Kernels) {
    this.stage = new Stage($('stage'));
    const app = this;
    this.hook = {
      ready: false,
      engine: kernels.engine,
      dataset: '',
      datasets: [],
      frame: 0,
      nFrames: 0,
      marked: '',
      pathPlot: null,
      classChanges: [],
      counts: {},
      classes: {},
      clusterSizes: [],
      colourBy: '',
      colourRange: null,
      quantities: [],
      contacts: 0,
      info: '',
      picked: { site: -1, marked: false },
      get fps() {
        return app.stage.fps;
      },
      get drawnFrames() {
        return app.stage.drawn;
      },
      problems: [],
      warnings: [],
      calculation: null,
      project: (site) => this.project(site),
    };
    this.bind();
  }

  private bind(): void {
    const load = (files: InputFile[]) => void this.load(files);
    $<HTMLInputElement>('file-input').addEventListener('change', (e) => load(pickedFiles((e.target as HTMLInputElement).files)));
    $<HTMLInputElement>('folder-input').addEventListener('change', (e) => load(pickedFiles((e.target as HTMLInputElement).files)));
    $<HTMLInputElement>('reference-input').addEventListener('change', (e) => {
      const f = pickedFiles((e.target as HTMLInputElement).files)[0];
      if (f) void this.setReference(f);
    });
    document.body.addEventListener('dragover', (e) => {
      e.preventDefault();
      document.body.classList.add('dragging');
    });
    document.body.addEventListener('dragleave', () => document.body.classList.remove('dragging'));
    document.body.addEventListener('drop', (e) => {
      e.preventDefault();
      document.body.classList.remove('dragging');
      if (e.dataTransfer) void droppedFiles(e.dataTransfer).then(load);
    });
    $<HTMLSelectElement>('dataset').addEventListener('change', (e) => this.select(Number((e.target as HTMLSelectElement).value)));
    for (const axis of ['a', 'b', 'c'] as const) {
      $<HTMLSelectElement>(`rep-${axis}`).addEventListener('change', (e) => {
        this.rep = { ...this.rep, [`n${axis}`]: Number((e.target as HTMLSelectElement).value) };
        this.redraw(true);
      });
    }
    for (const b of document.querySelectorAll<HTMLButtonElement>('[data-preset]')) {
      b.addEventListener('click', () => this.preset(b.dataset.preset as Preset));
    }
    $<HTMLInputElement>('show-bonds').addEventListener('change', (e) => {
      this.showBonds = (e.target as HTMLInputElement).checked;
      this.redraw(false);
    });
    $<HTMLInputElement>('show-contacts').addEventListener('change', (e) => {
      this.showContacts = (e.target as HTMLInputElement).checked;
      this.redraw(false);
    });
    $<HTMLInputElement>('show-clusters').addEventListener('change', (e) => {
      this.showClusters = (e.target as HTMLInputElement).checked;
      this.redraw(false);
    });
    $('only-o5').addEventListener('click', () => this.only('O5'));
    $('show-all').addEventListener('click', () => {
      this.hidden.clear();
      this.applyVisibility();
    });
    $('export-png').addEventListener('click', () => this.exportPng());
    $<HTMLInputElement>('frame').addEventListener('input', (e) => this.setFrame(Number((e.target as HTMLInputElement).value)));
    $('play').addEventListener('click', () => this.togglePlay());
    this.bindPicking();
  }

  /** Files served by `oxyscope view` (a manifest next to the page); absent on a static page. */
  async loadServed(): Promise<void> {
    let manifest: { files: { id: number; name: string; role?: string }[] };
    try {
      const res = await fetch('files.json', { cache: 'no-store' });
      if (!res.ok) return;
      manifest = await res.json();
    } catch {
      return;
    }
    if (manifest.files.length === 0) return;
    setStatus(`fetching ${manifest.files.length} file${manifest.files.length === 1 ? '' : 's'}…`);
    const files: InputFile[] = [];
    const failed: string[] = [];
    let reference: InputFile | undefined;
    for (const f of manifest.files) {
      const res = await fetch(`files/${f.id}`, { cache: 'no-store' }).catch(() => undefined);
      if (!res?.ok) {
        failed.push(`${f.name}: could not be fetched from the server${res ? ` (HTTP ${res.status})` : ''}`);
        continue;
      }
      const blob = await res.blob();
      if (f.role === 'reference') reference = { path: f.name, blob };
      else files.push({ path: f.name, blob });
    }
    if (reference) await this.setReference(reference, false);
    await this.load(files, failed);
  }

  /** Reads and shows files; `failed` are problems met before reading (files the server could not send). */
  async load(files: InputFile[], failed: string[] = []): Promise<void> {
    if (files.length === 0 && failed.length === 0) return;
    this.stopPlay();
    setStatus(`reading ${files.length} file${files.length === 1 ? '' : 's'}…`);
    const loaded = await loadFiles(files, this.kernels);
    this.files = files;
    this.problems = [...this.problems.filter((p) => p.startsWith('reference')), ...failed, ...loaded.problems];
    this.skipped = loaded.skipped;
    this.warnings = loaded.warnings.map((w) => `warning: ${w}`);
    this.hook.problems = this.problems;
    this.hook.warnings = loaded.warnings;
    this.datasets = loaded.datasets;
    const viewable = this.datasets.map((d, i) => ({ d, i })).filter(({ d }) => d.kind === 'structure' || d.kind === 'trajectory' || d.kind === 'neb');
    const select = $<HTMLSelectElement>('dataset');
    select.replaceChildren(...viewable.map(({ d, i }) => Object.assign(document.createElement('option'), { value: String(i), textContent: `${d.name} (${d.kind})` })));
    select.hidden = viewable.length < 2;
    this.hook.datasets = viewable.map(({ d }) => d.name);
    if (viewable.length === 0) {
      setStatus('nothing to draw in these files', this.problems, this.warnings);
      return;
    }
    this.select(viewable[0].i);
  }

  private async setReference(file: InputFile, redraw = true): Promise<void> {
    try {
      const inputs = new Inputs(this.kernels);
      this.reference = { file: file.path, structure: await inputs.structure(await inputOf(await blobSource(file.path, file.blob), file.path, nothingBeside)) };
      this.warnings.push(...inputs.warnings.map((w) => `warning: ${w}`));
      this.problems = this.problems.filter((p) => !p.startsWith('reference'));
    } catch (e) {
      this.problems.push(`reference ${file.path}: ${message(e)}`);
    }
    const current = this.analysis ? this.datasets.indexOf(this.analysis.dataset) : -1;
    if (redraw && current >= 0) this.select(current);
    else setStatus('', this.problems);
  }

  private select(index: number): void {
    this.stopPlay();
    const d = this.datasets[index];
    try {
      this.analysis = new Analysis(d, this.kernels, this.reference);
    } catch (e) {
      setStatus(`${d.name}: could not be analysed`, [...this.problems, message(e)]);
      return;
    }
    $<HTMLSelectElement>('dataset').value = String(index);
    this.frame = 0;
    this.selectedCluster = undefined;
    // bonds start off for big cells: tens of thousands of sticks hide the atoms and halve the frame rate
    this.showBonds = structureSize(d) <= BONDS_DEFAULT_LIMIT;
    $<HTMLInputElement>('show-bonds').checked = this.showBonds;
    const slider = $<HTMLInputElement>('frame');
    slider.max = String(this.analysis.nFrames - 1);
    slider.value = '0';
    for (const id of ['view-section', 'legend-section', 'cluster-section']) $(id).hidden = false;
    $('frames-section').hidden = this.analysis.nFrames < 2;
    this.hook.dataset = d.name;
    this.hook.nFrames = this.analysis.nFrames;
    this.setSites(undefined);
    $('info').textContent = 'click an atom';
    this.hook.info = '';
    this.picked = undefined;
    this.redraw(true);
    void this.renderNumbers();
  }

  private setFrame(i: number): void {
    if (!this.analysis) return;
    this.frame = Math.max(0, Math.min(this.analysis.nFrames - 1, i));
    $<HTMLInputElement>('frame').value = String(this.frame);
    this.redraw(false);
    this.renderNumbers();
  }

  private togglePlay(): void {
    if (this.timer) return this.stopPlay();
    if (!this.analysis || this.analysis.nFrames < 2) return;
    $('play').textContent = '❚❚';
    const ms = this.analysis.dataset.kind === 'neb' ? PLAY_MS.neb : PLAY_MS.trajectory;
    this.timer = setInterval(() => this.setFrame((this.frame + 1) % this.analysis!.nFrames), ms);
  }

  private stopPlay(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    $('play').textContent = '▶';
  }

  /** Rebuilds the scene for the current frame and options; `resetCamera` frames the whole (super)cell. */
  private redraw(resetCamera: boolean): void {
    const a = this.analysis;
    if (!a) return;
    let v: FrameView;
    try {
      v = this.view = a.frame(this.frame);
    } catch (e) {
      setStatus(`${a.dataset.name}, ${a.labels[this.frame]}: could not be analysed`, [...this.problems, message(e)]);
      return;
    }
    const s = v.structure;
    const clusterSites = this.showClusters
      ? (this.selectedCluster !== undefined ? [v.clusters[this.selectedCluster]] : v.clusters.filter((c) => c.sites.length > 1)).flatMap((c) => c?.sites ?? [])
      : [];
    const paths = a.neb?.path ?? [];
    const { group, atoms, parts } = buildFrame({
      groups: v.groups,
      cart: s.cart,
      lattice: s.lattice,
      rep: this.rep,
      bonds: this.showBonds ? v.bonds : { segments: new Float32Array(0), owner: new Int32Array(0) },
      halo: Int32Array.from(clusterSites),
      paths: pathPolylines(paths).map((points, k) => {
        const g = v.groups.find((x) => x.sites.includes(paths[k].index))!;
        return { points, color: g.color, radius: g.radius };
      }),
      arrows: v.arrows,
      arrowGap: Math.max(0, ...v.groups.filter((g) => g.role === 'tm').map((g) => g.radius)),
      ...this.quantityDrawing(s),
    });
    this.stage.setContent(group);
    this.content = group;
    this.markPicked();
    this.atoms = atoms;
    this.parts = parts;
    if (resetCamera) this.preset(v.migration ? 'stacking' : 'c');
    this.applyVisibility();
    renderClusters(v.clusters, this.selectedCluster, (i) => {
      this.selectedCluster = i;
      this.redraw(false);
    });
    renderProfile(a.hasProfile && a.neb ? profileDrawing(a.neb) : undefined, this.frame, (i) => this.setFrame(i));
    const changes = a.changesAt(this.frame);
    renderPathCensus(a.path, () => pathCensusPlot(a.path!), this.frame, changes);
    $('frame-label').textContent = `${this.frame + 1}/${a.nFrames} ${a.labels[this.frame]}`;
    setStatus(
      `${a.dataset.name}: ${s.species.length} atoms${v.census ? `, ${v.census.nO} O` : ''}${a.nFrames > 1 ? `, ${a.nFrames} frames` : ''}` +
        (this.reference && v.migration ? `; ${v.arrows.inPlane.length} in-plane, ${v.arrows.outOfPlane.length} out-of-plane TM moves` : '') +
        (this.skipped.length ? `\nnot drawn: ${this.skipped.join(', ')}` : ''),
      this.problems,
      [...this.warnings, ...v.notes, ...(a.dataset.kind === 'neb' ? (a.neb?.warnings ?? []) : []), ...a.pathNotes, ...(a.path?.warnings ?? [])],
    );
    Object.assign(this.hook, {
      frame: this.frame,
      marked: ($('profile-svg') as unknown as SVGElement).dataset.marked ?? '',
      classes: { ...(v.census?.classes ?? {}) },
      pathPlot: a.path && !$('path-plot').hidden ? { classes: a.path.classNames, frames: a.path.frames.length, events: a.path.events.length } : null,
      classChanges: changes.map((e) => ({ o: e.o, from: e.from, to: e.to })),
      clusterSizes: v.clusters.map((c) => c.sites.length),
    });
    // ready once the new content has been drawn at least once
    const drawnAt = this.stage.drawn;
    this.hook.ready = false;
    // … and once the numbers (with the per-atom quantities the colour menu offers) are in
    const wait = () => (this.stage.drawn > drawnAt && this.numbersPending === 0 ? (this.hook.ready = true) : requestAnimationFrame(wait));
    requestAnimationFrame(wait);
  }

  private applyVisibility(): void {
    const counts: Record<string, number> = {};
    for (const [key, objects] of this.parts) for (const o of objects) o.visible = !this.hidden.has(key);
    for (const [key, a] of this.atoms) counts[key] = a.mesh.visible ? a.centres.length / 3 : 0;
    this.stage.invalidate();
    this.hook.counts = counts;
    if (this.view) {
      const v = this.view;
      const marks = [
        { label: 'in-plane TM move', color: ARROW_COLORS.inPlane, count: v.arrows.inPlane.length },
        { label: 'out-of-plane TM move', color: ARROW_COLORS.outOfPlane, count: v.arrows.outOfPlane.length },
        { label: 'migration path', color: PATH_COLOR, count: this.analysis?.neb?.path.length ?? 0 },
      ].filter((m) => m.count > 0);
      renderLegend(
        v.groups,
        this.hidden,
        counts,
        (key, on) => {
          if (on) this.hidden.delete(key);
          else this.hidden.add(key);
          this.applyVisibility();
        },
        marks,
      );
    }
  }

  /** Shows only the O of one class (cations stay: the class is about them). */
  private only(cls: string): void {
    if (!this.view) return;
    this.hidden = new Set(this.view.groups.filter((g) => g.role === 'oxygen' && g.key !== cls).map((g) => g.key));
    this.applyVisibility();
  }

  private preset(p: Preset): void {
    const v = this.view;
    if (!v) return;
    const L = v.structure.lattice;
    const { dir, up } = presetView(p, L, v.migration?.axis.vector);
    const c = cellCentre(L, this.rep);
    // fit the cell's extent across the view, and step back by half its depth; the margin keeps corner spheres in view
    this.stage.look(new Vector3(...c), new Vector3(...dir), new Vector3(...up), cellRadius(L, this.rep, dir) + 1.2, cellRadius(L, this.rep));
  }

  private bindPicking(): void {
    const canvas = this.stage.renderer.domElement;
    let down: { x: number; y: number } | undefined;
    canvas.addEventListener('pointerdown', (e) => (down = { x: e.clientX, y: e.clientY }));
    canvas.addEventListener('pointerup', (e) => {
      if (!down || Math.hypot(e.clientX - down.x, e.clientY - down.y) > 4) return;
      this.pick(e.clientX, e.clientY);
    });
  }

  private pick(clientX: number, clientY: number): void {
    const v = this.view;
    if (!v) return;
    const rect = this.stage.renderer.domElement.getBoundingClientRect();
    const ndc = new Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    const ray = new Raycaster();
    ray.setFromCamera(ndc, this.stage.camera);
    const o = ray.ray.origin.toArray(), d = ray.ray.direction.toArray();
    let best: { t: number; key: string; instance: number } | undefined;
    for (const [key, a] of this.atoms) {
      if (!a.mesh.visible) continue;
      const hit = pickSpheres(o, d, a.centres, a.radius);
      if (hit && (!best || hit.t < best.t)) best = { t: hit.t, key, instance: hit.instance };
    }
    if (!best) return;
    const g = v.groups.find((x) => x.key === best!.key)!;
    this.picked = siteOfInstance(g, best.instance);
    this.markPicked();
    this.stage.invalidate();
  }

  /** A translucent shell around the picked atom at its place in the current frame, and its description. */
  private markPicked(): void {
    const v = this.view;
    this.content?.getObjectByName('picked')?.removeFromParent();
    const p = this.picked;
    const g = p && v?.groups.find((x) => x.sites.includes(p.site));
    this.hook.picked = { site: p?.site ?? -1, marked: false };
    if (!v || !p || !g) return;
    const at = sphereCentres({ ...g, sites: Int32Array.of(p.site) }, v.structure.cart, v.structure.lattice, this.rep).slice(3 * p.image, 3 * p.image + 3);
    if (at.length === 3) this.content?.add(Object.assign(sphereMesh(at, g.radius * 1.45, PICK_COLOR, 0.45), { name: 'picked' }));
    this.hook.picked.marked = this.content?.getObjectByName('picked') !== undefined;
    const extra = this.sites && this.sites.nSites === v.structure.species.length && this.analysis?.nFrames === 1 ? quantityLines(this.sites, p.site) : [];
    const text = [siteInfoText(p.site, v.structure.species, v.list, v.siteInfo.get(p.site), p.image), ...extra].join('\n');
    $('info').textContent = text;
    this.hook.info = text;
  }

  private project(site: number): { x: number; y: number } | null {
    const v = this.view;
    if (!v || site < 0 || site >= v.structure.species.length) return null;
    const s = v.structure.cart;
    const p = new Vector3(s[3 * site], s[3 * site + 1], s[3 * site + 2]).project(this.stage.camera);
    if (Math.abs(p.x) > 1 || Math.abs(p.y) > 1 || p.z > 1) return null;
    const rect = this.stage.renderer.domElement.getBoundingClientRect();
    return { x: rect.left + ((p.x + 1) / 2) * rect.width, y: rect.top + ((1 - p.y) / 2) * rect.height };
  }

  private exportPng(): void {
    const a = document.createElement('a');
    a.href = this.stage.png();
    const base = (this.analysis?.dataset.name ?? 'oxyscope').replace(/[^\w.-]+/g, '_');
    a.download = `${base}${this.analysis && this.analysis.nFrames > 1 ? `-${this.analysis.labels[this.frame]}` : ''}.png`;
    a.click();
  }

  /**
   * Per-atom quantities of the selected structure: the calculation pipeline's sites result (its `sites` hook over
   * the files of the structure's folder, see calculation.ts), set when the numbers are computed; fills the colour menu.
   */
  private setSites(sites: SitesResult | undefined): void {
    this.sites = sites;
    const offered = this.sites ? colourable(this.sites) : [];
    if (this.colourBy && !offered.includes(this.colourBy)) this.colourBy = '';
    this.hook.quantities = offered;
    renderColourMenu(offered.map((q) => ({ value: q, label: q })), this.colourBy, (value) => {
      this.colourBy = value as Quantity | '';
      this.redraw(false);
    });
  }

  /** Site colours by the chosen quantity and the O–O contact sticks, for the structure the sites were computed on. */
  private quantityDrawing(s: Structure): { siteColors?: Float32Array; contacts?: Float32Array } {
    const r = this.sites;
    const same = r !== undefined && r.nSites === s.species.length && this.analysis?.nFrames === 1;
    const scale = same && this.colourBy ? colourScale(r!, this.colourBy) : undefined;
    renderColourBar(scale && { gradient: gradientCss(scale), min: scale.min.toPrecision(3), max: scale.max.toPrecision(3), name: `${scale.quantity} (${scale.unit})` });
    const contacts = same && this.showContacts ? contactSegments(r!, s) : undefined;
    renderContactsToggle(same ? r!.contacts.counts.total : 0);
    Object.assign(this.hook, { colourBy: scale ? scale.quantity : '', colourRange: scale ? [scale.min, scale.max] : null, contacts: contacts ? contacts.length / 6 : 0 });
    return { ...(scale ? { siteColors: scale.colors } : {}), ...(contacts && contacts.length > 0 ? { contacts } : {}) };
  }

  /**
   * Census, PDOS and ICOHP numbers of the selected structure's calculation, from the calculation pipeline (the same
   * CalcReport `report` writes); the test hook carries it whole.
   */
  private async renderNumbers(): Promise<void> {
    const token = ++this.numbersToken;
    this.numbersPending = token;
    try {
      await this.computeNumbers();
    } finally {
      if (this.numbersPending === token) this.numbersPending = 0;
    }
  }

  private async computeNumbers(): Promise<void> {
    const a = this.analysis;
    const d = a?.dataset;
    this.hook.calculation = null;
    const parts: HTMLElement[] = [];
    if (d && d.kind !== 'structure' && a && this.view?.census) {
      // an NEB image or a trajectory frame: the census of the frame on the slider, not of the first one
      const c = this.view.census;
      parts.push(table(`O environments (${c.nO} O, ${a.labels[this.frame]})`, ['class', 'O', 'fraction'], Object.keys(c.classes).map((k) => [k, c.classes[k], c.fractions[k]])));
    }
    if (d?.kind === 'structure') {
      let r: CalcReport | undefined;
      let sites: SitesResult | undefined;
      try {
        const calc = await calculationOf(d.name.replace(/ \(final\)$/, ''), this.files, this.kernels, this.reference);
        [r, sites] = [calc?.report, calc?.sites];
      } catch (e) {
        parts.push(table(d.name, ['problem'], [[message(e)]]));
      }
      if (this.analysis?.dataset !== d) return; // another dataset was selected meanwhile
      this.hook.calculation = r ?? null;
      this.setSites(sites);
      // draw what the sites add to the scene: O–O contact sticks (the colours wait for a choice in the menu)
      if (sites && this.showContacts && sites.contacts.counts.total > 0) this.redraw(false);
      const c = r?.census;
      if (c) parts.push(table(`O environments (${c.nO} O)`, ['class', 'O', 'fraction'], Object.keys(c.classes).map((k) => [k, c.classes[k], c.fractions[k]])));
      const p = r?.pdos;
      if (p) {
        parts.push(table(`${p.file}: states in [${p.window.join(', ')}] eV per atom${p.groupBy === 'class' ? ' (O-p)' : ''}`, ['group', 'atoms', 'per atom'], p.groups.map((g) => [g.name, g.atoms.length, g.perAtom])));
        for (const q of p.ratios) if (q.value !== null) parts.push(table('', ['ratio', 'value'], [[q.name, q.value]]));
      }
      const h = r?.cohp;
      if (h) parts.push(table(`${h.file}: ${h.quantity} by bond group`, ['group', 'bonds', 'mean'], h.groups.filter((g) => g.by === 'class' || !c).map((g) => [g.name, g.count, g.meanMinusIcohp])));
      for (const e of r?.errors ?? []) parts.push(table(e.analysis, ['problem'], [[e.message]]));
    }
    $('numbers-section').hidden = parts.length === 0;
    $('numbers').replaceChildren(...parts);
  }

}
