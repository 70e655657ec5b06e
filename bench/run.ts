/**
 * `npm run bench` / `npm run bench:quick`: the same runner as `oxyscope bench` (src/bench/runner.ts, compiled to
 * dist/ by the build that precedes it). Flags: --quick, --compare <old results.json>, --data <dir>, --out <dir>.
 */
import { runBench, summary } from '../dist/bench/runner.js';

const args = process.argv.slice(2);
const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const results = await runBench({ quick: args.includes('--quick'), data: value('--data'), out: value('--out') });
process.stdout.write(summary(results, value('--compare')));
