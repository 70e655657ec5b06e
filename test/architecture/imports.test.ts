import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The one-way data flow of the README's architecture section, checked on the import statements (type-only imports
 * included): no import cycles, and no stage imports a stage above it.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return n === 'node_modules' || n === 'data' || n === 'dist' ? [] : files(p);
    return /\.ts$/.test(n) && !/\.d\.ts$/.test(n) ? [p] : [];
  });
}

const all = ['src', 'viewer/src', 'bench'].flatMap((d) => files(join(ROOT, d)));
const rel = (p: string) => relative(ROOT, p).split('\\').join('/');
const graph = new Map<string, string[]>();
for (const f of all) {
  const text = readFileSync(f, 'utf8');
  const deps: string[] = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)) {
    const spec = m[1] ?? m[2];
    deps.push(rel(resolve(dirname(f), spec.replace(/\.js$/, '.ts'))));
  }
  graph.set(rel(f), deps);
}

/** Stage of a file, lowest first: a file may import only its own stage and the stages below. */
const STAGES: [RegExp, number][] = [
  [/^src\/(errors|math\/)/, 0],
  [/^src\/kernels\//, 1],
  [/^src\/model\//, 2],
  [/^src\/io\//, 3],
  [/^src\/(analysis|build)\//, 4],
  [/^src\/pipeline\//, 5],
  [/^src\/(plot|node)\//, 6],
  [/^src\/cli\//, 7],
  [/^viewer\/src\//, 7],
  [/^bench\//, 8],
];
const stage = (f: string) => STAGES.find(([re]) => re.test(f))?.[1];

describe('architecture', () => {
  it('every file belongs to a stage', () => {
    expect([...graph.keys()].filter((f) => stage(f) === undefined)).toEqual([]);
  });

  it('no stage imports one above it; kernels do not import the model; the viewer uses no Node-only module', () => {
    const bad: string[] = [];
    for (const [f, deps] of graph) {
      for (const d of deps) {
        const up = (stage(d) ?? 0) > (stage(f) ?? 0);
        const kernelsToModel = f.startsWith('src/kernels/') && d.startsWith('src/model/');
        const viewerToNode = f.startsWith('viewer/') && /^src\/(node|cli)\//.test(d);
        const toBench = !f.startsWith('bench/') && d.startsWith('bench/');
        if (up || kernelsToModel || viewerToNode || toBench) bad.push(`${f} → ${d}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const path: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      path.push(f);
      for (const d of graph.get(f) ?? []) {
        if (state.get(d) === 'open') cycles.push([...path.slice(path.indexOf(d)), d].join(' → '));
        else if (!state.has(d) && graph.has(d)) visit(d);
      }
      path.pop();
      state.set(f, 'done');
    };
    for (const f of graph.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('readers are reached only through the format registry (src/io/formats.ts): no value import of a reader module from outside src/io', () => {
    /** importer → reader modules it may use directly, and why */
    const allowed: Record<string, string[]> = {
      // an NEB is a folder of image files, not a file format: its assembly reads each image file itself
      'src/node/neb.ts': ['src/io/vasp/neb.ts'],
      'viewer/src/load.ts': ['src/io/vasp/neb.ts'],
      // isBlank: the NEB reader's rule for an empty CONTCAR (a run that died), shared by the voltage series
      'src/node/series.ts': ['src/io/vasp/neb.ts'],
      // the companion policy peeks at a POSCAR header (VASP 4 or not) before the registry's read
      'src/pipeline/inputs.ts': ['src/io/vasp/poscar.ts'],
    };
    const readers = /^src\/io\/(vasp|lobster|bader)\/(?!poscar-write\.ts$)/;
    const bad: string[] = [];
    for (const f of all) {
      const r = rel(f);
      if (r.startsWith('src/io/')) continue;
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/import\s+(?!type\s)([^;]*?)from\s+'(\.[^']+)'/g)) {
        // an import of types only (`import { type A, type B }`) reads nothing
        if (/^\{[^}]*\}\s*$/.test(m[1].trim()) && m[1].replace(/[{}\s]/g, '').split(',').every((x) => x.startsWith('type'))) continue;
        const d = rel(resolve(dirname(f), m[2].replace(/\.js$/, '.ts')));
        if (readers.test(d) && !(allowed[r] ?? []).includes(d)) bad.push(`${r} → ${d}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
