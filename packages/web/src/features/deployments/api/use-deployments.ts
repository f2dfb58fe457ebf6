import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';

/** Deployments with their live queue numbers. */
export function useDeployments() {
  return useQuery({
    queryKey: ['deployments', 'list'],
    queryFn: async () => (await unwrap(api.deployments.$get())).data,
    refetchInterval: (q) => (q.state.data?.some((d) => d.status === 'loading' || d.status === 'ready') ? 5000 : 30_000),
  });
}
