import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';
import { evaluationKeys, type SampleSort } from './evaluation-types.ts';

export interface SampleQuery {
  sort: SampleSort;
  /** The column `worst` ranks by (its label); absent = the last column. */
  label?: string;
  limit: number;
  offset: number;
  /** Not sent: part of the cache key, so the rows are read again when the judge's verdicts change. */
  version?: string;
}

/** One page of an evaluation's samples (`GET /evaluations/:id/samples`), once it has finished. */
export function useEvaluationSamples(id: string, q: SampleQuery, enabled: boolean) {
  return useQuery({
    queryKey: evaluationKeys.samples(id, q),
    queryFn: () =>
      unwrap(
        // The route reads its query itself (no validator in its type); hc still sends `query`.
        api.evaluations[':id'].samples.$get({
          param: { id },
          query: { sort: q.sort, limit: String(q.limit), offset: String(q.offset), ...(q.label ? { label: q.label } : {}) },
        } as Parameters<(typeof api.evaluations)[':id']['samples']['$get']>[0]),
      ),
    enabled,
    placeholderData: keepPreviousData,
  });
}
