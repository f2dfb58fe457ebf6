import type { StreamState } from '../../../lib/event-stream.ts';
import { useLiveDocument } from '../../../lib/use-live-document.ts';
import { benchmarkKeys, isFinished, type Benchmark } from './benchmark-types.ts';

/**
 * Follow `GET /api/v1/benchmarks/:id/events` (each event the whole benchmark) while it runs,
 * writing every state into the benchmark's query, until the benchmark finished.
 */
export function useBenchmarkStream(id: string, running: boolean): StreamState {
  return useLiveDocument<Benchmark>(
    {
      url: `/api/v1/benchmarks/${encodeURIComponent(id)}/events`,
      event: 'benchmark',
      queryKey: benchmarkKeys.detail(id),
      finished: (b) => isFinished(b.status),
      invalidate: benchmarkKeys.list(),
    },
    running,
  );
}
