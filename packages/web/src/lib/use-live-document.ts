import { useEffect, useRef, useState } from 'react';
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { apiFetch } from './api-fetch.ts';
import { openEventStream, type StreamState } from './event-stream.ts';

export interface LiveDocument<T> {
  /** The SSE endpoint whose `event` messages each carry the whole document. */
  url: string;
  event: string;
  /** The query the document is written into. */
  queryKey: QueryKey;
  /** The document is final: the stream closes and `invalidate` is refreshed. */
  finished(doc: T): boolean;
  invalidate: QueryKey;
}

/**
 * Follow an SSE stream whose events are the whole document (an evaluation, a benchmark) while
 * `running`, writing every state into its query. The stream reconnects on drops (the server
 * sends the current state first, so nothing is missed) and closes once the document is final.
 */
export function useLiveDocument<T>(live: LiveDocument<T>, running: boolean): StreamState {
  const qc = useQueryClient();
  const [state, setState] = useState<StreamState>(running ? 'connecting' : 'closed');
  const { url, event } = live;
  // The key and callbacks are rebuilt on each render: the stream reads the latest, and reopens only for a new URL.
  const latest = useRef(live);
  latest.current = live;
  useEffect(() => {
    if (!running) {
      setState('closed');
      return;
    }
    const stream = openEventStream(url, {
      fetch: apiFetch,
      onStateChange: (s) => setState(s),
      onMessage(m) {
        if (m.event !== event) return;
        let doc: T;
        try {
          doc = JSON.parse(m.data) as T;
        } catch {
          return;
        }
        qc.setQueryData(latest.current.queryKey, doc);
        if (latest.current.finished(doc)) {
          void qc.invalidateQueries({ queryKey: latest.current.invalidate });
          return 'close';
        }
      },
    });
    return () => stream.close();
  }, [url, event, running, qc]);
  return state;
}
