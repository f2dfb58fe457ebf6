import { chatCompletion, type ChatEndpoint, type ChatTurn as EndpointTurn } from '@whetstone/data';
import type { ChatTurn } from './load-test-rows.ts';

/** A connection resolved for one evaluation column: where, which model, the key, the timeout. */
export type EndpointTarget = ChatEndpoint;

export interface EndpointParams {
  max_tokens: number;
  temperature: number;
  top_p: number;
  seed: number;
}

/**
 * One answer from an outside OpenAI-compatible endpoint (POST {baseUrl}/chat/completions).
 * A refusal, a non-2xx or a body without choices is ENDPOINT_FAILED naming the URL, quoting at
 * most a short, sanitised excerpt of the answer (never the key).
 */
export async function endpointGenerate(target: EndpointTarget, messages: ChatTurn[], params: EndpointParams, signal?: AbortSignal): Promise<string> {
  // Test rows come from validated chat datasets: their roles are system, user and assistant.
  const reply = await chatCompletion(target, messages as EndpointTurn[], { maxTokens: params.max_tokens, temperature: params.temperature, topP: params.top_p, seed: params.seed, signal });
  return reply.content;
}
