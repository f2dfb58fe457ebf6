import { isWhetError } from '@whetstone/core';
import type { SftRow } from '../types.ts';
import { chatCompletion, type ChatEndpoint, type ChatFn, type ChatTurn } from './chat-endpoint.ts';
import type { DocumentChunk } from './chunk-document.ts';
import { parseQaPairs } from './parse-qa-pairs.ts';

export interface QaPair {
  question: string;
  answer: string;
  /** The chunk it was generated from, to show beside it for review. */
  chunk_index: number;
}

export interface QaFailure {
  chunk_index: number;
  code: string;
  message: string;
}

export interface GenerateQaOptions {
  /** Pairs asked for per chunk (default 3). */
  pairsPerChunk?: number;
  /** Requests in flight at once (default 2). */
  concurrency?: number;
  temperature?: number;
  maxTokens?: number;
  /** Called after each chunk, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateQaResult {
  pairs: QaPair[];
  failures: QaFailure[];
}

const SYSTEM = [
  'You write question-answer pairs that teach the content of a document to an assistant.',
  'Ask questions a user would ask; answer them fully and only from the text, in the language of the text.',
  'Reply with JSON only: {"pairs": [{"question": "...", "answer": "..."}]}',
].join(' ');

/** The messages that ask for the pairs of one chunk. */
export function qaPrompt(chunk: DocumentChunk, pairs: number): ChatTurn[] {
  const where = chunk.headings.length ? `Section: ${chunk.headings.join(' > ')}\n\n` : '';
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `${where}Text:\n"""\n${chunk.text}\n"""\n\nWrite ${pairs} question-answer pairs about this text.` },
  ];
}

/**
 * Asks an OpenAI-compatible endpoint (or any `ChatFn`, such as the server's gateway to a
 * registered model) for question-answer pairs about each chunk. A reply that holds no pair is a
 * failure of that chunk, reported with the others; a model that refuses the very first request
 * (wrong URL, key or model) stops the run with its error (ENDPOINT_FAILED, MODEL_NOT_FOUND...).
 */
export async function generateQaPairs(chunks: DocumentChunk[], endpoint: ChatEndpoint | ChatFn, opts: GenerateQaOptions = {}): Promise<GenerateQaResult> {
  const per = opts.pairsPerChunk ?? 3;
  const chat: ChatFn = typeof endpoint === 'function' ? endpoint : (messages, o) => chatCompletion(endpoint, messages, o);
  const results: (QaPair[] | QaFailure)[] = new Array(chunks.length);
  let done = 0;
  let answered = false;
  const one = async (i: number) => {
    const chunk = chunks[i]!;
    try {
      const reply = await chat(qaPrompt(chunk, per), { temperature: opts.temperature ?? 0.3, maxTokens: opts.maxTokens });
      answered = true;
      const pairs = parseQaPairs(reply.content);
      results[i] = pairs.length
        ? pairs.slice(0, per * 2).map((p) => ({ ...p, chunk_index: chunk.index }))
        : { chunk_index: chunk.index, code: 'NO_PAIRS', message: `the reply held no question-answer pair: ${reply.content.slice(0, 200)}` };
    } catch (e) {
      if (!answered && isWhetError(e)) throw e;
      results[i] = { chunk_index: chunk.index, code: isWhetError(e) ? e.code : 'INTERNAL', message: (e as Error).message };
    }
    opts.onProgress?.(++done, chunks.length);
  };
  let next = 0;
  // the first request alone: a misconfigured endpoint fails once, with its own error
  if (chunks.length) await one(next++);
  const work = async () => {
    while (next < chunks.length) await one(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, work));
  const pairs: QaPair[] = [];
  const failures: QaFailure[] = [];
  for (const r of results) {
    if (!r) continue;
    if (Array.isArray(r)) pairs.push(...r);
    else failures.push(r);
  }
  return { pairs, failures };
}

/** Reviewed pairs as training rows of the internal form, one single-turn chat each. */
export function qaPairsToRows(pairs: Pick<QaPair, 'question' | 'answer'>[], system?: string): SftRow[] {
  return pairs.map((p) => ({
    messages: [...(system ? [{ role: 'system' as const, content: system }] : []), { role: 'user' as const, content: p.question }, { role: 'assistant' as const, content: p.answer }],
  }));
}
