import { deadlineSignal, WhetError } from '@whetstone/core';
import { outsideExcerpt } from './outside-excerpt.ts';

/**
 * Any OpenAI-compatible chat endpoint: OpenAI itself, vLLM, llama.cpp's server, or Whetstone's
 * own /v1 serving a registered model. `baseUrl` is what the OpenAI SDK calls base_url
 * (e.g. "https://api.openai.com/v1", "http://127.0.0.1:7860/v1").
 */
export interface ChatEndpoint {
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Per request (default 120 s). */
  timeoutMs?: number;
}

export interface ChatTurn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatCompletion {
  content: string;
  finish_reason: string | null;
  usage: { prompt_tokens: number; completion_tokens: number } | null;
}

export interface ChatOptions {
  temperature?: number;
  maxTokens?: number;
  topP?: number;
  seed?: number;
  /** Aborts the request (a cancelled evaluation); the endpoint's timeout applies as well. */
  signal?: AbortSignal;
}

/**
 * Any way to get one chat reply: `chatCompletion` bound to an endpoint, or an in-process call
 * (the server's gateway to a registered model). Failures are thrown as WhetError.
 */
export type ChatFn = (messages: ChatTurn[], opts: ChatOptions) => Promise<ChatCompletion>;

/** One POST {baseUrl}/chat/completions (not streamed); every failure is an ENDPOINT_FAILED naming the URL and the cause, never the key. */
export async function chatCompletion(
  endpoint: ChatEndpoint,
  messages: ChatTurn[],
  opts: ChatOptions = {},
): Promise<ChatCompletion> {
  const url = `${endpoint.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const fail = (message: string, hint?: string, cause?: unknown) => new WhetError('ENDPOINT_FAILED', message, { hint, cause, field: 'endpoint' });
  const timeoutMs = endpoint.timeoutMs ?? 120_000;
  const timedOut = (cause: unknown) =>
    fail(`${url} did not answer within ${Math.round(timeoutMs / 1000)} s`, 'Raise the timeout, lower max_tokens, or check that the server is not overloaded.', cause);
  // The deadline covers reading the answer's body too; cleared whatever happens.
  const deadline = deadlineSignal(timeoutMs, opts.signal);
  const signal = deadline.signal;
  try {
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}) },
        body: JSON.stringify({
          model: endpoint.model,
          messages,
          stream: false,
          ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
          ...(opts.maxTokens !== undefined ? { max_tokens: opts.maxTokens } : {}),
          ...(opts.topP !== undefined ? { top_p: opts.topP } : {}),
          ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        }),
        signal,
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      if (err.name === 'TimeoutError') throw timedOut(e);
      throw fail(`cannot reach ${url}: ${err.cause?.code ?? err.message}`, 'Check the base URL and that the server is running and reachable from the Whetstone server.', e);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      if ((e as Error).name === 'TimeoutError') throw timedOut(e);
      throw fail(`${url} broke off its answer: ${(e as Error).message}`, undefined, e);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    if (!res.ok) {
      const said = (body as { error?: { message?: unknown } } | null)?.error?.message;
      const detail = outsideExcerpt(typeof said === 'string' ? said : text, [endpoint.apiKey]);
      const hint =
        res.status === 401 || res.status === 403
          ? 'Check the API key.'
          : res.status === 404
            ? `Check the base URL (it usually ends in /v1) and the model name "${endpoint.model}".`
            : res.status === 429
              ? 'The endpoint is rate limiting: lower the concurrency or wait.'
              : undefined;
      throw fail(`${url} answered HTTP ${res.status}: ${detail}`, hint);
    }
    const choice = (body as { choices?: { message?: { content?: unknown }; finish_reason?: string | null }[] } | null)?.choices?.[0];
    if (!choice || typeof choice.message?.content !== 'string') {
      throw fail(`${url} answered without choices[0].message.content: ${outsideExcerpt(text, [endpoint.apiKey])}`, 'The endpoint must answer in OpenAI\'s chat completion format.');
    }
    const usage = (body as { usage?: { prompt_tokens?: number; completion_tokens?: number } }).usage;
    return {
      content: choice.message.content,
      finish_reason: choice.finish_reason ?? null,
      usage: usage && typeof usage.prompt_tokens === 'number' ? { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens ?? 0 } : null,
    };
  } finally {
    deadline.clear();
  }
}
