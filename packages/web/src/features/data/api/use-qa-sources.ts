import { useQuery } from '@tanstack/react-query';
import { listQueries } from '../../../lib/shared-queries.ts';

/** Models registered here that can draft pairs (the gateway serves them by id or name). */
export function useDraftModels() {
  return useQuery(listQueries.models);
}

/** The outside endpoints an admin configured (names and default models only; keys never leave the server). */
export function useDraftConnections() {
  return useQuery(listQueries.connections);
}
