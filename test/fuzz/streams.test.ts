import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ParseError } from '../../src/errors.js';
import { openSource, MAX_INFLATE_RATIO } from '../../src/node/files.js';
import { readAll, type ByteSource } from '../../src/io/source.js';
import { readOutcar } from '../../src/io/vasp/outcar.js';
import { readDoscar } from '../../src/io/vasp/doscar.js';
import { readVasprun } from '../../src/io/vasp/vasprun.js';
import { readXdatcar } from '../../src/io/vasp/xdatcar.js';
import { readCohpcar } from '../../src/io/lobster/cohpcar.js';
import { readDoscarLobster } from '../../src/io/lobster/doscar-lobster.js';

/**
 * Inputs too big to hold: a gzip bomb (10 MB that inflate to 10 GiB) and endless lines. Readers must refuse them
 * with a ParseError after a bounded amount of work and memory, never buffer them whole.
 */

const dir = mkdtempSync(join(tmpdir(), 'oxyscope-bomb-'));
/** figures for docs/robustness.md */
const figures: { case: string; ms: number; rssMB: number; message: string }[] = [];
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync('test-output/fuzz', { recursive: true });
  writeFileSync('test-output/fuzz/streams.json', JSON.stringify(figures, null, 1));
});

/** 160 gzip members of 64 MiB of `fill` each: gunzip reads concatenated members as one stream of 10 GiB. */
function bomb(name: string, fill: string): string {
  const member = gzipSync(Buffer.alloc(64 << 20, fill), { level: 9 });
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(Array.from({ length: 160 }, () => member)));
  return path;
}

/** A source of `total` bytes of `fill` made on the fly (nothing held but one chunk). */
function endless(name: string, fill: string, total: number): ByteSource {
  const chunk = new TextEncoder().encode(fill.repeat((1 << 20) / fill.length));
  return {
    name,
    async *chunks() {
      for (let n = 0; n < total; n += chunk.length) yield chunk;
    },
  };
}

async function refused(what: string, run: () => Promise<unknown>): Promise<{ error: ParseError; ms: number; rssMB: number }> {
  const rss0 = process.memoryUsage.rss();
  let peak = rss0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const t0 = performance.now();
  try {
    await run();
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    const r = { error: e, ms: performance.now() - t0, rssMB: (Math.max(peak, process.memoryUsage.rss()) - rss0) / 1e6 };
    figures.push({ case: what, ms: Math.round(r.ms), rssMB: Math.round(r.rssMB), message: e.message });
    return r;
  } finally {
    clearInterval(timer);
  }
  throw new Error('expected a ParseError');
}

describe('gzip bomb', () => {
  const newlines = bomb('OUTCAR.gz', '\n');

  it('a streaming reader stops at the inflate bound with a ParseError naming the file', async () => {
    const r = await refused('gzip bomb of newlines → readOutcar', async () => readOutcar(await openSource(newlines)));
    expect(r.error.file).toBe(newlines);
    expect(r.error.message).toContain(`inflates at most ${MAX_INFLATE_RATIO}×`);
    expect(r.error.message).toContain('gzip bomb');
    expect(r.ms).toBeLessThan(10_000);
    expect(r.rssMB).toBeLessThan(400);
  }, 60_000);

  it('a whole-file read (POSCAR, CHARGE) stops at the same bound instead of holding 10 GiB', async () => {
    const r = await refused('gzip bomb of newlines → readAll', async () => readAll(await openSource(newlines)));
    expect(r.error.message).toContain('gzip bomb');
    expect(r.rssMB).toBeLessThan(400);
  }, 60_000);

  it('a bomb of one endless token stops at the readers own bound first', async () => {
    const zeros = bomb('DOSCAR.gz', '0');
    const r = await refused('gzip bomb of "0" → readDoscar', async () => readDoscar(await openSource(zeros)));
    expect(r.error.message).toMatch(/shorter than 67108864 bytes|gzip bomb/);
    expect(r.rssMB).toBeLessThan(600);
  }, 60_000);
});

describe('endless lines', () => {
  // past the readers' bounds for one line (64 MiB; OUTCAR 16 Mi characters)
  const total = 80 << 20;
  const readers: [string, (s: ByteSource) => Promise<unknown>][] = [
    ['DOSCAR', (s) => readDoscar(s)],
    ['vasprun.xml', (s) => readVasprun(s)],
    ['XDATCAR', (s) => readXdatcar(s)],
    ['OUTCAR', (s) => readOutcar(s)],
    ['COHPCAR.lobster', (s) => readCohpcar(s)],
    ['DOSCAR.lobster', (s) => readDoscarLobster(s)],
  ];
  for (const [name, read] of readers) {
    for (const fill of ['x', '1']) {
      it(`${name}: 80 MiB of "${fill}" without a newline ends in a ParseError with bounded memory`, async () => {
        const r = await refused(`${name}: endless "${fill}"`, () => read(endless(name, fill, total)));
        expect(r.error.file).toBe(name);
        expect(r.rssMB).toBeLessThan(600);
        expect(r.ms).toBeLessThan(20_000);
      }, 60_000);
    }
  }
});
