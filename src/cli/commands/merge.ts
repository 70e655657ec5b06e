import { Command, Option } from 'commander';
import { withEngine } from '../options.js';
import { finish, withOutput, warn, type OutputOpts } from '../output.js';
import { openSource } from '../../node/files.js';
import { writeAtomic } from '../../node/write.js';
import { canonicalJson } from '../../node/provenance.js';
import { readAll, textOf } from '../../io/source.js';
import { MismatchError, ParseError, UsageError } from '../../errors.js';
import type { RecordedReport } from './report.js';
import { columnOrder, summaryRow, type Row } from '../report/rows.js';
import { byCodePoint } from '../../node/discover.js';
import { renderCsv, renderTable } from '../render.js';

type OnDuplicate = 'error' | 'first' | 'last';
type MergeOpts = OutputOpts & { out?: string; force?: boolean; jsonl?: boolean; allowMixed?: boolean; onDuplicate: OnDuplicate };

/** A calculation line of `report --jsonl`: the calculation's report plus the absolute root it was found under. */
export type JsonlRecord = RecordedReport & { root: string };

/** Where a record was read (for error messages), and its line as written (exact copies are not duplicates that differ). */
interface Located {
  record: JsonlRecord;
  file: string;
  line: number;
  text: string;
}

// ---- the shape of a record: the fields merge's table, CSV and checks read, so a wrong one is a ParseError, not a TypeError

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const num: Check = (v) => typeof v === 'number';
const numOrNull: Check = (v) => v === null || typeof v === 'number';
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const arrayOf = (item: Check): Check => (v) => Array.isArray(v) && v.every(item);
const shape = (fields: Record<string, Check>, optional: Record<string, Check> = {}): Check => (v) =>
  isObj(v) && Object.entries(fields).every(([k, c]) => c(v[k])) && Object.entries(optional).every(([k, c]) => v[k] === undefined || c(v[k]));

const FIELDS: [string, Check, string][] = [
  ['id', str, 'a string'],
  ['root', str, 'a string'],
  ['kind', (v) => v === 'neb' || v === 'files', '"neb" or "files"'],
  ['files', arrayOf(shape({ file: str, format: str })), 'a list of {file, format}'],
  ['errors', arrayOf(shape({ analysis: str, message: str })), 'a list of {analysis, message}'],
  ['notes', arrayOf(str), 'a list of strings'],
];
const OPTIONAL: [string, Check, string][] = [
  ['structure', shape({ formula: str, model: (v) => typeof v === 'boolean' }), '{formula, model}'],
  ['census', shape({ nO: num, fractions: (v) => isObj(v) && Object.values(v).every(numOrNull) }), '{nO, fractions}'],
  ['migration', shape({ tmInLiLayer: Array.isArray, migrated: shape({ inPlane: Array.isArray, outOfPlane: Array.isArray }) }), '{tmInLiLayer, migrated: {inPlane, outOfPlane}}'],
  ['pdos', shape({ groups: arrayOf(shape({ name: str, perAtom: numOrNull })), ratios: arrayOf(shape({ name: str, value: numOrNull })) }), '{groups, ratios}'],
  ['cohp', shape({ quantity: str, groups: arrayOf(shape({ by: str, name: str, meanMinusIcohp: numOrNull })) }), '{quantity, groups}'],
  ['neb', shape({ barrier: shape({ forward: numOrNull, backward: numOrNull, spline: numOrNull, basis: str }) }), '{barrier}'],
  ['provenance', shape({ tool: str, version: str, options: isObj, inputs: arrayOf(shape({ file: str, sha256: str })) }), '{tool, version, options, inputs}'],
];

/** What is wrong with the shape of a parsed line, or undefined. */
function shapeProblem(rec: unknown): string | undefined {
  if (!isObj(rec)) return 'a JSON object';
  for (const [k, check, what] of FIELDS) if (!check(rec[k])) return `"${k}": ${what}`;
  for (const [k, check, what] of OPTIONAL) if (rec[k] !== undefined && !check(rec[k])) return `"${k}": ${what}`;
  return undefined;
}

const RECORD = 'a calculation record of oxyscope report --jsonl';

/** Reads `report --jsonl` shards; a line that is not a calculation record is a ParseError naming file and line. */
async function readLocated(files: string[]): Promise<Located[]> {
  const out: Located[] = [];
  for (const file of files) {
    const lines = textOf(await readAll(await openSource(file))).split(/\r?\n/);
    lines.forEach((text, i) => {
      if (text.trim() === '') return;
      let rec: unknown;
      try {
        rec = JSON.parse(text);
      } catch {
        throw new ParseError({ file, line: i + 1, expected: 'one JSON object per line (oxyscope report --jsonl)', found: text });
      }
      const problem = shapeProblem(rec);
      if (problem) throw new ParseError({ file, line: i + 1, expected: `${RECORD} (${problem})`, found: text });
      out.push({ record: rec as JsonlRecord, file, line: i + 1, text });
    });
  }
  return out;
}

/** The settings of a record that must agree across shards: the tool version and the analysis options. */
function settingsOf(r: JsonlRecord): string {
  return r.provenance ? canonicalJson({ tool: r.provenance.tool, version: r.provenance.version, options: r.provenance.options }) : 'none';
}

function describeSettings(r: JsonlRecord): string {
  return r.provenance ? `oxyscope ${r.provenance.version}, options ${canonicalJson(r.provenance.options)}` : 'no provenance (written by an older oxyscope)';
}

/** Refuses records made with different versions/options, or without provenance (which cannot be checked). */
function checkSettings(located: Located[]): void {
  const first = located[0];
  if (!first) return;
  const odd = located.find((l) => settingsOf(l.record) !== settingsOf(first.record));
  const where = (l: Located) => `${l.file}:${l.line}`;
  if (odd) {
    throw new MismatchError([where(first), where(odd)], `made with different settings: ${describeSettings(first.record)} vs ${describeSettings(odd.record)} (pass --allow-mixed to merge them anyway)`);
  }
  if (!first.record.provenance) throw new MismatchError([where(first)], 'the records carry no provenance, so their settings cannot be checked (pass --allow-mixed to merge them anyway)');
}

/**
 * One record per calculation (root + id), sorted by root then id. Exact copies of a line (the same shard given
 * twice) are kept once; copies that differ are an error unless `onDuplicate` picks the first or the last one read.
 */
function dedupe(located: Located[], onDuplicate: OnDuplicate): { records: JsonlRecord[]; copies: number; replaced: number } {
  const byKey = new Map<string, Located>();
  let copies = 0;
  let replaced = 0;
  for (const l of located) {
    const key = `${l.record.root}\u0000${l.record.id}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, l);
      continue;
    }
    if (seen.text === l.text) {
      copies++;
      continue;
    }
    if (onDuplicate === 'error') {
      throw new MismatchError([`${seen.file}:${seen.line}`, `${l.file}:${l.line}`], `calculation ${l.record.id} (under ${l.record.root}) appears twice with different results (pass --on-duplicate first|last to keep one)`);
    }
    replaced++;
    if (onDuplicate === 'last') byKey.set(key, l);
  }
  const records = [...byKey.values()].map((l) => l.record).sort((a, b) => byCodePoint(a.root, b.root) || byCodePoint(a.id, b.id));
  return { records, copies, replaced };
}

export function mergeCommand(): Command {
  const cmd = new Command('merge')
    .summary('join report --jsonl shards into one table')
    .description('join the JSON lines of `oxyscope report --jsonl` shards into one table (one row per calculation, sorted); shards must share the oxyscope version and analysis options, and a calculation found in two shards with different results is refused')
    .argument('<jsonl...>', 'shard files written by report --jsonl')
    .option('--out <file>', 'write the table (or JSON/CSV/JSONL) to this file instead of stdout')
    .option('--force', 'replace an existing --out file')
    .option('--jsonl', 'JSONL: the merged records, one line each (sorted), as one `report --jsonl` over all calculations writes them')
    .option('--allow-mixed', 'merge shards made with different oxyscope versions or analysis options (or without provenance)')
    .addOption(new Option('--on-duplicate <which>', 'a calculation in several shards with different results: refuse, or keep the first/last read').choices(['error', 'first', 'last']).default('error'));
  withOutput(cmd, 'CSV: the summary table, full precision', 'JSON: every merged calculation record in full');
  return withEngine(cmd)
    .addHelpText('after', '\nExamples:\n  oxyscope merge shard-*.jsonl\n  oxyscope merge shard-*.jsonl --csv --out all.csv\n  oxyscope merge shard-*.jsonl --jsonl --out all.jsonl')
    .action(async (files: string[], opts: MergeOpts) => {
      if (opts.jsonl && (opts.json || opts.csv)) throw new UsageError('choose one of --json, --csv and --jsonl');
      const located = await readLocated(files);
      if (!opts.allowMixed) checkSettings(located);
      const { records, copies, replaced } = dedupe(located, opts.onDuplicate);
      const notes: string[] = [];
      if (copies > 0) notes.push(`${copies} exact cop${copies === 1 ? 'y' : 'ies'} of records (the same shard given twice?) kept once`);
      if (replaced > 0) notes.push(`${replaced} calculation${replaced === 1 ? '' : 's'} found in several shards with different results: kept the ${opts.onDuplicate} one read`);
      warn(notes);
      const rows: Row[] = records.map(summaryRow);
      const cols = columnOrder(rows);
      const cells = rows.map((r) => cols.map((k) => {
        const v = r[k];
        return typeof v === 'boolean' ? (v ? 'yes' : 'no') : v;
      }));
      const text = opts.jsonl
        ? records.map((r) => `${JSON.stringify(r)}\n`).join('')
        : opts.json
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
