/**
 * The bench's entry (`npm run bench`, `npm run bench:quick`, `oxyscope bench` in a clone): compiled with the bench
 * to dist-bench/ by `npm run build:bench`. Flags: --quick, --compare <old results.json>, --data <dir>, --out <dir>,
 * --json (results.json on stdout instead of the table).
 */
import { runBench, summary } from './runner.js';

const args = process.argv.slice(2);
const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const results = await runBench({ quick: args.includes('--quick'), data: value('--data'), out: value('--out') });
process.stdout.write(args.includes('--json') ? `${JSON.stringify(results, null, 1)}\n` : summary(results, value('--compare')));
