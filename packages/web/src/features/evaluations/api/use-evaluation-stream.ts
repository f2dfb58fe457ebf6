import { useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../../lib/api-fetch.ts';
import { openEventStream, type StreamState } from '../../../lib/event-stream.ts';
import { evaluationKeys, isFinished, type Evaluation } from './evaluation-types.ts';

/**
 * Follow `GET /api/v1/evaluations/:id/events` (each event the whole evaluation) while it runs,
 * writing every state into the evaluation's query. The stream reconnects on drops (the server
 * sends the current state first, so nothing is missed) and closes once the evaluation finished.
 */
export function useEvaluationStream(id: string, running: boolean): StreamState {
  const qc = useQueryClient();
  const [state, setState] = useState<StreamState>(running ? 'connecting' : 'closed');
  useEffect(() => {
    if (!running) {
      setState('closed');
      return;
    }
    const stream = openEventStream(`/api/v1/evaluations/${encodeURIComponent(id)}/events`, {
      fetch: apiFetch,
      onStateChange: (s) => setState(s),
      onMessage(m) {
        if (m.event !== 'evaluation') return;
        let e: Evaluation;
        try {
          e = JSON.parse(m.data) as Evaluation;
        } catch {
          return;
        }
        qc.setQueryData(evaluationKeys.detail(id), e);
        if (isFinished(e.status)) {
          void qc.invalidateQueries({ queryKey: evaluationKeys.list() });
          return 'close';
        }
      },
    });
    return () => stream.close();
  }, [id, running, qc]);
  return state;
}
