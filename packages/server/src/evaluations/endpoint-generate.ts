import { WhetError } from '@whetstone/core';
import type { ChatTurn } from './load-test-rows.ts';

export interface EndpointTarget {
  base_url: string;
  model: string;
  api_key_env?: string;
  timeout_s: number;
}

export interface EndpointParams {
  max_tokens: number;
  temperature: number;
  top_p: number;
  seed: number;
}

/**
 * One answer from an external OpenAI-compatible endpoint (POST {base_url}/chat/completions).
 * A refusal (connection, non-2xx, a body without choices) or a timeout is ENDPOINT_FAILED
 * naming the URL and what came back.
 */
export async function endpointGenerate(target: EndpointTarget, messages: ChatTurn[], params: EndpointParams): Promise<string> {
  const url = `${target.base_url.replace(/\/+$/, '')}/chat/completions`;
  const key = target.api_key_env ? process.env[target.api_key_env] : undefined;
  if (target.api_key_env && !key) {
    throw new WhetError('ENDPOINT_FAILED', `the environment variable ${target.api_key_env} (the API key for ${target.base_url}) is not set on the server`, {
      hint: `Set ${target.api_key_env} in the server's environment and run the evaluation again.`,
    });
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ model: target.model, messages, max_tokens: params.max_tokens, temperature: params.temperature, top_p: params.top_p, seed: params.seed }),
      signal: AbortSignal.timeout(target.timeout_s * 1000),
    });
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const what = err.name === 'TimeoutError' ? `no answer within ${target.timeout_s} s` : `${err.cause?.code ?? err.message}`;
    throw new WhetError('ENDPOINT_FAILED', `${url}: ${what}`, { cause: e });
  }
  const text = await res.text();
  if (!res.ok) throw new WhetError('ENDPOINT_FAILED', `${url} answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  try {
    const content = (JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message?.content;
    if (typeof content === 'string') return content;
  } catch {
    // fall through
  }
  throw new WhetError('ENDPOINT_FAILED', `${url} answered without choices[0].message.content: ${text.slice(0, 300)}`);
}
