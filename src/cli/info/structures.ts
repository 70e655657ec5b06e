import type { SummarizerTable } from './types.js';

export const summarizers: SummarizerTable = {};
