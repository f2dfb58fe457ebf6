import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Ok } from '../../../lib/api-client.ts';

export type Model = Ok<Awaited<ReturnType<(typeof api.models)['$get']>>>['data'][number];

/** Every registered model: base models, and the adapters and weights jobs produced. */
export function useModels() {
  return useQuery({
    queryKey: ['models', 'list'],
    queryFn: async () => (await unwrap(api.models.$get())).data,
    refetchInterval: 30_000,
  });
}
