import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';
import { isActive, jobKeys } from './job-types.ts';

/** One job; the event stream invalidates it on every status change, polling is the safety net. */
export function useJob(id: string) {
  return useQuery({
    queryKey: jobKeys.detail(id),
    queryFn: () => unwrap(api.jobs[':id'].$get({ param: { id } })),
    refetchInterval: (q) => (isActive(q.state.data?.status) ? 5000 : false),
  });
}
