/**
 * Generates the bench inputs without running the bench: `tsx bench/generate-inputs.ts [--quick] [--out bench/data]`.
 */
import { fileURLToPath } from 'node:url';
import { generate } from './generate/index.js';

const args = process.argv.slice(2);
const out = args.includes('--out') ? args[args.indexOf('--out') + 1] : fileURLToPath(new URL('./data', import.meta.url));
const g = generate(out, args.includes('--quick') ? 'quick' : 'full', (m) => console.error(m));
for (const f of g.files) console.log(`${(f.bytes / 1e6).toFixed(1).padStart(9)} MB  ${f.path}  (${f.size})`);
