import type { ByteSource } from '../../io/source.js';
import type { FormatId } from '../../io/detect.js';
import type { Kernels } from '../../kernels/types.js';
import type { ReadHints } from '../../node/load.js';

/** What `oxyscope info` prints for one file: JSON-able, `format` first. */
export type InfoSummary = { format: string } & Record<string, unknown>;

/**
 * `path`: the file on disk (none for stdin), where companions of the run are found (POTCAR, CONTCAR …);
 * `hints`: what the user said the file cannot (`--species`, `--layout`).
 */
export type Summarizer = (source: ByteSource, kernels: Kernels, path?: string, hints?: ReadHints) => Promise<InfoSummary>;

export type SummarizerTable = Partial<Record<FormatId, Summarizer>>;
