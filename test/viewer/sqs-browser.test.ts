import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { jsKernels } from '../../src/kernels/js.js';
import { generateSqs } from '../../src/build/sqs/generate.js';
import { writePoscar } from '../../src/io/vasp/poscar-write.js';

/** The page's "Generate SQS" section in headless Chromium (file:// page, JS kernels), against the generator in Node. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const DIST = join(ROOT, 'viewer/dist');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader'];

describe.skipIf(!existsSync(CHROMIUM))('viewer: generate an SQS in the page', () => {
  let browser: Browser;
  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) await build({ configFile: join(ROOT, 'viewer/vite.config.ts'), logLevel: 'warn' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  });
  afterAll(async () => browser?.close());

  it('generates the honeycomb Li2MnO3 model in the page and draws the same census as the generator in Node (all 54 O are O4)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(DIST, 'index.html')).href);
    await page.waitForFunction(() => window.__oxyscope !== undefined);
    await page.fill('#sqs-composition', 'Li2MnO3');
    await page.fill('#sqs-supercell', '3x3x1');
    await page.selectOption('#sqs-order', 'honeycomb');
    await page.fill('#sqs-seed', '4');
    await page.click('#sqs-generate');
    await page.waitForFunction(() => window.__oxyscope?.ready === true && window.__oxyscope.dataset === 'sqs-4/POSCAR', undefined, { timeout: 60_000 });
    const h = await page.evaluate(() => ({ classes: window.__oxyscope!.classes, counts: window.__oxyscope!.counts, engine: window.__oxyscope!.engine }));
    const node = generateSqs({ composition: 'Li2MnO3', supercell: [3, 3, 1], order: 'honeycomb', seed: 4 }, jsKernels).models[0];
    expect(h.engine).toBe('js');
    expect(h.classes).toEqual({ O4: 54 });
    expect(h.classes).toEqual(node.census.classes);
    expect(h.counts.O4).toBe(54);
    expect(await page.locator('#status').innerText()).toContain(`objective ${node.objective.toPrecision(4)}`);
    expect(writePoscar(node.structure).split('\n')[0]).toContain('seed 4');
    expect(errors).toEqual([]);
    await page.close();
  });
});
