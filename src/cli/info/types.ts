import type { ByteSource } from '../../io/source.js';
import type { FormatId } from '../../io/detect.js';
import type { Kernels } from '../../kernels/types.js';

/** What `oxyscope info` prints for one file: JSON-able, `format` first. */
export type InfoSummary = { format: string } & Record<string, unknown>;

export type Summarizer = (source: ByteSource, kernels: Kernels) => Promise<InfoSummary>;

export type SummarizerTable = Partial<Record<FormatId, Summarizer>>;
