import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';
import { benchmarkKeys } from './benchmark-types.ts';

export interface QuestionQuery {
  /** Only this subject's questions. */
  subject?: string;
  /** Only the questions this model (its label) got wrong. */
  wrong?: string;
  limit: number;
  offset: number;
}

/** One page of a benchmark's questions with every model's pick (`GET /benchmarks/:id/questions`). */
export function useBenchmarkQuestions(id: string, q: QuestionQuery, enabled: boolean) {
  return useQuery({
    queryKey: benchmarkKeys.questions(id, q),
    queryFn: () =>
      unwrap(
        // The route reads its query itself (no validator in its type); hc still sends `query`.
        api.benchmarks[':id'].questions.$get({
          param: { id },
          query: { limit: String(q.limit), offset: String(q.offset), ...(q.subject !== undefined ? { subject: q.subject } : {}), ...(q.wrong ? { wrong: q.wrong } : {}) },
        } as Parameters<(typeof api.benchmarks)[':id']['questions']['$get']>[0]),
      ),
    enabled,
    placeholderData: keepPreviousData,
  });
}
