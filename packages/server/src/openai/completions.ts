import { Hono } from 'hono';
import { collectGeneration, usageOf } from '../backends/generation-backend.ts';
import type { AppContext } from '../context.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';
import { ensureCheckpointModel } from '../openai-fine-tuning/checkpoint-model.ts';
import { CompletionRequestSchema } from './openai-schemas.ts';
import { sseResponse } from './sse-response.ts';
import { streamChunks } from './stream-chunks.ts';
import { completionId, startGeneration } from './start-generation.ts';
import { completionToBackendRequest } from './to-backend-request.ts';

/** POST /v1/completions: raw-text continuation (no chat template), plain or streamed. */
export function completionRoutes(ctx: AppContext) {
  return new Hono().post('/completions', async (c) => {
    const body = await parseJsonBody(c, CompletionRequestSchema);
    await ensureCheckpointModel(ctx, body.model); // a checkpoint's ft:...:ckpt-step-N name, on first call
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
      object: 'text_completion',
      includeUsage,
      delta: (text) => ({ text, index: 0, logprobs: null, finish_reason: null }),
      finish: (reason) => ({ text: '', index: 0, logprobs: null, finish_reason: reason }),
    }), cancel);
  });
}
