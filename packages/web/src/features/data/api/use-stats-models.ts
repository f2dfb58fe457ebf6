import { useQuery } from '@tanstack/react-query';
import { listQueries, withoutAdapters } from '../../../lib/shared-queries.ts';

/** The registered models that can count tokens (base models: adapters share their base's tokenizer). */
export function useStatsModels() {
  return useQuery({ ...listQueries.models, select: withoutAdapters });
}
