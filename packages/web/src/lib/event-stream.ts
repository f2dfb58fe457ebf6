import { SseParser, type SseMessage } from './sse-parser.ts';

export type StreamState = 'connecting' | 'open' | 'retrying' | 'closed';

export interface EventStreamOptions {
  /** Called for every event; return 'close' to end the stream for good (e.g. on `end`). */
  onMessage(message: SseMessage): void | 'close';
  onStateChange?(state: StreamState, detail?: { status?: number; retryInMs?: number }): void;
  /** Resume after this event id (sent as `Last-Event-ID`), e.g. the last one already shown. */
  lastEventId?: string | null;
  /** The fetch to use (the API's, which adds the key). */
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** Delays between reconnects grow from this (ms) ... */
  minRetryMs?: number;
  /** ... to this. */
  maxRetryMs?: number;
}

export interface EventStream {
  close(): void;
  /** The id of the last event received: what a reconnect sends as `Last-Event-ID`. */
  readonly lastEventId: string | null;
}

/**
 * A Server-Sent Events stream over fetch, so it can carry the API key (EventSource cannot
 * send headers). It reconnects whenever the connection drops (a closed laptop lid, a server
 * restart) with growing delays, at once when the browser comes back online or the tab becomes
 * visible, and resumes with `Last-Event-ID` so no event is lost or repeated. Answers 4xx other
 * than 408/429 end the stream (the resource is gone or refused); 5xx are retried.
 */
export function openEventStream(url: string, opts: EventStreamOptions): EventStream {
  const doFetch = opts.fetch ?? ((i, init) => fetch(i, init));
  const minRetry = opts.minRetryMs ?? 1000;
  const maxRetry = opts.maxRetryMs ?? 15_000;
  let lastEventId = opts.lastEventId ?? null;
  let closed = false;
  let controller: AbortController | null = null;
  let delay = minRetry;
  let wakeUp: (() => void) | null = null;

  const setState = (s: StreamState, detail?: { status?: number; retryInMs?: number }) => opts.onStateChange?.(s, detail);
  const retryNow = () => wakeUp?.();
  const onVisible = () => {
    if (document.visibilityState === 'visible') retryNow();
  };
  // In a browser: retry at once when the network or the tab comes back.
  const inBrowser = typeof window !== 'undefined';
  if (inBrowser) {
    window.addEventListener('online', retryNow);
    document.addEventListener('visibilitychange', onVisible);
  }

  let endStatus: number | undefined;
  const close = () => {
    if (closed) return;
    closed = true;
    controller?.abort();
    retryNow();
    if (inBrowser) {
      window.removeEventListener('online', retryNow);
      document.removeEventListener('visibilitychange', onVisible);
    }
    setState('closed', endStatus === undefined ? undefined : { status: endStatus });
  };

  /** One connection; resolves true when the caller should reconnect. */
  const connect = async (): Promise<boolean> => {
    controller = new AbortController();
    setState('connecting');
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (lastEventId !== null) headers['last-event-id'] = lastEventId;
    const res = await doFetch(url, { headers, signal: controller.signal, cache: 'no-store' });
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
      if (!retryable) endStatus = res.status;
      return retryable;
    }
    setState('open');
    delay = minRetry;
    const parser = new SseParser();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return true; // the server ended the response: reconnect and resume
        for (const message of parser.push(value)) {
          if (message.id !== null) lastEventId = message.id;
          if (message.retry !== null) delay = Math.max(minRetry, message.retry);
          if (opts.onMessage(message) === 'close' || closed) {
            await reader.cancel().catch(() => undefined);
            return false;
          }
        }
      }
    } finally {
      reader.releaseLock();
    }
  };

  void (async () => {
    while (!closed) {
      let again: boolean;
      try {
        again = await connect();
      } catch {
        again = true; // network error or abort
      }
      if (closed) break;
      if (!again) {
        close();
        break;
      }
      const wait = delay;
      setState('retrying', { retryInMs: wait });
      await new Promise<void>((res) => {
        const timer = setTimeout(res, wait);
        wakeUp = () => {
          clearTimeout(timer);
          res();
        };
      });
      wakeUp = null;
      delay = Math.min(maxRetry, delay * 2);
    }
  })();

  return {
    close,
    get lastEventId() {
      return lastEventId;
    },
  };
}
