import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Ok } from '../../../lib/api-client.ts';
import { withQuery } from './with-query.ts';

export type DatasetRowsPage = Ok<Awaited<ReturnType<(typeof api.datasets)[':id']['rows']['$get']>>>;

/** One page of a dataset's stored rows; the previous page stays shown while the next loads. */
export function useDatasetRows(id: string, offset: number, limit: number, enabled: boolean) {
  return useQuery({
    queryKey: ['datasets', 'rows', id, offset, limit],
    queryFn: () => unwrap(api.datasets[':id'].rows.$get(withQuery({ id }, { offset: String(offset), limit: String(limit) }))),
    enabled,
    placeholderData: keepPreviousData,
  });
}
