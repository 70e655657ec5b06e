import { Command } from 'commander';
import { withEngine } from '../options.js';
import { finish, withOutput, type OutputOpts } from '../output.js';
import { openSource } from '../../node/files.js';
import { writeAtomic } from '../../node/write.js';
import { readAll, textOf } from '../../io/source.js';
import { ParseError } from '../../errors.js';
import type { CalcReport } from '../../pipeline/calculation.js';
import { columnOrder, summaryRow, type Row } from '../report/rows.js';
import { byCodePoint } from '../../node/discover.js';
import { renderCsv, renderTable } from '../render.js';

type MergeOpts = OutputOpts & { out?: string; force?: boolean };

/** A calculation line of `report --jsonl`: the calculation's report plus the absolute root it was found under. */
export type JsonlRecord = CalcReport & { root: string };

/** Reads `report --jsonl` shards; a line that is not a calculation record is a ParseError with its line number. */
export async function readShards(files: string[]): Promise<JsonlRecord[]> {
  const out: JsonlRecord[] = [];
  for (const file of files) {
    const lines = textOf(await readAll(await openSource(file))).split(/\r?\n/);
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch {
        throw new ParseError({ file, line: i + 1, expected: 'one JSON object per line (oxyscope report --jsonl)', found: line });
      }
      const r = rec as Partial<JsonlRecord>;
      if (typeof r !== 'object' || r === null || typeof r.id !== 'string' || typeof r.root !== 'string' || !Array.isArray(r.errors)) {
        throw new ParseError({ file, line: i + 1, expected: 'a calculation record with root, id and errors (oxyscope report --jsonl)', found: line });
      }
      out.push(r as JsonlRecord);
    });
  }
  return out;
}

/** One record per calculation (root + id; a later shard wins over an earlier copy), sorted by root then id. */
export function mergeRecords(records: JsonlRecord[]): JsonlRecord[] {
  const byKey = new Map<string, JsonlRecord>();
  for (const r of records) byKey.set(`${r.root}\u0000${r.id}`, r);
  return [...byKey.values()].sort((a, b) => byCodePoint(a.root, b.root) || byCodePoint(a.id, b.id));
}

export function mergeCommand(): Command {
  const cmd = new Command('merge')
    .summary('join report --jsonl shards into one table')
    .description('join the JSON lines of `oxyscope report --jsonl` shards into one table (one row per calculation, deduplicated, sorted)')
    .argument('<jsonl...>', 'shard files written by report --jsonl')
    .option('--out <file>', 'write the table (or JSON/CSV) to this file instead of stdout')
    .option('--force', 'replace an existing --out file');
  withOutput(cmd, 'CSV: the summary table, full precision', 'JSON: every merged calculation record in full');
  return withEngine(cmd)
    .addHelpText('after', '\nExamples:\n  oxyscope merge shard-*.jsonl\n  oxyscope merge shard-*.jsonl --csv --out all.csv')
    .action(async (files: string[], opts: MergeOpts) => {
      const records = mergeRecords(await readShards(files));
      const rows: Row[] = records.map(summaryRow);
      const cols = columnOrder(rows);
      const cells = rows.map((r) => cols.map((k) => {
        const v = r[k];
        return typeof v === 'boolean' ? (v ? 'yes' : 'no') : v;
      }));
      const text = opts.json
        ? `${JSON.stringify(records, null, 2)}\n`
        : opts.csv
          ? renderCsv(cols, cells)
          : `${renderTable(cols, cells)}\n\n${records.length} calculation${records.length === 1 ? '' : 's'} from ${files.length} shard file${files.length === 1 ? '' : 's'}\n`;
      if (opts.out) {
        await writeAtomic(opts.out, text, opts.force);
        process.stderr.write(`wrote ${opts.out} (${records.length} calculations)\n`);
      } else {
        process.stdout.write(text);
      }
      // the readers' warnings of every merged calculation (each record keeps its own in `warnings`)
      finish(opts, records.flatMap((r) => r.warnings ?? []));
    });
}
