import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Ok } from '../../../lib/api-client.ts';

export type Export = Ok<Awaited<ReturnType<(typeof api.exports)['$get']>>>['data'][number];
export type ExportFormat = Export['format'];
export type GgufQuantization = NonNullable<Export['quantization']>;

const exportKeys = { forModel: (id: string) => ['exports', 'model', id] as const };

/** A model's exports, newest first; polled while one is still being written. */
export function useModelExports(modelId: string) {
  return useQuery({
    queryKey: exportKeys.forModel(modelId),
    queryFn: async () =>
      (await unwrap(api.exports.$get()))
        .data.filter((e) => e.model_id === modelId)
        .sort((a, b) => b.created_at.localeCompare(a.created_at)),
    refetchInterval: (q) => (q.state.data?.some((e) => e.status === 'running') ? 1000 : false),
  });
}

/** POST /models/:id/exports: 202 while the worker writes it, 200 when an identical one is reused. */
export function useCreateExport(modelId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { format: ExportFormat; quantization?: GgufQuantization }) =>
      unwrap(api.models[':id'].exports.$post({ param: { id: modelId }, json: body } as never)) as Promise<Export>,
    onSuccess: () => void qc.invalidateQueries({ queryKey: exportKeys.forModel(modelId) }),
  });
}
