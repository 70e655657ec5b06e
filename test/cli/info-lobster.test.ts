import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// runs the built CLI: `npm test` builds first (`npm run build:ts` when running this file alone)
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/oxyscope.js');
const L = 'test/fixtures/real/lobster/';

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function info(rel: string, engine?: 'js' | 'wasm'): Promise<Record<string, unknown>> {
  const r = await run(['info', L + rel, '--json', ...(engine ? ['--engine', engine] : [])]);
  expect(r.code).toBe(0);
  const json = JSON.parse(r.stdout) as Record<string, unknown> & { warnings: string[] };
  // every warning in the JSON is also on stderr, and nothing else is
  expect(r.stderr).toBe(json.warnings.map((w) => `warning: ${w}\n`).join(''));
  return json;
}

describe('oxyscope info on LOBSTER files', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/cli/commands/info.js'))) throw new Error('dist/ is missing: run `npm run build:ts` first');
  });

  it('COHPCAR/COOPCAR/COBICAR: bonds counted once, no Average, no orbital lines', async () => {
    expect(await info('cohpcar/COHPCAR.lobster')).toMatchObject({
      format: 'cohpcar',
      nBonds: 2,
      ispin: 2,
      efermi: 9.75576,
      nPoints: 301,
      orbitalResolved: false,
      energyRange: [-10.03344, 5.01672],
    });
    expect(await info('cohpcar/COOPCAR.lobster', 'js')).toMatchObject({ format: 'coopcar', nBonds: 2, ispin: 2 });
    expect(await info('cohpcar/COHPCAR.lobster.orbitalwise')).toMatchObject({ nBonds: 1, ispin: 1, nPoints: 401, efermi: 2.31259, orbitalResolved: true });
    expect(await info('cohpcar/COHPCAR.lobster.KF')).toMatchObject({ nBonds: 6, nPoints: 6, orbitalResolved: true, energyRange: [-11.25, 7.5] });
    for (const [f, format] of [
      ['COHPCAR.lobster', 'cohpcar'],
      ['COBICAR.lobster', 'cobicar'],
      ['COOPCAR.lobster', 'coopcar'],
    ]) {
      expect(await info(`cohpcar/custodian__lobster__v51/${f}`)).toMatchObject({ format, nBonds: 24, ispin: 1, nPoints: 11, efermi: -0.892304, orbitalResolved: true });
    }
  });

  it('ICOHPLIST/ICOOPLIST/ICOBILIST: nBonds once per bond whatever the spin layout, layout, pairs', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['ICOHPLIST.lobster', { format: 'icohplist', nBonds: 2, ispin: 2, layout: 'lobster-2', orbitalResolved: false, pairs: { 'Fe-Fe': 2 } }],
      ['ICOHPLIST.lobster.gz', { format: 'icohplist', nBonds: 2, ispin: 2, layout: 'lobster-2' }],
      ['ICOOPLIST.lobster', { format: 'icooplist', nBonds: 2, ispin: 2, layout: 'lobster-2' }],
      ['ICOHPLIST.lobster.KF_nospin', { nBonds: 6, ispin: 1, layout: 'lobster-3-4', pairs: { 'F-K': 6 } }],
      ['ICOBILIST.lobster', { format: 'icobilist', nBonds: 2, ispin: 1, layout: 'lobster-3-4', orbitalResolved: true, pairs: { 'O-Ta': 2 } }],
      ['ICOBILIST.lobster.withoutorbitals', { nBonds: 2, orbitalResolved: false }],
      // 18 Na-Na, 18 Cl-Cl and 14 Na-Cl/Cl-Na lines (counted in the file with awk)
      ['ICOHPLIST.lobster.NaCl.gz', { nBonds: 50, ispin: 1, orbitalResolved: true, pairs: { 'Na-Na': 18, 'Cl-Na': 14, 'Cl-Cl': 18 } }],
      ['custodian__lobster__v51/ICOHPLIST.lobster', { nBonds: 24, ispin: 1, layout: 'lobster-5-spin-row', orbitalResolved: true, pairs: { 'Na-Cl': 24 } }],
      ['custodian__lobster__v51/ICOBILIST.lobster', { format: 'icobilist', nBonds: 24, layout: 'lobster-5-spin-row' }],
      ['custodian__lobster__vasp_lobster_output/ICOHPLIST.lobster', { nBonds: 146, ispin: 2, layout: 'lobster-3-4', orbitalResolved: true }],
    ];
    for (const [f, want] of cases) expect(await info(`icohplist/${f}`)).toMatchObject(want);
  });

  it('DOSCAR.lobster: nedos, ispin, nSites, orbitals, efermi', async () => {
    expect(await info('doscar/pymatgen-test-files__KF-spin/DOSCAR.lobster.spin')).toMatchObject({
      format: 'doscar-lobster',
      nedos: 6,
      ispin: 2,
      nSites: 2,
      efermi: -2.89003003,
      orbitals: [
        ['2s', '2p_y', '2p_z', '2p_x'],
        ['3s', '4s', '3p_y', '3p_z', '3p_x'],
      ],
      energyRange: [-11.25, 7.5],
    });
    expect(await info('doscar/pymatgen-test-files__KF-nonspin-gz/DOSCAR.lobster.nonspinzip.gz')).toMatchObject({ nedos: 6, ispin: 1, nSites: 2 });
    for (const f of ['DOSCAR.lobster', 'DOSCAR.LSO.lobster']) {
      expect(await info(`doscar/custodian__lobster__v51/${f}`)).toMatchObject({ format: 'doscar-lobster', nedos: 11, ispin: 1, nSites: 8, efermi: -0.89230356 });
    }
  });

  it('CHARGE.lobster: labels, mulliken, loewdin', async () => {
    expect(await info('charge/CHARGE.lobster.MnO')).toEqual({
      file: L + 'charge/CHARGE.lobster.MnO',
      format: 'charge-lobster',
      labels: ['O1', 'Mn2'],
      mulliken: [-1.3, 1.3],
      loewdin: [-1.25, 1.25],
      warnings: [],
    });
    expect(await info('charge/CHARGE.lobster.MnO2.gz')).toMatchObject({ labels: ['O1', 'Mn2'] });
    expect(await info('charge/custodian__lobster__v51/CHARGE.lobster')).toMatchObject({ mulliken: [0.78, 0.78, 0.78, 0.78, -0.78, -0.78, -0.78, -0.78] });
    expect(await info('charge/custodian__lobster__vasp_lobster_output/CHARGE.lobster')).toMatchObject({ labels: ['Li1', 'F2'], loewdin: [0.71, -0.71] });
  });

  it('lobsterout: version, chargeSpilling, basis, warnings', async () => {
    const normal = await info('lobsterout/lobsterout.normal');
    expect(normal).toMatchObject({ format: 'lobsterout', version: '3.1.0', chargeSpilling: [2.68], bandOverlapsWarning: true });
    // LOBSTER's own WARNING lines reach the user like reader warnings (stderr and JSON), naming the file
    expect(normal.warnings).toEqual([expect.stringMatching(/lobsterout\.normal: 3 of 147 k-points could not be orthonormalized/)]);
    expect(await info('lobsterout/lobsterout_cobi_madelung')).toMatchObject({ version: '4.1.0', chargeSpilling: [0.8] });
    expect(await info('lobsterout/custodian__lobster__v51/lobsterout')).toMatchObject({
      version: '5.1.1',
      chargeSpilling: [0.3],
      basis: { Cl: ['3s', '3p_y', '3p_z', '3p_x'], Na: ['3s', '2p_y', '2p_z', '2p_x'] },
      warnings: [],
    });
    expect(await info('lobsterout/custodian__lobster__vasp_lobster_output/lobsterout')).toMatchObject({ chargeSpilling: [1.01, 1.01] });
  });

  it('a truncated LOBSTER file exits 1 with one line on stderr and nothing on stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oxy-lobster-'));
    const cases: [string, string, number][] = [
      ['cohpcar/COHPCAR.lobster', 'COHPCAR.lobster', 0.5],
      ['doscar/pymatgen-test-files__KF-spin/DOSCAR.lobster.spin', 'DOSCAR.lobster', 0.7],
      ['icohplist/custodian__lobster__vasp_lobster_output/ICOHPLIST.lobster', 'ICOHPLIST.lobster', 0.8],
    ];
    for (const [src, name, frac] of cases) {
      const text = readFileSync(join(ROOT, L, src), 'utf8');
      const path = join(dir, name);
      writeFileSync(path, text.slice(0, Math.floor(text.length * frac)));
      const r = await run(['info', path, '--json']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^oxyscope: ${path.replace(/[.\\/]/g, '\\$&')}:\\d+.*: expected `));
    }
  });
});
