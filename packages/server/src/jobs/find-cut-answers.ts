import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Conversation, ResolvedValue } from '@whetstone/core';
import { ConversationTokenCounter, loadTokenizer } from '@whetstone/data';

/** Lines named in the reason; the count covers them all. */
const LINES_SHOWN = 20;

export interface CutAnswers {
  /** Samples whose last answer ends past max_seq_len. */
  count: number;
  rows: number;
  /** 1-based line numbers in the training file, the first LINES_SHOWN of them. */
  lines: number[];
}

/**
 * Find the training samples whose answer max_seq_len would cut: the whole conversation, as the
 * model's chat template renders it, is longer than max_seq_len and it ends with an answer.
 * Null when the model has no tokenizer.json (the worker still counts them and says so).
 */
export async function findCutAnswers(dataPath: string, modelDir: string, maxSeqLen: number): Promise<CutAnswers | null> {
  let counter: ConversationTokenCounter;
  try {
    counter = new ConversationTokenCounter(loadTokenizer(modelDir));
  } catch {
    return null;
  }
  const found: CutAnswers = { count: 0, rows: 0, lines: [] };
  let line = 0;
  const lines = createInterface({ input: createReadStream(dataPath, 'utf8'), crlfDelay: Infinity });
  for await (const text of lines) {
    line += 1;
    if (!text.trim()) continue;
    found.rows += 1;
    const { messages } = JSON.parse(text) as Conversation;
    if (!messages.some((m) => m.role === 'assistant')) continue;
    if (counter.count(messages) > maxSeqLen) {
      found.count += 1;
      if (found.lines.length < LINES_SHOWN) found.lines.push(line);
    }
  }
  return found;
}

/** The resolved value stored on the job: what is cut, where, and what happens to it. */
export function describeCutAnswers(cut: CutAnswers, maxSeqLen: number, drop: boolean): ResolvedValue {
  const where = `line${cut.lines.length > 1 ? 's' : ''} ${cut.lines.join(', ')}${cut.count > cut.lines.length ? ', ...' : ''}`;
  const fate = drop
    ? 'they are left out (drop_truncated)'
    : 'they train on the part that fits; set "drop_truncated": true to leave them out, or raise max_seq_len';
  return {
    value: { count: cut.count, lines: cut.lines, dropped: drop },
    source: 'auto',
    reason: `${cut.count} of ${cut.rows} samples have an answer that max_seq_len ${maxSeqLen} cuts (${where}): ${fate}`,
  };
}
