import { describe, expect, it } from 'vitest';
import { infoOfPath } from '../../src/cli/commands/info.js';
import { bothEngines } from '../kernels/engines.js';

/**
 * `--engine js` and `--engine wasm` must print the same thing: every real fixture (files and the NEB folder) is
 * summarised by both engines in-process and the JSON compared as text.
 */
describe('info gives identical JSON under both engines on every real fixture', () => {
  it('test/fixtures/real', async () => {
    const [js, wasm] = await bothEngines();
    const a = await infoOfPath('test/fixtures/real', js);
    const b = await infoOfPath('test/fixtures/real', wasm);
    const files = (Array.isArray(a) ? a : [a]).map((s) => s.file);
    // every reader is exercised: structures, trajectories, DOS, OUTCAR, NEB and all LOBSTER formats
    expect(new Set((Array.isArray(a) ? a : [a]).map((s) => s.format))).toEqual(
      new Set(['poscar', 'xdatcar', 'doscar', 'vasprun', 'outcar', 'neb', 'cohpcar', 'coopcar', 'cobicar', 'icohplist', 'icooplist', 'icobilist', 'doscar-lobster', 'charge-lobster', 'lobsterout']),
    );
    expect(files.length).toBeGreaterThan(70);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});
