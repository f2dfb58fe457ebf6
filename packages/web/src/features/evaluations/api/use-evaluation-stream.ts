import type { StreamState } from '../../../lib/event-stream.ts';
import { useLiveDocument } from '../../../lib/use-live-document.ts';
import { evaluationKeys, isFinished, type Evaluation } from './evaluation-types.ts';

/**
 * Follow `GET /api/v1/evaluations/:id/events` (each event the whole evaluation) while it runs,
 * writing every state into the evaluation's query, until the evaluation finished.
 */
export function useEvaluationStream(id: string, running: boolean): StreamState {
  return useLiveDocument<Evaluation>(
    {
      url: `/api/v1/evaluations/${encodeURIComponent(id)}/events`,
      event: 'evaluation',
      queryKey: evaluationKeys.detail(id),
      finished: (e) => isFinished(e.status),
      invalidate: evaluationKeys.list(),
    },
    running,
  );
}
