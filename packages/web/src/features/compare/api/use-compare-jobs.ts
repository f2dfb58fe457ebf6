import { useQuery } from '@tanstack/react-query';
import { listQueries } from '../../../lib/shared-queries.ts';
import { isMoving } from './compare-types.ts';

/** Every job to choose from, newest first (the jobs list's own query); refreshed while one runs. */
export function useCompareJobs() {
  return useQuery({
    ...listQueries.jobs,
    refetchInterval: (q) => (q.state.data?.some((j) => isMoving(j.status)) ? 5000 : false),
  });
}
