import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Ok } from '../../../lib/api-client.ts';
import { withQuery } from './with-query.ts';

export type DatasetStatsReport = Ok<Awaited<ReturnType<(typeof api.datasets)[':id']['stats']['$get']>>>;

/**
 * A dataset's statistics with token counts from `model`'s tokenizer. A large file answers 202
 * ("counting") while the server counts in the background: asked again every 1.5 s until ready.
 */
export function useDatasetStats(id: string, model: string | null) {
  return useQuery({
    queryKey: ['datasets', 'stats', id, model],
    queryFn: () => unwrap(api.datasets[':id'].stats.$get(withQuery({ id }, model ? { model } : {}))),
    enabled: model !== null,
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.status === 'counting' ? 1500 : false),
  });
}
