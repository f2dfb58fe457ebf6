import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ServeDtype } from '@whetstone/core';
import { api, unwrap, type Ok } from '../../../lib/api-client.ts';
import { listQueries } from '../../../lib/shared-queries.ts';

export type Deployment = Ok<Awaited<ReturnType<(typeof api.deployments)['$get']>>>['data'][number];

const deploymentKeys = { list: () => listQueries.deployments.queryKey };

/** Deployments with their live queue numbers. */
export function useDeployments() {
  return useQuery({
    ...listQueries.deployments,
    refetchInterval: (q) => (q.state.data?.some((d) => d.status === 'loading') ? 1000 : q.state.data?.some((d) => d.status === 'ready') ? 5000 : 30_000),
  });
}

export interface DeploymentCreate {
  model: string;
  backend: 'torch' | 'llamacpp';
  /** torch only: the compute dtype (auto: float32 on CPU). */
  dtype?: ServeDtype;
  name?: string;
  max_concurrency?: number;
  /** Every answer is one of these labels ("model": the model's remembered set) unless a request says otherwise. */
  labels?: string[] | 'model';
}

/** POST /deployments: the model loads in the background (status `loading`, then `ready`). */
export function useCreateDeployment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DeploymentCreate) => unwrap(api.deployments.$post({ json: body } as never)) as Promise<Deployment>,
    onSuccess: () => void qc.invalidateQueries({ queryKey: deploymentKeys.list() }),
  });
}

/** Stop (unload, keep the record) or delete a deployment. */
export function useDeploymentAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, action }: { id: string; action: 'stop' | 'delete' }): Promise<void> => {
      if (action === 'stop') await unwrap(api.deployments[':id'].stop.$post({ param: { id } }));
      else await unwrap(api.deployments[':id'].$delete({ param: { id } }));
    },
    onSettled: () => void qc.invalidateQueries({ queryKey: deploymentKeys.list() }),
  });
}
