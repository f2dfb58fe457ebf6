import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';
import { isActive, jobKeys } from './job-types.ts';

/** GET /jobs, newest first: the one fetcher of the jobs list's query (jobKeys.list()). */
export async function fetchJobList() {
  const { data } = await unwrap(api.jobs.$get({ query: {} }));
  return [...data].sort((a, b) => b.created_at.localeCompare(a.created_at));
}

/** Every job, newest first; refreshed every 2 s while any job is moving, every 15 s otherwise. */
export function useJobs() {
  return useQuery({
    queryKey: jobKeys.list(),
    queryFn: fetchJobList,
    refetchInterval: (q) => (q.state.data?.some((j) => isActive(j.status)) ? 2000 : 15_000),
  });
}
