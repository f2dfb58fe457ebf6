import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConnectionCreate } from '@whetstone/core';
import { api, unwrap } from '../../../lib/api-client.ts';
import { listQueries } from '../../../lib/shared-queries.ts';

const connectionKeys = { list: () => listQueries.connections.queryKey };

/** Every connection (members may list them; the key itself is never in the answer). */
export function useConnections() {
  return useQuery(listQueries.connections);
}

/** Add a connection (admins only: others get FORBIDDEN). */
export function useCreateConnection() {
  const qc = useQueryClient();
  return useMutation({
    // The route parses its body by hand (no validator), so the client's types do not list `json`.
    mutationFn: (body: ConnectionCreate) => unwrap(api.connections.$post({ json: body } as never)),
    onSuccess: () => void qc.invalidateQueries({ queryKey: connectionKeys.list() }),
  });
}

export function useDeleteConnection() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.connections[':id'].$delete({ param: { id } })),
    onSettled: () => void qc.invalidateQueries({ queryKey: connectionKeys.list() }),
  });
}
