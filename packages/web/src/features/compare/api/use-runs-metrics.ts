import { useQueries } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';
import { RUN_CURVES } from '../lib/align-runs.ts';
import { compareKeys, isMoving, type CompareJob } from './compare-types.ts';

type MetricsArgs = Parameters<(typeof api.jobs)[':id']['metrics']['$get']>[0];

// The route reads `names` itself (no validator in its type); hc puts `query` on the URL all the same.
const metricsArgs = (id: string) => ({ param: { id }, query: { names: RUN_CURVES.join(',') } }) as MetricsArgs;

/** Each chosen job's loss and eval-loss points (`GET /jobs/:id/metrics`), asked again while it runs. */
export function useRunsMetrics(jobs: readonly CompareJob[]) {
  return useQueries({
    queries: jobs.map((job) => ({
      queryKey: compareKeys.metrics(job.id),
      queryFn: async () => (await unwrap(api.jobs[':id'].metrics.$get(metricsArgs(job.id)))).data,
      refetchInterval: isMoving(job.status) ? 5000 : (false as const),
    })),
  });
}
