import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../../lib/api-fetch.ts';
import { openEventStream, type StreamState } from '../../../lib/event-stream.ts';
import { benchmarkKeys, isFinished, type Benchmark } from './benchmark-types.ts';

/**
 * Follow `GET /api/v1/benchmarks/:id/events` (each event the whole benchmark) while it runs,
 * writing every state into the benchmark's query. Reconnects on drops (the server sends the
 * current state first) and closes once the benchmark finished.
 */
export function useBenchmarkStream(id: string, running: boolean): StreamState {
  const qc = useQueryClient();
  const [state, setState] = useState<StreamState>(running ? 'connecting' : 'closed');
  useEffect(() => {
    if (!running) {
      setState('closed');
      return;
    }
    const stream = openEventStream(`/api/v1/benchmarks/${encodeURIComponent(id)}/events`, {
      fetch: apiFetch,
      onStateChange: (s) => setState(s),
      onMessage(m) {
        if (m.event !== 'benchmark') return;
        let b: Benchmark;
        try {
          b = JSON.parse(m.data) as Benchmark;
        } catch {
          return;
        }
        qc.setQueryData(benchmarkKeys.detail(id), b);
        if (isFinished(b.status)) {
          void qc.invalidateQueries({ queryKey: benchmarkKeys.list() });
          return 'close';
        }
      },
    });
    return () => stream.close();
  }, [id, running, qc]);
  return state;
}
