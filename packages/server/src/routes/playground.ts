import type { Context } from 'hono';
import { Hono } from 'hono';
import { PlaygroundChatSchema, PlaygroundCompareSchema, type PlaygroundAnswer, type PlaygroundChat } from '@whetstone/core';
import { collectGeneration, usageOf } from '../backends/generation-backend.ts';
import type { AppContext } from '../context.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';
import { startGeneration } from '../openai/start-generation.ts';
import { failedAnswer, playgroundAnswer, playgroundRequest } from './playground-answer.ts';
import { streamPlayground } from './stream-playground.ts';

/**
 * The playground: chat with any callable model (base, fine-tuned, deployment), or send the
 * same prompt to two models and get both answers with their latency and speed side by side;
 * with `stream: true` the answers come as Server-Sent Events while the models generate.
 */
export function playgroundRoutes(ctx: AppContext) {
  const answer = async (c: Context, model: string, body: Omit<PlaygroundChat, 'model'>): Promise<PlaygroundAnswer> => {
    const started = performance.now();
    const { gen, cancel } = await startGeneration(c, ctx.gateway, model, playgroundRequest(body));
    try {
      const r = await collectGeneration(gen.lines);
      return playgroundAnswer(gen.model, started, { text: r.text, finish_reason: r.finish_reason, usage: usageOf(r) });
    } finally {
      await cancel();
    }
  };
  return new Hono()
    .post('/playground/chat', async (c) => {
      const body = await parseJsonBody(c, PlaygroundChatSchema);
      if (body.stream) {
        ctx.gateway.contextLength(body.model); // an unknown model is a 404, before the stream opens
        return streamPlayground(c, ctx, [body.model], body);
      }
      return c.json(await answer(c, body.model, body));
    })
    .post('/playground/compare', async (c) => {
      const body = await parseJsonBody(c, PlaygroundCompareSchema);
      if (body.stream) return streamPlayground(c, ctx, body.models, body);
      // Both run at once; one failing (unknown model, overflow) does not hide the other's answer.
      const results = await Promise.all(
        body.models.map(async (model) => {
          const started = performance.now();
          try {
            return await answer(c, model, body);
          } catch (e) {
            return failedAnswer(model, started, e);
          }
        }),
      );
      return c.json({ data: results });
    });
}
