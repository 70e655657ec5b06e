import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgram } from '../../src/cli/program.js';
import { UsageError } from '../../src/errors.js';
import { writeLrloHop, writeLrloHopXdatcar } from '../analysis/lrlo-neb.js';

const MD = 'test/fixtures/real/vasp/xdatcar/XDATCAR.MD';
const dir = mkdtempSync(join(tmpdir(), 'oxyscope-census-path-'));
const NEB = join(dir, 'neb');
writeLrloHop(NEB, 5);
const HOP = join(dir, 'XDATCAR');
writeLrloHopXdatcar(HOP, 5);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await createProgram().exitOverride().parseAsync(['node', 'oxyscope', ...args]);
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
  return out;
}

afterEach(() => vi.restoreAllMocks());

describe('census / migration on an XDATCAR: the frame is chosen visibly (issue 18 item 2)', () => {
  it('the last frame by default, named in the text and the JSON; --frame N (1-based) and --frame last', async () => {
    // pymatgen get_neighbor_list, Fe–O ≤ 2.53 Å: frame 1 {O1 3, O2 7, O3 29, O4 9}, frame 5 {O1 2, O2 9, O3 28, O4 9}
    const text = await run('census', MD);
    expect(text).toContain('frame 5 of 5 (1-based; ionic step 5), the last');
    const last = JSON.parse(await run('census', MD, '--json')).structures[0];
    expect(last.frame).toEqual({ index: 4, step: 5, nFrames: 5 });
    expect(last.classes).toEqual({ O1: 2, O2: 9, O3: 28, O4: 9 });
    expect(JSON.parse(await run('census', MD, '--json', '--frame', 'last')).structures[0].classes).toEqual(last.classes);
    const first = JSON.parse(await run('census', MD, '--json', '--frame', '1', '--engine', 'js')).structures[0];
    expect([first.frame.index, first.classes]).toEqual([0, { O1: 3, O2: 7, O3: 29, O4: 9 }]);
    await expect(run('census', MD, '--frame', '6')).rejects.toThrow(UsageError);
    await expect(run('census', MD, '--frame', '0')).rejects.toThrow(/frame number from 1/);
  });

  it('migration says the frame too (the hop of the NEB test written as an XDATCAR)', async () => {
    expect(await run('migration', HOP)).toContain('frame 5 of 5 (1-based; ionic step 5)');
    const j = JSON.parse(await run('migration', HOP, '--json', '--frame', '3'));
    expect(j.frame).toEqual({ index: 2, step: 3, nFrames: 5 });
    // halfway the Mn sits on the shared O–O edge: 2 O within the cutoff
    expect(j.tm.find((t: { index: number }) => t.index === 28).nO).toBe(2);
    const p = JSON.parse(await run('migration', HOP, '--path', '--json'));
    expect([p.kind, p.movers[0].index, p.movers[0].leavesSite]).toEqual(['trajectory', 28, 1]);
  });

  it('a plain POSCAR has no frame', async () => {
    const j = JSON.parse(await run('census', join(NEB, '00', 'POSCAR'), '--json'));
    expect(j.structures[0].frame).toBeUndefined();
  });
});

describe('census --path', () => {
  it('an NEB folder: per image classes and fractions, the image carrying each change, 1-based atoms in the table; both engines agree', async () => {
    const w = JSON.parse(await run('census', NEB, '--path', '--json'));
    const j = JSON.parse(await run('census', NEB, '--path', '--json', '--engine', 'js'));
    expect(j).toEqual(w);
    expect(w.kind).toBe('neb');
    expect(w.frames.map((f: { name: string; classes: unknown }) => [f.name, f.classes])).toEqual([
      ['00', { O4: 72 }], ['01', { O4: 70, O5: 2 }], ['02', { O4: 68, O5: 4 }], ['03', { O3: 2, O4: 66, O5: 4 }], ['04', { O3: 4, O4: 64, O5: 4 }],
    ]);
    expect(w.frames[4].reactionCoordinate).toBeCloseTo(2.85, 10);
    expect(w.events).toHaveLength(8);
    expect(w.events[0]).toMatchObject({ name: '01', from: 'O4', to: 'O5', arrived: [], left: [{ index: 28, species: 'Mn' }] });
    const text = await run('census', NEB, '--path');
    expect(text).toContain('frames and atoms numbered from 1');
    expect(text).toMatch(new RegExp(`01\\s+${w.events[0].o + 1}\\s+O4\\s+O5\\s+-\\s+Mn29`));
  });

  it('an XDATCAR with --every and --frames; --csv; --plot writes the class-fraction SVG', async () => {
    const j = JSON.parse(await run('census', MD, '--path', '--json', '--every', '2', '--frames', '2:5'));
    expect(j.frames.map((f: { frame: number; step: number }) => [f.frame, f.step])).toEqual([[1, 2], [3, 4], [4, 5]]);
    const csv = (await run('census', MD, '--path', '--csv')).trim().split('\n');
    expect(csv[0]).toBe('frame_1based,name,step,reaction_coordinate,nO,O1_count,O1_fraction,O2_count,O2_fraction,O3_count,O3_fraction,O4_count,O4_fraction,class_changes');
    expect(csv[1]).toBe('1,step 1,1,,48,3,0.0625,7,0.14583333333333334,29,0.6041666666666666,9,0.1875,0');
    expect(csv).toHaveLength(6);
    const svg = join(dir, 'fractions.svg');
    await run('census', NEB, '--path', '--plot', svg);
    const s = readFileSync(svg, 'utf8');
    expect(s).toMatch(/^<svg/);
    for (const label of ['O3', 'O4', 'O5', 'Reaction coordinate (Å)', '8 class changes']) expect(s).toContain(label);
  });

  it('the real NEB fixture (NH3, aiida-vasp): five images, no O, said so; no TM to migrate, said so', async () => {
    const real = 'test/fixtures/real/vasp/neb/aiida-vasp__neb';
    const j = JSON.parse(await run('census', real, '--path', '--json'));
    expect([j.kind, j.nO, j.frames.map((f: { name: string }) => f.name), j.events]).toEqual(['neb', 0, ['00', '01', '02', '03', '04'], []]);
    expect(j.warnings).toContain(`no O in ${real}: nothing to classify`);
    // the cumulative minimum-image path length of the images, as `oxyscope neb` reports it
    const neb = JSON.parse(await run('neb', real, '--json'));
    expect(j.frames.map((f: { reactionCoordinate: number }) => f.reactionCoordinate)).toEqual(neb.reactionCoordinate);
    const m = JSON.parse(await run('migration', real, '--path', '--json', '--axis', 'c'));
    expect([m.movers, m.warnings.some((w: string) => w.startsWith('no TM'))]).toEqual([[], true]);
  });

  it('a calculation folder with an XDATCAR is its trajectory', async () => {
    const j = JSON.parse(await run('census', dir, '--path', '--json'));
    expect([j.kind, j.source, j.frames.length, j.events.length]).toEqual(['trajectory', join(dir, 'XDATCAR'), 5, 8]);
  });

  it('several POSCARs in order are a path; bad combinations are usage errors', async () => {
    const j = JSON.parse(await run('census', join(NEB, '00'), join(NEB, '04'), '--path', '--json'));
    expect([j.kind, j.frames.length, j.events.length]).toEqual(['structures', 2, 8]);
    await expect(run('census', MD, '--every', '2')).rejects.toThrow(/go with --path/);
    await expect(run('census', MD, '--path', '--per-site')).rejects.toThrow(UsageError);
    await expect(run('census', MD, '--path', '--frames', '3:2')).rejects.toThrow(/1 ≤ a ≤ b/);
  });

  it('migration --path on the NEB folder names the moving Mn 1-based', async () => {
    const text = await run('migration', NEB, '--path');
    expect(text).toContain('Mn29: moves 2.85 Å; leaves its site at image 01');
    const j = JSON.parse(await run('migration', NEB, '--path', '--json'));
    expect(j.movers.map((m: { index: number }) => m.index)).toEqual([28]);
  });
});
