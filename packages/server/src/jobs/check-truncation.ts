import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { type Conversation, WhetError } from '@whetstone/core';
import { ConversationTokenCounter, loadTokenizer } from '@whetstone/data';

/** Rows read before concluding that none keeps an answer (the worker re-checks every row). */
const SCAN_LIMIT = 5000;

/**
 * Refuse a job whose max_seq_len would cut every sample before its first answer token.
 * Counts the prompt turns as the chat template renders them, without the assistant header, so
 * it errs low and never refuses a dataset the worker could train on; it stops at the first
 * sample that fits.
 */
export async function checkAnswersFit(dataPath: string, modelDir: string, maxSeqLen: number): Promise<void> {
  let counter: ConversationTokenCounter;
  try {
    counter = new ConversationTokenCounter(loadTokenizer(modelDir));
  } catch {
    return; // no tokenizer.json (e.g. sentencepiece only): leave the check to the worker
  }
  let scanned = 0;
  let longest = 0;
  let shortest = Infinity;
  const lines = createInterface({ input: createReadStream(dataPath, 'utf8'), crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as Conversation;
      const firstAnswer = row.messages.findIndex((m) => m.role === 'assistant');
      if (firstAnswer < 0) continue;
      const tokens = counter.count(row.messages.slice(0, firstAnswer));
      if (tokens < maxSeqLen) return;
      scanned += 1;
      longest = Math.max(longest, tokens);
      shortest = Math.min(shortest, tokens);
      if (scanned >= SCAN_LIMIT) break;
    }
  } finally {
    lines.close();
  }
  if (scanned === 0) return;
  throw new WhetError(
    'DATASET_EMPTY_AFTER_TRUNCATION',
    `max_seq_len ${maxSeqLen} cuts every sample before its answer: the prompts of ${scanned === SCAN_LIMIT ? `the first ${scanned}` : `all ${scanned}`} samples are already ${shortest} to ${longest} tokens long`,
    { field: 'hyperparameters.max_seq_len', hint: `Raise max_seq_len above ${shortest} (or use "auto"), or shorten the prompts.` },
  );
}
