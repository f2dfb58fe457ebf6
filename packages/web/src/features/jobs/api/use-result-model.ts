import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';

/** The model a job produced (its name for the link to it); idle until the job has one. */
export function useResultModel(id: string | null) {
  return useQuery({
    queryKey: ['models', 'detail', id ?? ''], // the models page's key: one cache entry per model
    enabled: id !== null,
    queryFn: () => unwrap(api.models[':id'].$get({ param: { id: id! } })),
  });
}
