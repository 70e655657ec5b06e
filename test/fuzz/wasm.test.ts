import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createWasmKernels } from '../../src/kernels/wasm.js';
import { parsePoscar } from '../../src/io/vasp/poscar.js';
import { parseXdatcar } from '../../src/io/vasp/xdatcar.js';
import { parseDoscar } from '../../src/io/vasp/doscar.js';
import { parseVasprun } from '../../src/io/vasp/vasprun.js';
import { parseCohpcar } from '../../src/io/lobster/cohpcar.js';
import { parseDoscarLobster } from '../../src/io/lobster/doscar-lobster.js';
import type { Kernels } from '../../src/kernels/types.js';
import { CASES, SEED, real } from './fixtures.js';
import { describeFailures, runFuzz } from './harness.js';

/** The readers whose numeric blocks go through kernels.scan, with the WASM scanner (the other files use the JS twin). */
const readers: [string, (b: Uint8Array, name: string, kernels: Kernels) => unknown][] = [
  ['vasp/poscar/CONTCAR.Li2O', (b, n, kernels) => parsePoscar(b, n, { kernels })],
  ['vasp/xdatcar/XDATCAR_6', (b, n, kernels) => parseXdatcar(b, n, { kernels })],
  ['vasp/doscar/aiida-vasp__doscar/DOSCAR', (b, n, kernels) => parseDoscar(b, n, { kernels })],
  ['vasp/doscar/aiida-vasp__doscar/vasprun.xml', (b, n, kernels) => parseVasprun(b, n, { kernels })],
  ['lobster/cohpcar/COHPCAR.lobster.KF', (b, n, kernels) => parseCohpcar(b, n, { kernels })],
  ['lobster/doscar/pymatgen-test-files__KF-spin/DOSCAR.lobster.spin', (b, n, kernels) => parseDoscarLobster(b, n, { kernels })],
];
const HEADERS: Record<string, number[]> = { DOSCAR: [1, 6], XDATCAR_6: [7, 14], 'CONTCAR.Li2O': [6, 7], 'COHPCAR.lobster.KF': [2], 'DOSCAR.lobster.spin': [1, 6] };

describe('fuzz: the scan-based readers with the WASM engine', () => {
  it(`${CASES} mutated files (rotating over 6 readers) end in a result or a ParseError, within bounds`, async () => {
    const kernels = await createWasmKernels(await readFile(new URL('../../build/kernels.wasm', import.meta.url)));
    const rep = await runFuzz({
      reader: 'wasm-scan',
      seed: SEED + 40,
      cases: CASES,
      fixtures: readers.map(([path]) => real(path, HEADERS[path.split('/').pop()!])),
      parse: (b, name) => readers.find(([path]) => path === name)![1](b, name, kernels),
    });
    expect(rep.failures, describeFailures(rep)).toEqual([]);
    expect(rep.results + rep.oxyErrors).toBe(CASES);
  }, 180_000);
});
