import type { NormalizedRow } from '../types.ts';
import { readJsonlLines } from '../io/read-jsonl-lines.ts';
import { loadTokenizer } from '../tokenize/load-tokenizer.ts';
import { ConversationTokenCounter } from '../tokenize/conversation-tokens.ts';
import type { DatasetStats } from './dataset-stats.ts';
import { StatsCollector } from './stats-collector.ts';

export interface ComputeStatsOptions {
  /** The model's tokenizer.json (or folder) for token statistics. */
  tokenizerPath?: string;
}

/**
 * Statistics of a normalized data.jsonl (e.g. again with another model's tokenizer, after an
 * upload without one). Streams the file; memory stays a few bytes per row.
 */
export async function computeStats(dataPath: string, opts: ComputeStatsOptions = {}): Promise<DatasetStats> {
  const tok = opts.tokenizerPath ? loadTokenizer(opts.tokenizerPath) : null;
  const stats = new StatsCollector(tok ? { tokenizer: tok, counter: new ConversationTokenCounter(tok) } : null);
  for await (const line of readJsonlLines(dataPath)) stats.add(JSON.parse(line) as NormalizedRow, line);
  return stats.finish();
}
