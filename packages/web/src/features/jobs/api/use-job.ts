import { useQuery } from '@tanstack/react-query';
import { detailQueries } from '../../../lib/shared-queries.ts';
import { isActive } from './job-types.ts';

/** One job; the event stream invalidates it on every status change, polling is the safety net. */
export function useJob(id: string) {
  return useQuery({
    ...detailQueries.job(id),
    refetchInterval: (q) => (isActive(q.state.data?.status) ? 5000 : false),
  });
}
