import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Ok } from '../../../lib/api-client.ts';
import { listQueries } from '../../../lib/shared-queries.ts';

export type Dataset = Ok<Awaited<ReturnType<(typeof api.datasets)[':id']['$get']>>>;

export const datasetKeys = {
  list: () => listQueries.datasets.queryKey,
  detail: (id: string) => ['datasets', 'detail', id] as const,
};

/** Every dataset, newest first; refreshed while one is still being checked. */
export function useDatasets() {
  return useQuery({
    ...listQueries.datasets,
    refetchInterval: (q) => (q.state.data?.some((d) => d.status === 'processing') ? 2000 : false),
  });
}

/** One dataset, polled while the server is still checking it (large uploads answer 202). */
export function useDataset(id: string | null, initial?: Dataset) {
  return useQuery({
    queryKey: datasetKeys.detail(id ?? ''),
    queryFn: () => unwrap(api.datasets[':id'].$get({ param: { id: id! } })),
    enabled: id !== null,
    initialData: initial,
    refetchInterval: (q) => (q.state.data?.status === 'processing' ? 1000 : false),
  });
}
