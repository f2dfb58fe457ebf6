import { useQuery } from '@tanstack/react-query';
import { listQueries } from '../../../lib/shared-queries.ts';
import { isActive } from './job-types.ts';

/** Every job, newest first; refreshed every 2 s while any job is moving, every 15 s otherwise. */
export function useJobs() {
  return useQuery({
    ...listQueries.jobs,
    refetchInterval: (q) => (q.state.data?.some((j) => isActive(j.status)) ? 2000 : 15_000),
  });
}
