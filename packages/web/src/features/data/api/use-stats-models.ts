import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';

/** The registered models that can count tokens (base models: adapters share their base's tokenizer). */
export function useStatsModels() {
  return useQuery({
    queryKey: ['data', 'stats-models'],
    queryFn: async () => (await unwrap(api.models.$get())).data.filter((m) => m.kind !== 'adapter'),
  });
}
