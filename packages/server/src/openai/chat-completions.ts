import { Hono } from 'hono';
import { collectGeneration, usageOf } from '../backends/generation-backend.ts';
import type { AppContext } from '../context.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';
import { ensureCheckpointModel } from '../openai-fine-tuning/checkpoint-model.ts';
import { ChatCompletionRequestSchema } from './openai-schemas.ts';
import { sseResponse } from './sse-response.ts';
import { streamChunks } from './stream-chunks.ts';
import { completionId, startGeneration } from './start-generation.ts';
import { chatToBackendRequest } from './to-backend-request.ts';

/** POST /v1/chat/completions: plain JSON, or `stream: true` as OpenAI's chunk stream. */
export function chatCompletionRoutes(ctx: AppContext) {
  return new Hono().post('/chat/completions', async (c) => {
    const body = await parseJsonBody(c, ChatCompletionRequestSchema);
    await ensureCheckpointModel(ctx, body.model); // a checkpoint's ft:...:ckpt-step-N name, on first call
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
          usage: usageOf(r),
          system_fingerprint: null,
        });
      } finally {
        await cancel();
      }
    }
    const includeUsage = body.stream_options?.include_usage === true;
    return sseResponse(streamChunks(gen, {
      id,
      created,
      object: 'chat.completion.chunk',
      includeUsage,
      opening: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }],
      delta: (text) => ({ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }),
      finish: (reason) => ({ index: 0, delta: {}, logprobs: null, finish_reason: reason }),
    }), cancel);
  });
}
