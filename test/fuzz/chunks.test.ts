import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OxyError } from '../../src/errors.js';
import { fromBytes, readAll, type ByteSource } from '../../src/io/source.js';
import { parseXdatcar, readXdatcar } from '../../src/io/vasp/xdatcar.js';
import { parseOutcar, readOutcar } from '../../src/io/vasp/outcar.js';
import { parseDoscar, readDoscar } from '../../src/io/vasp/doscar.js';
import { parseVasprun, readVasprun } from '../../src/io/vasp/vasprun.js';
import { parseCohpcar, readCohpcar } from '../../src/io/lobster/cohpcar.js';
import { parseDoscarLobster, readDoscarLobster } from '../../src/io/lobster/doscar-lobster.js';
import { CASES, SEED, excerpt, real } from './fixtures.js';
import { describeFailures, runFuzz } from './harness.js';

/**
 * The streaming readers fed in small chunks of odd sizes (1 byte to 4 KiB; 64 KiB, a pipe's size, for inputs over
 * 64 KiB): every chunk boundary lands somewhere new (inside a number, a CRLF, a tag, a header). Each mutated file
 * must give exactly the result the whole-buffer reader gives, or fail as it does (an OxyError of the same class;
 * where the message differs, e.g. a column counted differently, it is counted in test-output/fuzz/chunks-messages.json).
 */
const pairs: Record<string, [(b: Uint8Array, n: string) => unknown, (s: ByteSource) => Promise<unknown>]> = {
  XDATCAR: [(b, n) => parseXdatcar(b, n), (s) => readXdatcar(s)],
  OUTCAR: [(b, n) => parseOutcar(b, n), (s) => readOutcar(s)],
  DOSCAR: [(b, n) => parseDoscar(b, n), (s) => readDoscar(s)],
  'vasprun.xml': [(b, n) => parseVasprun(b, n), (s) => readVasprun(s)],
  'COHPCAR.lobster': [(b, n) => parseCohpcar(b, n), (s) => readCohpcar(s)],
  'DOSCAR.lobster': [(b, n) => parseDoscarLobster(b, n), (s) => readDoscarLobster(s)],
};
const KEY = /NIONS =|E-fermi|TOTEN|energy {2}without|TOTAL-FORCE|NEB: projections|reached required|General timing|aborting loop|NSW|IBRION/;
const fixtures = [
  { ...real('vasp/xdatcar/XDATCAR_6', [7, 14]), kind: 'XDATCAR' },
  { ...excerpt(real('vasp/neb/aiida-vasp__neb/01/OUTCAR'), 20, KEY, 7), kind: 'OUTCAR' },
  { ...real('vasp/doscar/aiida-vasp__doscar/DOSCAR', [1, 6]), kind: 'DOSCAR' },
  { ...real('vasp/doscar/aiida-vasp__doscar/vasprun.xml'), kind: 'vasprun.xml' },
  { ...real('lobster/cohpcar/COHPCAR.lobster.KF', [2]), kind: 'COHPCAR.lobster' },
  { ...real('lobster/doscar/pymatgen-test-files__KF-spin/DOSCAR.lobster.spin', [1, 6]), kind: 'DOSCAR.lobster' },
].map((f) => ({ ...f, name: f.kind }));

/** A result as comparable text (typed arrays as lists, NaN spelled out) and its warnings apart, or the error. */
async function outcome(run: () => unknown): Promise<{ text?: string; warnings?: string; error?: unknown }> {
  const show = (v: unknown) =>
    JSON.stringify(v, (k, x) => (k === 'warnings' ? undefined : ArrayBuffer.isView(x) ? Array.from(x as Float64Array, String) : typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));
  try {
    const v = await run();
    return { text: show(v), warnings: JSON.stringify((v as { warnings?: string[] }).warnings ?? []) };
  } catch (error) {
    return { error };
  }
}

describe('fuzz: streaming readers in small chunks', () => {
  it(`${CASES} mutated files give the same result streamed in 1 B – 4 KiB chunks as read whole`, async () => {
    let n = 0;
    const messages: { case: number; streamed: string; whole: string }[] = [];
    const rep = await runFuzz({
      reader: 'chunks',
      seed: SEED + 50,
      cases: CASES,
      fixtures,
      parse: async (b, name) => {
        const [whole, streamed] = pairs[name];
        // chunk sizes from 1 byte up, varied per case
        const k = n++;
        const size = b.length > 1 << 16 ? 1 << 16 : 1 + ((k * 2654435761) >>> 0) % (k % 4 === 0 ? 7 : 4096);
        // the whole buffer as sources give it (line ends and BOM normalised, as every source does)
        const bytes = await readAll(fromBytes(name, b));
        const a = await outcome(() => whole(bytes, name));
        const s = await outcome(() => streamed(fromBytes(name, b, size)));
        const said = (o: { text?: string; error?: unknown }) => o.text?.slice(0, 200) ?? `${(o.error as Error).name}: ${(o.error as Error).message}`;
        if (a.text !== undefined || s.text !== undefined) {
          if (a.text !== s.text) throw new Error(`chunks of ${size} B: streamed ${said(s)} … whole ${said(a)}`);
          if (a.warnings !== s.warnings) messages.push({ case: k, streamed: s.warnings!, whole: a.warnings! });
          return;
        }
        // both failed: as the same kind of OxyError (anything else is reported by the harness as it is)
        if (!(s.error instanceof OxyError)) throw s.error;
        if (!(a.error instanceof OxyError)) throw a.error;
        if (s.error.constructor !== a.error.constructor) throw new Error(`chunks of ${size} B: streamed ${said(s)} … whole ${said(a)}`);
        if (s.error.message !== a.error.message) messages.push({ case: k, streamed: s.error.message, whole: a.error.message });
        throw a.error;
      },
    });
    mkdirSync('test-output/fuzz', { recursive: true });
    const byReader: Record<string, number> = {};
    for (const m of messages) byReader[m.whole.split(':')[0]] = (byReader[m.whole.split(':')[0]] ?? 0) + 1;
    writeFileSync('test-output/fuzz/chunks-messages.json', JSON.stringify({ count: messages.length, byReader, examples: messages.slice(0, 40) }, null, 1));
    expect(rep.failures, describeFailures(rep)).toEqual([]);
    expect(rep.results + rep.oxyErrors).toBe(CASES);
  }, 180_000);
});
