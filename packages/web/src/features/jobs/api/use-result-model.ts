import { useQuery } from '@tanstack/react-query';
import { detailQueries } from '../../../lib/shared-queries.ts';

/** The model a job produced (its name for the link to it); idle until the job has one. */
export function useResultModel(id: string | null) {
  return useQuery({
    ...detailQueries.model(id ?? ''),
    enabled: id !== null,
  });
}
