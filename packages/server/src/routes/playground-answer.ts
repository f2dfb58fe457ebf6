import { WhetError, type PlaygroundAnswer, type PlaygroundChat } from '@whetstone/core';
import type { GatewayRequest } from '../deployments/gateway.ts';

/** The generation a playground body asks for: its messages and sampling fields. */
export function playgroundRequest(p: Omit<PlaygroundChat, 'model' | 'stream'>): GatewayRequest {
  const { messages, max_tokens, temperature, top_p, top_k, repetition_penalty, seed, stop, labels, ignore_eos } = p;
  return { messages, max_tokens, temperature, top_p, top_k, repetition_penalty, seed, stop, labels, ...(ignore_eos ? { ignore_eos } : {}) };
}

/** One model's answer, timed from `started` (performance.now()): latency, and speed where tokens were made. */
export function playgroundAnswer(model: string, started: number, parts: Partial<PlaygroundAnswer>): PlaygroundAnswer {
  const seconds = (performance.now() - started) / 1000;
  const tokens = parts.usage?.completion_tokens;
  return {
    model,
    text: null,
    finish_reason: null,
    usage: null,
    latency_ms: Math.round(seconds * 1000),
    tokens_per_second: tokens != null && seconds > 0 ? Number((tokens / seconds).toFixed(2)) : null,
    error: null,
    ...parts,
  };
}

/** A model that failed: its error in the answer, so the other models' answers still show. */
export function failedAnswer(model: string, started: number, e: unknown, text: string | null = null): PlaygroundAnswer {
  const err = e instanceof WhetError ? e : new WhetError('INTERNAL', String((e as Error)?.message ?? e));
  return playgroundAnswer(model, started, { text, error: err.toJSON() });
}
