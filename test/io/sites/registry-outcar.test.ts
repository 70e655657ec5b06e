import { describe, expect, it } from 'vitest';
import { detectFormat, formatById, readFormat } from '../../../src/io/formats.js';
import { fromBytes } from '../../../src/io/source.js';
import { readOutcar } from '../../../src/io/vasp/outcar.js';
import { jsKernels } from '../../../src/kernels/js.js';
import type { OutcarSummary } from '../../../src/model/neb.js';
import type { PotcarValence } from '../../../src/model/populations.js';
import { ParseError } from '../../../src/errors.js';
import { fixture } from '../lobster/helpers.js';

/**
 * Issue 11: the per-atom moments and the POTCAR valences are reached through the registry like every other
 * reader: the OUTCAR entry's value carries them (read in the same pass as the summary), and POTCAR has an entry.
 */

const read = async <T>(id: string, name: string, bytes: Uint8Array, chunk = 1 << 22) =>
  (await readFormat(formatById(id), fromBytes(name, bytes, chunk), { kernels: jsKernels })).value as T;

describe('the registry OUTCAR value', () => {
  it('carries the last magnetization table (pymatgen Outcar.magnetization), with the summary unchanged, at any chunk size', async () => {
    const bytes = fixture('sites/OUTCAR.Si-moments-edited');
    for (const chunk of [4096, 97, 1 << 22]) {
      const o = await read<OutcarSummary>('outcar', 'OUTCAR', bytes, chunk);
      // pymatgen 2022.11 Outcar(...).magnetization: ({s: 0.012, p: 0.034, d: 0.001, tot: 0.047}, {s: -0.01, p: -0.031, d: -0.001, tot: -0.042})
      expect(o.magnetization!.columns).toEqual(['s', 'p', 'd', 'tot']);
      expect(o.magnetization!.tables).toBe(2);
      expect(o.magnetization!.components.x!.map((r) => Array.from(r))).toEqual([[0.012, 0.034, 0.001, 0.047], [-0.01, -0.031, -0.001, -0.042]]);
      const { magnetization: _m, zval: _z, ...summary } = o;
      expect(summary).toEqual(await readOutcar(fromBytes('OUTCAR', bytes)));
    }
  });

  it('carries ZVAL per POTCAR from the OUTCAR header, and the moments of a 6.3 run (f column)', async () => {
    const o = await read<OutcarSummary>('outcar', 'OUTCAR', fixture('real/vasp/outcar/outcar_vasp_6.3.gz'), 1 << 12);
    // VASP 6.3 OUTCAR lines 42/46, 117/121, 182/186: PAW_PBE La / Ga_d / O, ZVAL 11, 13, 6
    expect(o.zval!.map((v) => [v.element, v.zval])).toEqual([['La', 11], ['Ga', 13], ['O', 6]]);
    expect(o.magnetization!.columns).toEqual(['s', 'p', 'd', 'f', 'tot']);
    expect(o.magnetization!.components.x).toHaveLength(10);
  });

  it('an ISPIN = 1 OUTCAR: no table (tables 0), no error', async () => {
    const o = await read<OutcarSummary>('outcar', 'OUTCAR', fixture('real/vasp/outcar/OUTCAR_merged_numbers'));
    expect(o.magnetization!.tables).toBe(0);
  });
});

describe('the registry POTCAR entry', () => {
  it('is detected by name and content, and reads TITEL and ZVAL of each element', async () => {
    const bytes = fixture('sites/POTCAR.headers');
    const head = new TextDecoder().decode(bytes.subarray(0, 4096));
    expect(detectFormat('POTCAR', head)?.id).toBe('potcar');
    expect(detectFormat('renamed-by-hand', head)?.id).toBe('potcar');
    const v = await read<PotcarValence[]>('potcar', 'POTCAR', bytes);
    // the file's TITEL lines and their POMASS/ZVAL lines, by hand
    expect(v.map((x) => [x.element, x.zval, x.titel])).toEqual([['K', 9, 'PAW_PBE K_sv 06Sep2000'], ['Sn', 14, 'PAW_PBE Sn_d 06Sep2000'], ['O', 6, 'PAW_PBE O 08Apr2002']]);
  });

  it('a file called POTCAR without headers is a ParseError naming it', async () => {
    await expect(read('potcar', 'x/POTCAR', new TextEncoder().encode('not a potcar\n'))).rejects.toThrow(ParseError);
    await expect(read('potcar', 'x/POTCAR', new TextEncoder().encode('not a potcar\n'))).rejects.toThrow(/^x\/POTCAR: expected POTCAR headers/);
  });
});
