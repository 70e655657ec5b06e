import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { parsePoscar } from '../../src/io/vasp/poscar.js';
import { census } from '../../src/analysis/census.js';
import { jsKernels } from '../../src/kernels/index.js';
import { buildLrlo } from '../../src/build/lrlo.js';
import { writeLrloHop } from '../analysis/lrlo-neb.js';
import { pathCensus } from '../../src/analysis/path-census.js';
import { nebFrames } from '../../src/pipeline/calculation.js';
import { loadNeb } from '../../src/node/load.js';
import { nebAnalysis } from '../../src/analysis/neb.js';
import { writePoscar } from '../../src/io/vasp/poscar-write.js';
import { startViewServer, type ViewServer } from '../../src/node/serve.js';
import type { TestHook } from '../../viewer/src/app.js';
import type { CalcReport } from '../../src/pipeline/calculation.js';
import { mkdtempSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';

/**
 * The viewer in a real browser: Debian's Chromium, headless, WebGL by SwiftShader (software). Screenshots go to
 * test-output/viewer/ (look at them after a change); the frame rate of the 10,000-atom cell goes to
 * test-output/viewer-fps.json for the bench report.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const OUT = join(ROOT, 'test-output/viewer');
const DIST = join(ROOT, 'viewer/dist');
const MODEL = join(ROOT, 'examples/lrlo/model');
const NEB = join(ROOT, 'test/fixtures/real/vasp/neb/aiida-vasp__neb');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`viewer browser tests skipped: ${CHROMIUM} is absent (apt-get install chromium)`);

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader'];

type Hook = Omit<TestHook, 'project'>;

/** `oxyscope view …` as a user runs it; resolves with the URL printed as the first stdout line. */
function view(args: string[]): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'view', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((ok, fail) => {
    let out = '';
    let err = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) ok({ url: out.slice(0, nl), proc });
    });
    proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    proc.on('exit', (code) => fail(new Error(`oxyscope view exited with ${code}: ${err}`)));
  });
}

/** `oxyscope report examples/lrlo --json` (the bundled example, no reference: the page has none either). */
function reportJson(): Promise<{ calculations: CalcReport[] }> {
  const out = mkdtempSync(join(tmpdir(), 'oxy-report-'));
  const proc = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'report', join(ROOT, 'examples/lrlo'), '--out', out, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  proc.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  return new Promise((ok, fail) => proc.on('exit', (code) => (code === 0 ? ok(JSON.parse(text) as { calculations: CalcReport[] }) : fail(new Error(`report exited with ${code}`)))));
}

function stop(proc: ChildProcess): Promise<number | null> {
  return new Promise((ok) => {
    if (proc.exitCode !== null) return ok(proc.exitCode);
    proc.once('exit', (code) => ok(code));
    proc.kill('SIGTERM');
  });
}

async function hook(page: Page): Promise<Hook> {
  return page.evaluate(() => {
    const { project: _, ...rest } = window.__oxyscope!;
    return JSON.parse(JSON.stringify({ ...rest, fps: rest.fps, drawnFrames: rest.drawnFrames }));
  });
}

/** Waits until the page has drawn the dataset `name` (or any dataset when omitted). */
async function drawn(page: Page, name?: string): Promise<Hook> {
  await page.waitForFunction((n) => window.__oxyscope?.ready === true && (n === undefined || window.__oxyscope.dataset === n), name, { timeout: 60_000 });
  return hook(page);
}

function censusOf(path: string) {
  return census(parsePoscar(readFileSync(path), path), jsKernels);
}

describe.skipIf(!haveChromium)('viewer in Chromium', () => {
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    // the tests need the built page; `npm run build` makes it, a lone run of this file builds it here
    if (!existsSync(join(DIST, 'index.html'))) await build({ configFile: join(ROOT, 'viewer/vite.config.ts'), logLevel: 'warn' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    // WebGL shader compile errors and failed requests show up only here
    expect(consoleErrors).toEqual([]);
  });

  async function open(url: string): Promise<Page> {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    await page.goto(url);
    return page;
  }

  it('when oxyscope view serves a model structure then the drawn O4/O5 instances equal the census and an O5 can be picked', async () => {
    const file = join(MODEL, 'migrated/POSCAR');
    const { url, proc } = await view([file, '--reference', join(MODEL, 'pristine/POSCAR')]);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{24}\/$/);
      await open(url);
      const h = await drawn(page, 'POSCAR');
      const c = censusOf(file);
      expect(c.classes.O5).toBeGreaterThan(0);
      expect(h.engine).toBe('wasm');
      expect(h.counts.O4).toBe(c.classes.O4);
      expect(h.counts.O5).toBe(c.classes.O5);
      expect(h.classes).toEqual(c.classes);
      expect(h.clusterSizes.reduce((a, b) => a + b, 0)).toBe(c.classes.O5);
      // the builder moved 2 Mn in plane and 1 Ni out of plane (examples/lrlo/model/truth.json)
      expect(await page.locator('#status').innerText()).toContain('2 in-plane, 1 out-of-plane TM moves');
      await page.screenshot({ path: join(OUT, 'model-migrated.png') });

      // pick: click the centres of O5 sites until one is not hidden behind another atom
      const o5 = c.sites.filter((s) => s.class === 'O5');
      let picked: CensusSiteLike | undefined;
      for (const s of o5) {
        const at = await page.evaluate((i) => window.__oxyscope!.project(i), s.index);
        if (!at) continue;
        await page.mouse.click(at.x, at.y);
        const info = (await hook(page)).info;
        if (info.startsWith(`atom ${s.index + 1} `)) {
          picked = s;
          break;
        }
      }
      expect(picked).toBeDefined();
      const info = await page.locator('#info').innerText();
      expect(info).toContain(`class O5  nTM 1  nLi ${picked!.nLi}`);
      expect(info).toContain(`neighbours ${picked!.neighbours!.length} (atom numbers 1-based)`);
      expect(info).toContain(`${picked!.neighbours![0].dist.toFixed(3)} Å`);
      // the neighbour list names POSCAR atom numbers (1-based), the census JSON indices + 1
      for (const nb of picked!.neighbours!) expect(info).toMatch(new RegExp(`^\\s+${nb.species}\\s+${nb.index + 1}\\s+${nb.dist.toFixed(3)} Å`, 'm'));
      // the picked atom is marked in the scene
      expect((await hook(page)).picked).toEqual({ site: picked!.index, marked: true });

      await page.click('#only-o5');
      const only = await hook(page);
      expect(only.counts.O4).toBe(0);
      expect(only.counts.O5).toBe(c.classes.O5);
      await page.screenshot({ path: join(OUT, 'model-migrated-only-o5.png') });
      await page.click('#show-all');
      await page.selectOption('#rep-a', '2');
      await page.selectOption('#rep-b', '2');
      const rep = await drawn(page);
      expect(rep.counts.O4).toBe(4 * c.classes.O4);
      await page.click('[data-preset="a"]');
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(OUT, 'model-migrated-2x2x1-along-a.png') });
      // PNG export: the download is a PNG of the canvas
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
      const png = readFileSync((await download.path())!);
      expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
      expect(pageErrors).toEqual([]);
      await page.close();
    } finally {
      await stop(proc);
    }
  });

  it('when the NEB slider moves then the Numbers panel shows the census of that image (issue 18)', async () => {
    // images 00 = delithiated model (all O4), 01 = halfway (minimum image) to 02 = migrated model (O5 appear); the
    // halfway image keeps every step below the NEB bound, so the folder is an NEB path, and the census differs by image
    const neb = mkdtempSync(join(tmpdir(), 'oxyscope-neb-numbers-'));
    const [a, b] = ['delithiated', 'migrated'].map((v) => readFileSync(join(MODEL, v, 'POSCAR'), 'utf8').split('\n'));
    const half = a.map((line, k) => {
      if (k < 8 || !line.trim()) return line;
      const p = line.trim().split(/\s+/).map(Number);
      const q = b[k].trim().split(/\s+/).map(Number);
      return p.map((x, c) => (x + (q[c] - x - Math.round(q[c] - x)) / 2).toFixed(10)).join(' ');
    });
    for (const [img, text] of [['00', a.join('\n')], ['01', half.join('\n')], ['02', b.join('\n')]]) {
      mkdirSync(join(neb, img));
      writeFileSync(join(neb, img, img === '01' ? 'CONTCAR' : 'POSCAR'), text);
    }
    const { url, proc } = await view([neb]);
    try {
      await open(url);
      await drawn(page);
      const numbers = () => page.locator('#numbers').innerText();
      const migrated = censusOf(join(MODEL, 'migrated/POSCAR'));
      expect(await numbers()).not.toContain('O5');
      await page.locator('#frame').fill('2');
      await drawn(page);
      await page.waitForFunction(() => document.getElementById('numbers')!.innerText.includes('O5'), null, { timeout: 10_000 });
      const text = await numbers();
      expect(text).toContain('02');
      expect(text).toMatch(new RegExp(`O5\\s+${migrated.classes.O5}\\b`));
      expect(pageErrors).toEqual([]);
      await page.close();
    } finally {
      await stop(proc);
      rmSync(neb, { recursive: true, force: true });
    }
  });

  it('when an NEB of an in-plane Mn hop is opened then the class-fraction plot stands beside the profile and the slider marks the class changes (issue 14)', async () => {
    const neb = mkdtempSync(join(tmpdir(), 'oxyscope-neb-path-'));
    writeLrloHop(neb, 5);
    const images = await loadNeb(neb, jsKernels);
    const expected = pathCensus(nebFrames(images, nebAnalysis(images, jsKernels), neb), jsKernels);
    const { url, proc } = await view([neb]);
    try {
      await open(url);
      const h = await drawn(page);
      expect(h.pathPlot).toEqual({ classes: ['O3', 'O4', 'O5'], frames: 5, events: 8 });
      expect(await page.locator('#path-plot').isVisible()).toBe(true);
      const svgText = await page.locator('#path-plot-svg').innerHTML();
      for (const label of ['O3', 'O4', 'O5', 'Reaction coordinate']) expect(svgText).toContain(label);
      // the slider's ticks: the four images where an O changes class
      expect(await page.locator('#frame-ticks option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['1', '2', '3', '4']);
      expect(h.classChanges).toEqual([]);
      await page.locator('#frame').fill('1');
      const h1 = await drawn(page);
      const at1 = expected.events.filter((e) => e.frame === 1);
      expect(h1.classChanges).toEqual(at1.map((e) => ({ o: e.o, from: 'O4', to: 'O5' })));
      expect(await page.locator('#frame-changes').innerText()).toContain(`O${at1[0].o + 1} O4→O5, Mn29 left`);
      await page.screenshot({ path: join(OUT, 'neb-path-census.png') });
      expect(pageErrors).toEqual([]);
      await page.close();
    } finally {
      await stop(proc);
      rmSync(neb, { recursive: true, force: true });
    }
  });

  it('when oxyscope view serves an NEB folder then the slider and play move the marked image on the energy profile', async () => {
    const { url, proc } = await view([NEB]);
    try {
      await open(url);
      const h = await drawn(page, 'aiida-vasp__neb');
      expect(h.nFrames).toBe(5);
      expect(h.marked).toBe('00');
      // H3N: no O, so no census along the path
      expect(h.pathPlot).toBeNull();
      const x0 = await page.locator('#profile-marker-line').getAttribute('x1');
      await page.locator('#frame').fill('2');
      const h2 = await drawn(page);
      expect(h2.frame).toBe(2);
      expect(h2.marked).toBe('02');
      expect(await page.locator('#profile-svg').getAttribute('data-marked')).toBe('02');
      expect(Number(await page.locator('#profile-marker-line').getAttribute('x1'))).toBeGreaterThan(Number(x0));
      // the energy-profile points of the images with an OUTCAR are filled, 00 and 04 have no energy
      expect(await page.locator('circle[data-image="02"]').getAttribute('fill')).not.toBe('#fff');
      expect(await page.locator('circle[data-image="00"]').getAttribute('fill')).toBe('#fff');
      await page.screenshot({ path: join(OUT, 'neb-image-02.png') });
      await page.click('#play');
      await page.waitForFunction(() => window.__oxyscope!.frame !== 2, null, { timeout: 10_000 });
      await page.click('#play');
      // clicking an image on the profile selects it
      await page.locator('circle[data-image="04"]').click();
      expect((await drawn(page)).marked).toBe('04');
      expect(pageErrors).toEqual([]);
      await page.close();
    } finally {
      expect(await stop(proc)).toBe(0);
    }
  });

  describe('static page (no server logic beyond file serving)', () => {
    let server: ViewServer;
    beforeAll(async () => {
      server = await startViewServer(DIST, []);
    });
    afterAll(async () => {
      await server?.close();
    });

    it('when files and folders are picked then they are read in the page and census, PDOS and ICOHP match Node', async () => {
      await open(server.url);
      await page.waitForFunction(() => window.__oxyscope !== undefined);
      const file = join(MODEL, 'delithiated/POSCAR');
      await page.setInputFiles('#file-input', [file]);
      const h = await drawn(page, 'POSCAR');
      const c = censusOf(file);
      expect(h.counts.O4 ?? 0).toBe(c.classes.O4 ?? 0);
      expect(h.counts.O5 ?? 0).toBe(c.classes.O5 ?? 0);
      // the reference picker: the migrated model against its pristine parent shows the builder's moves
      await page.setInputFiles('#file-input', [join(MODEL, 'migrated/POSCAR')]);
      await drawn(page, 'POSCAR');
      await page.setInputFiles('#reference-input', [join(MODEL, 'pristine/POSCAR')]);
      await page.waitForFunction(() => document.getElementById('status')!.innerText.includes('out-of-plane TM moves'));
      expect(await page.locator('#status').innerText()).toContain('2 in-plane, 1 out-of-plane TM moves');
      expect(await page.locator('#legend').innerText()).toMatch(/in-plane TM move\s+2/);
      // a folder picked with webkitdirectory keeps 00..NN, so it is read as an NEB path
      await page.setInputFiles('#folder-input', NEB);
      const neb = await drawn(page, 'aiida-vasp__neb');
      expect(neb.nFrames).toBe(5);
      expect(neb.marked).toBe('00');
      await page.screenshot({ path: join(OUT, 'static-neb.png') });

      // a DOS run's folder and a LOBSTER folder: the page's numbers are the calculation pipeline's, as `report --json` has them
      const report = await reportJson();
      const same = (viewer: CalcReport | null, id: string) => {
        const r = report.calculations.find((c) => c.id === id)!;
        expect(viewer).not.toBeNull();
        expect(viewer!.census?.classes).toEqual(r.census?.classes);
        expect(viewer!.census?.fractions).toEqual(r.census?.fractions);
        const groups = (c: CalcReport) => c.pdos?.groups.map((g) => [g.name, g.atoms, g.statesInWindow, g.perAtom, g.center, g.width, g.filling]);
        expect(groups(viewer!)).toEqual(groups(r));
        expect(viewer!.pdos?.ratios).toEqual(r.pdos?.ratios);
        expect(viewer!.cohp?.groups).toEqual(r.cohp?.groups);
        expect(viewer!.errors).toEqual(r.errors);
        return r;
      };
      const dosDir = join(ROOT, 'examples/lrlo/real/K4Sn4O6-dos');
      await page.setInputFiles('#folder-input', dosDir);
      await drawn(page, 'K4Sn4O6-dos/CONTCAR');
      await page.waitForFunction(() => window.__oxyscope?.calculation !== null);
      const k4 = same((await hook(page)).calculation, 'real/K4Sn4O6-dos');
      expect(k4.pdos?.groups.length).toBeGreaterThan(0);
      const numbers = await page.locator('#numbers').innerText();
      expect(numbers).toContain('K4Sn4O6-dos/DOSCAR: states in [-2, 0] eV per atom (O-p)');
      const o4 = k4.pdos!.groups.find((g) => g.name === 'O4')!;
      expect(numbers).toMatch(new RegExp(`O4\\s+${o4.atoms.length}\\s+${o4.perAtom.toFixed(3)}`));

      const lob = join(ROOT, 'examples/lrlo/real/NaCl-lobster');
      await page.setInputFiles('#folder-input', lob);
      await drawn(page, 'NaCl-lobster/POSCAR');
      await page.waitForFunction(() => window.__oxyscope?.calculation !== null);
      const nacl = same((await hook(page)).calculation, 'real/NaCl-lobster');
      expect(nacl.cohp?.groups.length).toBeGreaterThan(0);

      // a vasprun.xml cut after its </dos> block: the reader's warning reaches the panel
      const cutDir = mkdtempSync(join(tmpdir(), 'oxy-cut-'));
      const full = gunzipSync(readFileSync(join(ROOT, 'test/fixtures/real/vasp/vasprun/vasprun.xml.indirect.gz'))).toString('latin1');
      writeFileSync(join(cutDir, 'vasprun.xml'), full.slice(0, full.indexOf('</dos>') + 6), 'latin1');
      await page.setInputFiles('#file-input', [join(cutDir, 'vasprun.xml')]);
      const cut = await drawn(page, 'vasprun.xml (final)');
      expect(cut.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^vasprun\.xml: file ends at line \d+ inside <modeling><calculation>, before <\/modeling>/)]));
      expect(await page.locator('#status').innerText()).toMatch(/warning: vasprun\.xml: file ends at line/);
      expect(pageErrors).toEqual([]);
      await page.close();
    });

    it('when a folder has per-atom files then atoms are coloured by a chosen quantity with a colour bar, and O–O contacts are drawn', async () => {
      await open(server.url);
      await page.waitForFunction(() => window.__oxyscope !== undefined);
      // NaCl (LOBSTER 5.1.1): CHARGE.lobster gives Mulliken ±0.78 e, Löwdin ±0.67 e; ICOHPLIST the bond sums
      await page.setInputFiles('#folder-input', join(ROOT, 'examples/lrlo/real/NaCl-lobster'));
      const h = await drawn(page, 'NaCl-lobster/POSCAR');
      // the DOSCAR.lobster of the folder gives the states in the window (read through the registry as in the CLI)
      expect(h.quantities).toEqual(['mulliken', 'loewdin', 'sumMinusIcohp', 'statesInWindow']);
      expect(await page.locator('#colour-bar').isHidden()).toBe(true);
      await page.selectOption('#colour-by', 'mulliken');
      const c = await drawn(page);
      expect(c.colourBy).toBe('mulliken');
      expect(c.colourRange).toEqual([-0.78, 0.78]);
      expect(await page.locator('#colour-bar').isVisible()).toBe(true);
      expect(await page.locator('#colour-bar').innerText()).toContain('mulliken (e)');
      await page.screenshot({ path: join(OUT, 'nacl-coloured-by-mulliken.png') });
      await page.selectOption('#colour-by', '');
      expect((await drawn(page)).colourBy).toBe('');
      // a cell with three O–O contacts (1.25, 1.40, 1.45 Å; test/analysis/sites.test.ts builds the same cell)
      const dir = join(OUT, 'dimers');
      mkdirSync(dir, { recursive: true });
      const cart = [2.7, 1, 1.725, 1, 1, 1, 1, 1, 2.45, 6, 6, 6, 6, 6, 7.25, 1, 1, 9.6];
      writeFileSync(join(dir, 'POSCAR'), `dimers\n1.0\n10 0 0\n0 10 0\n0 0 10\nMn O\n1 5\nCartesian\n${[0, 1, 2, 3, 4, 5].map((i) => cart.slice(3 * i, 3 * i + 3).join(' ')).join('\n')}\n`);
      await page.setInputFiles('#file-input', [join(dir, 'POSCAR')]);
      const d = await drawn(page, 'POSCAR');
      expect(d.contacts).toBe(3);
      expect(await page.locator('#contacts-toggle').innerText()).toContain('(3)');
      await page.screenshot({ path: join(OUT, 'dimers-contacts.png') });
      await page.locator('#show-contacts').uncheck();
      expect((await drawn(page)).contacts).toBe(0);
      expect(pageErrors).toEqual([]);
      await page.close();
    });

    it('when the built page is opened as a file then it still reads picked files (JS kernels: file:// cannot fetch the WASM)', async () => {
      await open(pathToFileURL(join(DIST, 'index.html')).href);
      await page.waitForFunction(() => window.__oxyscope !== undefined);
      const file = join(MODEL, 'migrated/POSCAR');
      await page.setInputFiles('#file-input', [file]);
      const h = await drawn(page, 'POSCAR');
      const c = censusOf(file);
      expect(h.engine).toBe('js');
      expect(h.counts.O5).toBe(c.classes.O5);
      expect(pageErrors).toEqual([]);
      await page.close();
      // the blocked fetches of the WASM module and of files.json are expected on file://
      consoleErrors.splice(0, consoleErrors.length, ...consoleErrors.filter((m) => !/CORS policy|ERR_FAILED/.test(m)));
    });

    it('when a 10,000-atom supercell is loaded then it draws every atom and orbits at a measured frame rate', async () => {
      // 36 atoms × 10 × 10 × 3 = 10,800 atoms of the model pristine LRLO
      const big = buildLrlo({ n: 10, m: 3, variant: 'pristine', ni: 0.25, co: 0.125, seed: 7 }).structure;
      const path = join(OUT, 'POSCAR.lrlo-10800');
      writeFileSync(path, writePoscar(big));
      await open(server.url);
      await page.waitForFunction(() => window.__oxyscope !== undefined);
      const t0 = Date.now();
      await page.setInputFiles('#file-input', [path]);
      const h = await drawn(page, 'POSCAR.lrlo-10800');
      const loadMs = Date.now() - t0;
      const total = Object.values(h.counts).reduce((a, b) => a + b, 0);
      expect(total).toBe(big.species.length);
      expect(h.counts.O4).toBe(big.species.filter((s) => s === 'O').length);

      // orbit: drag across the canvas for a few seconds and count the frames drawn meanwhile
      const box = (await page.locator('#stage canvas').boundingBox())!;
      const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
      const orbit = async (ms: number): Promise<{ fps: number; seconds: number }> => {
        const before = await hook(page);
        const start = Date.now();
        await page.mouse.move(cx, cy);
        await page.mouse.down();
        let step = 0;
        while (Date.now() - start < ms) {
          step++;
          await page.mouse.move(cx + 200 * Math.sin(step / 10), cy + 80 * Math.cos(step / 10), { steps: 2 });
        }
        await page.mouse.up();
        const after = await hook(page);
        const seconds = (Date.now() - start) / 1000;
        return { fps: (after.drawnFrames - before.drawnFrames) / seconds, seconds };
      };
      const { fps, seconds } = await orbit(4000);
      const bondsShown = await page.locator('#show-bonds').isChecked();
      // and once more with the bonds on (drawn as lines at this size)
      await page.click('#show-bonds');
      await drawn(page);
      const withBonds = await orbit(3000);
      await page.click('#show-bonds');
      await drawn(page);
      // the full-resolution picture returns once the camera has settled
      await page.waitForTimeout(1500);
      await page.screenshot({ path: join(OUT, 'lrlo-10800.png') });
      const renderer = await page.evaluate(() => {
        const gl = document.createElement('canvas').getContext('webgl2');
        const ext = gl?.getExtension('WEBGL_debug_renderer_info');
        return gl ? String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : 'none';
      });
      const result = {
        date: new Date().toISOString(),
        atoms: big.species.length,
        instances: { spheres: total },
        loadMs,
        orbitSeconds: +seconds.toFixed(2),
        fps: +fps.toFixed(1),
        fpsWithBonds: +withBonds.fps.toFixed(1),
        viewport: '1280x800 (scene 980x800)',
        browser: `Chromium ${browser.version()} headless`,
        renderer,
        engine: h.engine,
        bonds: bondsShown,
        note: 'frames drawn per second while the camera is dragged (fps: as opened, bonds hidden above 5000 atoms; fpsWithBonds: 64,800 half-bonds as lines); software WebGL (SwiftShader, no GPU) on a shared CI machine: a desktop GPU renders far faster.',
      };
      writeFileSync(join(ROOT, 'test-output/viewer-fps.json'), `${JSON.stringify(result, null, 2)}\n`);
      expect(fps).toBeGreaterThan(1);
      expect(pageErrors).toEqual([]);
      await page.close();
    });
  });
});

type CensusSiteLike = ReturnType<typeof censusOf>['sites'][number];
