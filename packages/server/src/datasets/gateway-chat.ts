import type { ChatFn } from '@whetstone/data';
import { collectGeneration } from '../backends/generation-backend.ts';
import type { Gateway, GatewayRequest } from '../deployments/gateway.ts';
import { defaultMaxTokens } from '../openai/to-backend-request.ts';

/**
 * Chat with a registered model (or deployment) in-process, through the same gateway as
 * /v1/chat/completions: same model lookup, queue slot, timeout and generation stream, no HTTP.
 * Aborting `signal` (the client of the request that asked for it went away) stops generating.
 * `labels` defaults to [] (free text, whatever label default a deployment has); a judge passes
 * its verdict strings, or null to keep a deployment's own default.
 */
export function gatewayChat(gateway: Gateway, model: string, signal: AbortSignal, labels: GatewayRequest['labels'] = []): ChatFn {
  return async (messages, opts) => {
    const gen = await gateway.open(
      model,
      {
        messages,
        max_tokens: opts.maxTokens ?? defaultMaxTokens(gateway.contextLength(model)),
        temperature: opts.temperature ?? 1,
        top_p: 1,
        top_k: 0,
        repetition_penalty: 1,
        seed: null,
        stop: [],
        labels,
      },
      signal,
    );
    try {
      const r = await collectGeneration(gen.lines);
      return { content: r.text, finish_reason: r.finish_reason, usage: { prompt_tokens: r.prompt_tokens, completion_tokens: r.completion_tokens } };
    } finally {
      await gen.close();
    }
  };
}
