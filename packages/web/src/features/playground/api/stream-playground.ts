import { PlaygroundStreamEventSchema, type PlaygroundChat, type PlaygroundCompare, type PlaygroundStreamEvent } from '@whetstone/core';
import { ApiError, errorFromResponse, networkError } from '../../../lib/api-error.ts';
import { apiFetch } from '../../../lib/api-fetch.ts';
import { SseParser } from '../../../lib/sse-parser.ts';

/** What the page sends: one model to chat with, or two to compare; the server fills the defaults. */
export type PlaygroundRequest =
  | { kind: 'chat'; body: Omit<Partial<PlaygroundChat>, 'stream'> & Pick<PlaygroundChat, 'model' | 'messages'> }
  | { kind: 'compare'; body: Omit<Partial<PlaygroundCompare>, 'stream'> & Pick<PlaygroundCompare, 'models' | 'messages'> };

export interface StreamOptions {
  signal: AbortSignal;
  onEvent(event: PlaygroundStreamEvent): void;
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}

/**
 * POST a playground request with `stream: true` and hand each Server-Sent Event to `onEvent`,
 * parsed with the server's own PlaygroundStreamEventSchema, as it arrives. Resolves after `end`.
 * A refusal before the stream opens (an unknown model in chat, a bad field) rejects with the
 * server's ApiError; aborting `signal` closes the connection, which cancels the generation on
 * the server, and rejects with the abort. No retry: a half-answered prompt is not resumable.
 */
export async function streamPlayground(req: PlaygroundRequest, opts: StreamOptions): Promise<void> {
  const doFetch = opts.fetch ?? apiFetch;
  const url = req.kind === 'chat' ? '/api/v1/playground/chat' : '/api/v1/playground/compare';
  let res: Response;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ ...req.body, stream: true }),
      signal: opts.signal,
      cache: 'no-store',
    });
  } catch (e) {
    if (opts.signal.aborted) throw e;
    throw networkError(e);
  }
  if (!res.ok) throw await errorFromResponse(res);
  if (!res.body) throw new ApiError(res.status, 'BAD_RESPONSE', 'the answer has no body');

  const parser = new SseParser();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<string>;
      try {
        chunk = await reader.read();
      } catch (e) {
        if (opts.signal.aborted) throw e;
        throw networkError(e);
      }
      if (chunk.done) throw new ApiError(0, 'NETWORK', 'the stream ended before its end event');
      for (const message of parser.push(chunk.value)) {
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          continue; // a heartbeat or a stray line: not an event of ours
        }
        const parsed = PlaygroundStreamEventSchema.safeParse(data);
        if (!parsed.success) continue;
        opts.onEvent(parsed.data);
        if (parsed.data.type === 'end') return;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
