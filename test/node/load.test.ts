import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBonds, loadDos, loadStructure } from '../../src/node/load.js';
import { jsKernels } from '../../src/kernels/js.js';
import { MismatchError, ParseError } from '../../src/errors.js';

const K4 = 'test/fixtures/real/vasp/doscar/custodian__lobster__vasp_lobster_output';
const LOB = 'test/fixtures/real/lobster';

/** A VASP 4 rock-salt LiO cell (no species line; counts 4 4), written by hand for these tests. */
const VASP4 = 'rocksalt cell\n1.0\n4 0 0\n0 4 0\n0 0 4\n4 4\nDirect\n0 0 0\n.5 .5 0\n.5 0 .5\n0 .5 .5\n.5 0 0\n0 .5 0\n0 0 .5\n.5 .5 .5\n';
/** The TITEL lines of a PBE POTCAR for Li_sv then O (the rest of a POTCAR does not name species). */
const POTCAR = '  PAW_PBE Li_sv 10Sep2004\n   TITEL  = PAW_PBE Li_sv 10Sep2004\n End of Dataset\n  PAW_PBE O 08Apr2002\n   TITEL  = PAW_PBE O 08Apr2002\n End of Dataset\n';

function folder(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'oxy-load-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('loadStructure', () => {
  it('a VASP 4 POSCAR takes its species from the POTCAR beside it (plain or .gz)', async () => {
    const s = await loadStructure(join(folder({ POSCAR: VASP4, POTCAR }), 'POSCAR'), jsKernels);
    expect(s.species).toEqual(['Li', 'Li', 'Li', 'Li', 'O', 'O', 'O', 'O']);
    const gz = await loadStructure(join(folder({ POSCAR: VASP4, 'POTCAR.gz': gzipSync(POTCAR) }), 'POSCAR'), jsKernels);
    expect(gz.species).toEqual(s.species);
  });

  it('without a POTCAR a VASP 4 POSCAR is a ParseError; a POTCAR with other species is a MismatchError', async () => {
    await expect(loadStructure(join(folder({ POSCAR: VASP4 }), 'POSCAR'), jsKernels)).rejects.toThrow(ParseError);
    const three = POTCAR + '   TITEL  = PAW_PBE Mn_pv 02Aug2007\n';
    await expect(loadStructure(join(folder({ POSCAR: VASP4, POTCAR: three }), 'POSCAR'), jsKernels)).rejects.toThrow(MismatchError);
  });

  it('a species line wins over the POTCAR beside it', async () => {
    const vasp5 = VASP4.replace('\n4 4\n', '\nNa Cl\n4 4\n');
    expect((await loadStructure(join(folder({ POSCAR: vasp5, POTCAR }), 'POSCAR'), jsKernels)).species[0]).toBe('Na');
  });
});

describe('loadDos', () => {
  it('a DOSCAR takes its atoms from the CONTCAR beside it; a structure of another run is a MismatchError', async () => {
    const { dos, structure, structureFile } = await loadDos(`${K4}/DOSCAR`, jsKernels);
    expect(structureFile).toBe(`${K4}/CONTCAR`);
    expect(dos.nSites).toBe(14);
    expect(structure?.species.filter((s) => s === 'O')).toHaveLength(6);
    await expect(loadDos(`${K4}/DOSCAR`, jsKernels, `${LOB}/doscar/custodian__lobster__v51/POSCAR`)).rejects.toThrow(MismatchError);
  });

  it('an unreadable CONTCAR is skipped for the POSCAR beside it', async () => {
    const dir = folder({ CONTCAR: 'not a structure\n' });
    copyFileSync(`${K4}/DOSCAR`, join(dir, 'DOSCAR'));
    copyFileSync(`${K4}/CONTCAR`, join(dir, 'POSCAR'));
    expect((await loadDos(join(dir, 'DOSCAR'), jsKernels)).structureFile).toBe(join(dir, 'POSCAR'));
  });
});

describe('loadBonds', () => {
  it('an ICOHPLIST is a list, a COHPCAR curves, a POSCAR neither', async () => {
    const list = await loadBonds(`${LOB}/icohplist/ICOHPLIST.lobster.NaCl.gz`, jsKernels);
    expect(list.kind).toBe('list');
    const car = await loadBonds(`${LOB}/cohpcar/COHPCAR.lobster`, jsKernels);
    expect(car.kind === 'curves' && car.cohp.nPoints).toBeGreaterThan(0);
    await expect(loadBonds(`${K4}/CONTCAR`, jsKernels)).rejects.toThrow(/expected an ICOHPLIST/);
  });
});
