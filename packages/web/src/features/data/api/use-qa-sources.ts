import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';

/** Models registered here that can draft pairs (the gateway serves them by id or name). */
export function useDraftModels() {
  return useQuery({ queryKey: ['data', 'draft-models'], queryFn: async () => (await unwrap(api.models.$get())).data });
}

/** The outside endpoints an admin configured (names and default models only; keys never leave the server). */
export function useDraftConnections() {
  return useQuery({ queryKey: ['data', 'draft-connections'], queryFn: async () => (await unwrap(api.connections.$get())).data });
}
