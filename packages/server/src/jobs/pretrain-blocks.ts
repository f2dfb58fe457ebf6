import type { Dataset, Model } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { tokenStatsForJob } from '../datasets/dataset-token-stats.ts';
import { join } from 'node:path';
import { statSync } from 'node:fs';

/** Bytes of UTF-8 per token when nothing was counted: ~4 for English, ~1.5-3 for Chinese; a rough middle. */
const BYTES_PER_TOKEN = 3;

export interface PretrainBlocks {
  /** Blocks of `blockSize` tokens per document, on average: turns document counts into training samples. */
  perDocument: number;
  tokens: number;
  counted: boolean;
}

/**
 * Continued pre-training trains on blocks of max_seq_len tokens packed from the documents (an
 * end-of-document token after each), so the schedule is planned in blocks, not rows: from the
 * tokens counted with the model's tokenizer, or estimated from the file size for a large file
 * not counted yet (the worker's own count then decides the steps).
 */
export async function pretrainBlocks(ctx: AppContext, datasets: Dataset[], model: Model, blockSize: number): Promise<PretrainBlocks> {
  let tokens = 0;
  let documents = 0;
  let counted = true;
  for (const d of datasets) {
    // A count that fails (a tokenizer the counter cannot load) falls back to the estimate too.
    const stats = await tokenStatsForJob(ctx, d, model).catch(() => null);
    documents += d.rows;
    if (stats?.tokens) tokens += stats.tokens.total + d.rows; // + the end-of-document tokens
    else {
      counted = false;
      tokens += Math.ceil(statSync(join(ctx.config.home, 'datasets', d.id, 'data.jsonl')).size / BYTES_PER_TOKEN);
    }
  }
  return { perDocument: tokens / blockSize / Math.max(1, documents), tokens, counted };
}

