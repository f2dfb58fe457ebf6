import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Ok } from '../../../lib/api-client.ts';
import { detailQueries, listQueries } from '../../../lib/shared-queries.ts';

export type Model = Ok<Awaited<ReturnType<(typeof api.models)['$get']>>>['data'][number];

export const modelKeys = {
  list: () => listQueries.models.queryKey,
  detail: (id: string) => detailQueries.model(id).queryKey,
  jobs: (id: string) => ['models', 'jobs', id] as const,
  evaluations: (id: string) => ['models', 'evaluations', id] as const,
  chatTemplate: (id: string) => ['models', 'chat-template', id] as const,
};

/** Every registered model: base models, and the adapters and weights jobs produced. */
export function useModels() {
  return useQuery({
    ...listQueries.models,
    refetchInterval: 30_000,
  });
}

/** One model by id or name. */
export function useModel(id: string) {
  return useQuery(detailQueries.model(id));
}

/** The jobs that trained on a model or produced it (GET /jobs, filtered here). */
export function useModelJobs(model: Model | undefined) {
  return useQuery({
    queryKey: modelKeys.jobs(model?.id ?? ''),
    enabled: model !== undefined,
    queryFn: async () => (await unwrap(api.jobs.$get({ query: {} }))).data.filter((j) => j.model_id === model!.id || j.id === model!.job_id || j.output_model_id === model!.id),
    refetchInterval: 10_000,
  });
}

/** The model's chat template text, fetched only when `enabled` (the panel is opened). */
export function useChatTemplate(id: string, enabled: boolean) {
  return useQuery({
    queryKey: modelKeys.chatTemplate(id),
    enabled,
    staleTime: Infinity,
    queryFn: () => unwrap(api.models[':id']['chat-template'].$get({ param: { id } })),
  });
}

export type ModelCreate = { path: string; name?: string } | { hub_id: string; source: 'hub' | 'modelscope'; name?: string };

/** Register a local folder or pull from a hub (POST /models). */
export function useRegisterModel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ModelCreate) => unwrap(api.models.$post({ json: body } as never)) as Promise<Model>,
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['models'] }),
  });
}

/** Delete a registration (the folder stays); `force` stops its deployments and jobs first. */
export function useDeleteModel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, force }: { id: string; force: boolean }) => unwrap(api.models[':id'].$delete({ param: { id }, query: force ? { force: 'true' } : {} } as never)),
    // The list only: refetching the open details page would answer 404 for the model just deleted.
    onSuccess: () => void qc.invalidateQueries({ queryKey: modelKeys.list() }),
  });
}

/**
 * The evaluations with a column for this model: by id or name (as the request named it), or as
 * the final result of the job that produced it (GET /evaluations, filtered here).
 */
export function useModelEvaluations(model: Model) {
  return useQuery({
    queryKey: modelKeys.evaluations(model.id),
    queryFn: async () =>
      (await unwrap(api.evaluations.$get())).data.filter((e) =>
        e.models.some(({ ref }) =>
          ref.kind === 'model' ? ref.model_id === model.id || ref.model_id === model.name : ref.kind === 'job' && ref.job_id === model.job_id && ref.checkpoint_step === undefined,
        ),
      ),
    refetchInterval: 30_000,
  });
}
