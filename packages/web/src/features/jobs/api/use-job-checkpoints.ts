import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';
import { jobKeys } from './job-types.ts';

/**
 * A job's checkpoints, with the models already registered from them (by step). Polled while the
 * job trains, since a checkpoint lands every save_steps steps.
 */
export function useJobCheckpoints(id: string, active: boolean) {
  return useQuery({
    queryKey: jobKeys.checkpoints(id),
    queryFn: async () => {
      const [{ data }, models] = await Promise.all([unwrap(api.jobs[':id'].checkpoints.$get({ param: { id } })), unwrap(api.models.$get())]);
      const registered = new Map(models.data.filter((m) => m.job_id === id && m.checkpoint_step != null).map((m) => [m.checkpoint_step!, m]));
      return data.map((c) => ({ ...c, model: registered.get(c.step) ?? null }));
    },
    refetchInterval: active ? 10_000 : false,
  });
}

/** Register one checkpoint as a model (the same step again answers the model made before). */
export function useCheckpointModel(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (step: number) => unwrap(api.jobs[':id'].checkpoints[':step'].model.$post({ param: { id, step: String(step) } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: jobKeys.checkpoints(id) });
      void qc.invalidateQueries({ queryKey: ['models'] });
    },
  });
}
