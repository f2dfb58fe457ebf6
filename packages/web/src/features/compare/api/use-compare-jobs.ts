import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';
import { compareKeys, isMoving } from './compare-types.ts';

/** Every job to choose from, newest first; refreshed while one runs. */
export function useCompareJobs() {
  return useQuery({
    queryKey: compareKeys.jobs(),
    queryFn: async () => [...(await unwrap(api.jobs.$get({ query: {} }))).data].sort((a, b) => b.created_at.localeCompare(a.created_at)),
    refetchInterval: (q) => (q.state.data?.some((j) => isMoving(j.status)) ? 5000 : false),
  });
}
