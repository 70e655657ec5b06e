/**
 * Generates the bench inputs without running the bench: `tsx bench/generate-inputs.ts [--quick] [--out bench/data]`.
 */
import { join } from 'node:path';
import { packageRoot } from '../src/node/paths.js';
import { generate } from './generate/index.js';

const args = process.argv.slice(2);
// bench/data of the package, also when run compiled from dist-bench/
const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : join(packageRoot(), 'bench', 'data');
const g = generate(out, args.includes('--quick') ? 'quick' : 'full', (m) => console.error(m));
for (const f of g.files) console.log(`${(f.bytes / 1e6).toFixed(1).padStart(9)} MB  ${f.path}  (${f.size})`);
