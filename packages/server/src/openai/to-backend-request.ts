import type { GatewayRequest } from '../deployments/gateway.ts';
import type { ChatCompletionRequest, CompletionRequest } from './openai-schemas.ts';

/** max_tokens when the client sends none: 512, or half the context when that is smaller. */
export function defaultMaxTokens(contextLength: number | null): number {
  return contextLength ? Math.max(1, Math.min(512, Math.floor(contextLength / 2))) : 512;
}

type Sampling = Omit<GatewayRequest, 'messages' | 'prompt'>;

function sampling(body: ChatCompletionRequest | CompletionRequest, maxTokens: number | null | undefined, contextLength: number | null): Sampling {
  return {
    max_tokens: maxTokens ?? defaultMaxTokens(contextLength),
    temperature: body.temperature ?? 1,
    top_p: body.top_p ?? 1,
    top_k: body.top_k ?? 0,
    repetition_penalty: body.repetition_penalty ?? 1,
    seed: body.seed ?? null,
    stop: body.stop == null ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop,
    labels: body.labels,
    ...(body.ignore_eos ? { ignore_eos: true } : {}),
  };
}

/** OpenAI chat messages to the protocol's: `developer` is a system message, content parts are joined. */
export function chatToBackendRequest(body: ChatCompletionRequest, contextLength: number | null): GatewayRequest {
  const messages = body.messages.map((m) => ({
    role: m.role === 'developer' ? ('system' as const) : m.role,
    content: typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text).join(''),
  }));
  return { messages, ...sampling(body, body.max_completion_tokens ?? body.max_tokens, contextLength) };
}

export function completionToBackendRequest(body: CompletionRequest, contextLength: number | null): GatewayRequest {
  const prompt = typeof body.prompt === 'string' ? body.prompt : body.prompt[0]!;
  return { prompt, ...sampling(body, body.max_tokens, contextLength) };
}
