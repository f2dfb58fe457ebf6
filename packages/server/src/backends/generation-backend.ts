import { errorBody, WhetError, type BackendName, type GenerateLine, type GenerateRequest } from '@whetstone/core';

/**
 * What every serving backend implements (torch, llamacpp, vllm), vercel/ai style: one plain
 * type with a literal version. `stream` yields the generation protocol's own lines
 * (`start`, `delta`*, then `done` or `error`), so the OpenAI layer formats one shape whatever
 * the engine. Problems found before the first token (unknown adapter, context overflow) are
 * thrown as WhetError; problems after it arrive in-band as an `error` line.
 */
export interface GenerationBackend {
  readonly specificationVersion: 'v1';
  readonly backend: BackendName;
  /** Requests the engine runs at once (1 for one llama.cpp sequence, the batch size for torch). */
  readonly parallelism: number;
  /** Load the weights now (otherwise the first request does). */
  load(): Promise<void>;
  /** Aborting `signal` (client gone, timeout) stops the generation and frees its slot. */
  stream(request: BackendRequest, signal: AbortSignal): AsyncIterable<GenerateLine>;
  /** Free the weights; a later request loads them again. */
  close(): Promise<void>;
}

/** A generation request as the backends take it: the protocol's body with defaults applied. */
export type BackendRequest = Omit<GenerateRequest, 'stream'>;

export interface GenerationResult {
  text: string;
  finish_reason: 'stop' | 'length';
  prompt_tokens: number;
  completion_tokens: number;
}

/** Drain a stream into one result; an in-band error is thrown. */
export async function collectGeneration(lines: AsyncIterable<GenerateLine>): Promise<GenerationResult> {
  let text = '';
  for await (const line of lines) {
    if (line.type === 'delta') text += line.text;
    else if (line.type === 'done') {
      return { text, finish_reason: line.finish_reason, prompt_tokens: line.prompt_tokens, completion_tokens: line.completion_tokens };
    } else if (line.type === 'error') {
      throw lineError(line);
    }
  }
  throw missingDoneLine();
}

/** An in-band `error` line as the WhetError it stands for. */
export function lineError(line: Extract<GenerateLine, { type: 'error' }>): WhetError {
  const body = errorBody(line.code, line.message, line.hint);
  return new WhetError(body.code, body.message, { hint: body.hint });
}

export const missingDoneLine = () => new WhetError('GENERATION_FAILED', 'the backend ended the stream without a final "done" line');

/** OpenAI's `usage` object for a finished generation. */
export function usageOf(r: { prompt_tokens: number; completion_tokens: number }) {
  return { prompt_tokens: r.prompt_tokens, completion_tokens: r.completion_tokens, total_tokens: r.prompt_tokens + r.completion_tokens };
}
