import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { PlaygroundChat, PlaygroundStreamEvent } from '@whetstone/core';
import { lineError, missingDoneLine, usageOf } from '../backends/generation-backend.ts';
import { PushStream } from '../backends/push-stream.ts';
import type { AppContext } from '../context.ts';
import { startGeneration, type StartedGeneration } from '../openai/start-generation.ts';
import { failedAnswer, playgroundAnswer, playgroundRequest } from './playground-answer.ts';

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
      let handle: StartedGeneration | null = null;
      try {
        handle = await startGeneration(c, ctx.gateway, model, playgroundRequest(params));
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
            events.push({ type: 'done', index, ...playgroundAnswer(model, started, { text: text ?? '', finish_reason: line.finish_reason, usage: usageOf(line) }) });
            return;
          } else if (line.type === 'error') {
            throw lineError(line);
          }
        }
        if (!gone) throw missingDoneLine();
      } catch (e) {
        if (gone) return;
        events.push({ type: 'error', index, ...failedAnswer(model, started, e, text) });
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
