import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Ok } from '../../../lib/api-client.ts';

export type ApiKey = Ok<Awaited<ReturnType<(typeof api.keys)['$get']>>>['data'][number];
export type ApiKeyRole = ApiKey['role'];
/** The create answer: the stored key plus its secret, which the server never shows again. */
export type ApiKeyCreated = ApiKey & { key: string };

const keyKeys = { list: () => ['keys', 'list'] as const };

/** Every stored API key (admins only: others get FORBIDDEN). */
export function useApiKeys() {
  return useQuery({ queryKey: keyKeys.list(), queryFn: async () => (await unwrap(api.keys.$get())).data });
}

export function useCreateApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; role: ApiKeyRole; rate_limit_per_minute: number | null }) => unwrap(api.keys.$post({ json: body } as never)) as Promise<ApiKeyCreated>,
    onSuccess: () => void qc.invalidateQueries({ queryKey: keyKeys.list() }),
  });
}

export function useRevokeApiKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.keys[':id'].$delete({ param: { id } })),
    onSettled: () => void qc.invalidateQueries({ queryKey: keyKeys.list() }),
  });
}
