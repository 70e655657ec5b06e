/** What `oxyscope info` prints for one file: JSON-able, `file` and `format` first, `warnings` last. */
export type InfoSummary = { format: string } & Record<string, unknown>;
