/**
 * The bench's entry (`npm run bench`, `npm run bench:quick`, `oxyscope bench` in a clone): compiled with the bench
 * to dist-bench/ by `npm run build:bench`. Flags: --quick, --compare <old results.json>, --data <dir>, --out <dir>,
 * --json (results.json on stdout instead of the table), --only <job ids> (just those CLI and pymatgen rows, e.g.
 * `--only census|poscar-97200,census-path|xdatcar-324x3000,path-census|xdatcar-324x3000`).
 */
import { runBench, summary } from './runner.js';

const args = process.argv.slice(2);
const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
const only = value('--only')?.split(',').filter(Boolean);
const results = await runBench({ quick: args.includes('--quick'), data: value('--data'), out: value('--out'), only });
process.stdout.write(args.includes('--json') ? `${JSON.stringify(results, null, 1)}\n` : summary(results, value('--compare')));
