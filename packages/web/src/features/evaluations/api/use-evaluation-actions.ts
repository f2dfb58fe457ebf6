import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';
import { evaluationKeys, isFinished, type Evaluation } from './evaluation-types.ts';

/** `POST /api/v1/evaluations/:id/cancel`: the answer (the cancel recorded) goes into the evaluation's query; the list refreshes. */
export function useCancelEvaluation(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.evaluations[':id'].cancel.$post({ param: { id } })),
    onSuccess: (e) => {
      // The event stream may have brought the end (cancelled) before this answer (still stopping): keep the later state.
      qc.setQueryData<Evaluation>(evaluationKeys.detail(id), (seen) => (seen && isFinished(seen.status) && !isFinished(e.status) ? seen : e));
      void qc.invalidateQueries({ queryKey: evaluationKeys.list() });
    },
    // Refused (it finished meanwhile): read it again to show why.
    onError: () => void qc.invalidateQueries({ queryKey: evaluationKeys.detail(id) }),
  });
}

/** `DELETE /api/v1/evaluations/:id`. */
export function useDeleteEvaluation(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.evaluations[':id'].$delete({ param: { id } })),
    // The list only: refetching the open details page would answer 404 for the evaluation just deleted.
    onSuccess: () => void qc.invalidateQueries({ queryKey: evaluationKeys.list() }),
  });
}
