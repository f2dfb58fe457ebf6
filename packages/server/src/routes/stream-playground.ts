import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { errorBody, WhetError, type PlaygroundAnswer, type PlaygroundChat, type PlaygroundStreamEvent } from '@whetstone/core';
import { PushStream } from '../backends/push-stream.ts';
import type { AppContext } from '../context.ts';
import { startGeneration, type StartedGeneration } from '../openai/start-generation.ts';

type Params = Omit<PlaygroundChat, 'model' | 'stream'>;

/**
 * The playground's `stream: true` answer: the models generate at once and their events are
 * interleaved in one Server-Sent Events stream as they come (PlaygroundStreamEventSchema),
 * each tagged with the model's index. A model that fails sends its `error` and the others go
 * on; a client that disconnects cancels every generation.
 */
export function streamPlayground(c: Context, ctx: AppContext, models: string[], params: Params): Response {
  return streamSSE(c, async (stream) => {
    const events = new PushStream<PlaygroundStreamEvent>();
    const handles = new Set<StartedGeneration>();
    let gone = false;
    const cancelAll = () => Promise.all([...handles].map((h) => h.cancel()));
    stream.onAbort(() => {
      gone = true;
      events.end();
      void cancelAll();
    });

    const run = async (model: string, index: number) => {
      const started = performance.now();
      let text: string | null = null;
      const answer = (a: Partial<PlaygroundAnswer>): PlaygroundAnswer => {
        const seconds = (performance.now() - started) / 1000;
        const tokens = a.usage?.completion_tokens;
        return {
          model,
          text,
          finish_reason: null,
          usage: null,
          latency_ms: Math.round(seconds * 1000),
          tokens_per_second: tokens != null && seconds > 0 ? Number((tokens / seconds).toFixed(2)) : null,
          error: null,
          ...a,
        };
      };
      let handle: StartedGeneration | null = null;
      try {
        const { messages, max_tokens, temperature, top_p, top_k, repetition_penalty, seed, stop } = params;
        handle = await startGeneration(c, ctx.gateway, model, { messages, max_tokens, temperature, top_p, top_k, repetition_penalty, seed, stop });
        handles.add(handle);
        model = handle.gen.model;
        events.push({ type: 'start', index, model, prompt_tokens: handle.gen.promptTokens });
        for await (const line of handle.gen.lines) {
          if (gone) return;
          if (line.type === 'delta') {
            if (!line.text) continue;
            text = (text ?? '') + line.text;
            events.push({ type: 'delta', index, model, text: line.text });
          } else if (line.type === 'done') {
            const usage = { prompt_tokens: line.prompt_tokens, completion_tokens: line.completion_tokens, total_tokens: line.prompt_tokens + line.completion_tokens };
            events.push({ type: 'done', index, ...answer({ text: text ?? '', finish_reason: line.finish_reason, usage }) });
            return;
          } else if (line.type === 'error') {
            const body = errorBody(line.code, line.message, line.hint);
            throw new WhetError(body.code, body.message, { hint: body.hint });
          }
        }
        if (!gone) throw new WhetError('GENERATION_FAILED', 'the backend ended the stream without a final "done" line');
      } catch (e) {
        if (gone) return;
        const err = e instanceof WhetError ? e : new WhetError('INTERNAL', String((e as Error)?.message ?? e));
        events.push({ type: 'error', index, ...answer({ error: err.toJSON() }) });
      } finally {
        if (handle) {
          handles.delete(handle);
          await handle.cancel();
        }
      }
    };

    const all = Promise.all(models.map(run)).then(() => events.end());
    try {
      for await (const e of events) {
        if (gone) break;
        await stream.writeSSE({ event: e.type, data: JSON.stringify(e) });
      }
      if (!gone) await stream.writeSSE({ event: 'end', data: JSON.stringify({ type: 'end' }) });
    } finally {
      if (gone) await cancelAll();
      await all;
    }
  });
}
