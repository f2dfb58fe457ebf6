import { errorBody, WhetError } from '@whetstone/core';
import { usageOf } from '../backends/generation-backend.ts';
import type { OpenGeneration } from '../deployments/gateway.ts';
import { toOpenAiError } from './openai-error.ts';

export interface ChunkShape {
  id: string;
  created: number;
  /** 'chat.completion.chunk' or 'text_completion'. */
  object: string;
  includeUsage: boolean;
  /** Choices sent before the first token (chat opens with the assistant role). */
  opening?: unknown[];
  delta(text: string): unknown;
  finish(reason: string): unknown;
}

/**
 * A generation's NDJSON lines as OpenAI stream chunks: one per text delta, one with the finish
 * reason, then usage when asked. A failure mid-stream is sent in-band as an error object, since
 * the status line went out with the first chunk.
 */
export async function* streamChunks(gen: OpenGeneration, shape: ChunkShape) {
  const chunk = (choices: unknown[], usage: unknown = null) => ({
    id: shape.id,
    object: shape.object,
    created: shape.created,
    model: gen.model,
    system_fingerprint: null,
    choices,
    ...(shape.includeUsage ? { usage } : {}),
  });
  if (shape.opening) yield chunk(shape.opening);
  try {
    for await (const line of gen.lines) {
      if (line.type === 'delta') {
        if (line.text) yield chunk([shape.delta(line.text)]);
      } else if (line.type === 'done') {
        yield chunk([shape.finish(line.finish_reason)]);
        if (shape.includeUsage) {
          yield chunk([], usageOf(line));
        }
        return;
      } else if (line.type === 'error') {
        yield toOpenAiError(errorBody(line.code, line.message, line.hint), 500);
        return;
      }
    }
  } catch (e) {
    const err = e instanceof WhetError ? e : new WhetError('GENERATION_FAILED', String((e as Error)?.message ?? e));
    yield toOpenAiError(err.toJSON(), err.status);
  }
}
