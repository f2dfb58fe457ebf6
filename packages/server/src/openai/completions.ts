import { Hono } from 'hono';
import { errorBody, WhetError } from '@whetstone/core';
import { collectGeneration } from '../backends/generation-backend.ts';
import type { AppContext } from '../context.ts';
import type { OpenGeneration } from '../deployments/gateway.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';
import { toOpenAiError } from './openai-error.ts';
import { CompletionRequestSchema } from './openai-schemas.ts';
import { sseResponse } from './sse-response.ts';
import { completionId, startGeneration } from './start-generation.ts';
import { completionToBackendRequest } from './to-backend-request.ts';

/** POST /v1/completions: raw-text continuation (no chat template), plain or streamed. */
export function completionRoutes(ctx: AppContext) {
  return new Hono().post('/completions', async (c) => {
    const body = await parseJsonBody(c, CompletionRequestSchema);
    const request = completionToBackendRequest(body, ctx.gateway.contextLength(body.model));
    const { gen, cancel } = await startGeneration(c, ctx.gateway, body.model, request);
    const id = completionId('cmpl');
    const created = Math.floor(Date.now() / 1000);
    if (!body.stream) {
      try {
        const r = await collectGeneration(gen.lines);
        return c.json({
          id,
          object: 'text_completion',
          created,
          model: gen.model,
          choices: [{ text: r.text, index: 0, logprobs: null, finish_reason: r.finish_reason }],
          usage: { prompt_tokens: r.prompt_tokens, completion_tokens: r.completion_tokens, total_tokens: r.prompt_tokens + r.completion_tokens },
          system_fingerprint: null,
        });
      } finally {
        await cancel();
      }
    }
    const includeUsage = body.stream_options?.include_usage === true;
    return sseResponse(completionChunks(gen, { id, created, includeUsage }), cancel);
  });
}

async function* completionChunks(gen: OpenGeneration, o: { id: string; created: number; includeUsage: boolean }) {
  const chunk = (choices: unknown[], usage: unknown = null) => ({
    id: o.id,
    object: 'text_completion',
    created: o.created,
    model: gen.model,
    system_fingerprint: null,
    choices,
    ...(o.includeUsage ? { usage } : {}),
  });
  try {
    for await (const line of gen.lines) {
      if (line.type === 'delta') {
        if (line.text) yield chunk([{ text: line.text, index: 0, logprobs: null, finish_reason: null }]);
      } else if (line.type === 'done') {
        yield chunk([{ text: '', index: 0, logprobs: null, finish_reason: line.finish_reason }]);
        if (o.includeUsage) {
          yield chunk([], { prompt_tokens: line.prompt_tokens, completion_tokens: line.completion_tokens, total_tokens: line.prompt_tokens + line.completion_tokens });
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
