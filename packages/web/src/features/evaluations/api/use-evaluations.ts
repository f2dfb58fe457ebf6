import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EvaluationCreateInput, EvaluationJudgeInput } from '@whetstone/core';
import { api, unwrap } from '../../../lib/api-client.ts';
import { evaluationKeys, isFinished, type Evaluation } from './evaluation-types.ts';

/** Every evaluation, newest first; refreshed every 2 s while one runs. */
export function useEvaluations() {
  return useQuery({
    queryKey: evaluationKeys.list(),
    queryFn: async () => [...(await unwrap(api.evaluations.$get())).data].sort((a, b) => b.created_at.localeCompare(a.created_at)),
    refetchInterval: (q) => (q.state.data?.some((e) => !isFinished(e.status)) ? 2000 : 15_000),
  });
}

/** One evaluation; its event stream keeps it current (written into this query's cache). */
export function useEvaluation(id: string) {
  return useQuery({
    queryKey: evaluationKeys.detail(id),
    queryFn: () => unwrap(api.evaluations[':id'].$get({ param: { id } })),
    // A finished evaluation judged again has no live stream: poll while its judge runs.
    refetchInterval: (q) => (q.state.data && isFinished(q.state.data.status) && (q.state.data.judge?.status === 'queued' || q.state.data.judge?.status === 'running') ? 1000 : false),
  });
}

/** `POST /api/v1/evaluations`. */
export function useCreateEvaluation() {
  const qc = useQueryClient();
  return useMutation({
    // The route parses its body with EvaluationCreateSchema itself (no validator in its type), so
    // the body's type comes from that schema; hc sends `json` with Content-Type: application/json.
    mutationFn: (body: EvaluationCreateInput) => unwrap(api.evaluations.$post({ json: body } as Parameters<typeof api.evaluations.$post>[0])) as Promise<Evaluation>,
    onSuccess: (e) => {
      qc.setQueryData(evaluationKeys.detail(e.id), e);
      void qc.invalidateQueries({ queryKey: evaluationKeys.list() });
    },
  });
}

/**
 * `POST /api/v1/evaluations/:id/judge`: judge a succeeded evaluation again. The answer (its judge
 * queued) goes into the evaluation's query, which then polls until the judge finishes.
 */
export function useJudgeAgain(id: string) {
  const qc = useQueryClient();
  const judge = api.evaluations[':id'].judge;
  return useMutation({
    // Like the create route, this one parses its body with EvaluationJudgeSchema itself.
    mutationFn: (body: EvaluationJudgeInput) => unwrap(judge.$post({ param: { id }, json: body } as Parameters<typeof judge.$post>[0])) as Promise<Evaluation>,
    onSuccess: (e) => qc.setQueryData(evaluationKeys.detail(id), e),
    // A refusal may come from a state this page has not seen (a judge started from the CLI): read it again.
    onError: () => void qc.invalidateQueries({ queryKey: evaluationKeys.detail(id) }),
  });
}
