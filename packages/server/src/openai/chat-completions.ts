import { Hono } from 'hono';
import { errorBody, WhetError } from '@whetstone/core';
import { collectGeneration } from '../backends/generation-backend.ts';
import type { AppContext } from '../context.ts';
import type { OpenGeneration } from '../deployments/gateway.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';
import { toOpenAiError } from './openai-error.ts';
import { ChatCompletionRequestSchema } from './openai-schemas.ts';
import { sseResponse } from './sse-response.ts';
import { completionId, startGeneration } from './start-generation.ts';
import { chatToBackendRequest } from './to-backend-request.ts';

/** POST /v1/chat/completions: plain JSON, or `stream: true` as OpenAI's chunk stream. */
export function chatCompletionRoutes(ctx: AppContext) {
  return new Hono().post('/chat/completions', async (c) => {
    const body = await parseJsonBody(c, ChatCompletionRequestSchema);
    const request = chatToBackendRequest(body, ctx.gateway.contextLength(body.model));
    const { gen, cancel } = await startGeneration(c, ctx.gateway, body.model, request);
    const id = completionId('chatcmpl');
    const created = Math.floor(Date.now() / 1000);
    if (!body.stream) {
      try {
        const r = await collectGeneration(gen.lines);
        return c.json({
          id,
          object: 'chat.completion',
          created,
          model: gen.model,
          choices: [{ index: 0, message: { role: 'assistant', content: r.text, refusal: null, annotations: [] }, logprobs: null, finish_reason: r.finish_reason }],
          usage: { prompt_tokens: r.prompt_tokens, completion_tokens: r.completion_tokens, total_tokens: r.prompt_tokens + r.completion_tokens },
          system_fingerprint: null,
        });
      } finally {
        await cancel();
      }
    }
    const includeUsage = body.stream_options?.include_usage === true;
    return sseResponse(chatChunks(gen, { id, created, includeUsage }), cancel);
  });
}

async function* chatChunks(gen: OpenGeneration, o: { id: string; created: number; includeUsage: boolean }) {
  const chunk = (choices: unknown[], usage: unknown = null) => ({
    id: o.id,
    object: 'chat.completion.chunk',
    created: o.created,
    model: gen.model,
    system_fingerprint: null,
    choices,
    ...(o.includeUsage ? { usage } : {}),
  });
  const choice = (delta: Record<string, unknown>, finish_reason: string | null = null) => ({ index: 0, delta, logprobs: null, finish_reason });
  yield chunk([choice({ role: 'assistant', content: '', refusal: null })]);
  try {
    for await (const line of gen.lines) {
      if (line.type === 'delta') {
        if (line.text) yield chunk([choice({ content: line.text })]);
      } else if (line.type === 'done') {
        yield chunk([choice({}, line.finish_reason)]);
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
    yield toOpenAiError(err.toJSON(), err.status); // in-band: the status line was sent long ago
  }
}
