import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { JobCreate } from '@whetstone/core';
import { api, unwrap, type Ok } from '../../../lib/api-client.ts';

export type PlannedJob = Ok<Awaited<ReturnType<(typeof api.jobs)['$post']>>>;

/**
 * The job as the server would create it (`POST /jobs?dry_run=true`): every "auto" value
 * resolved with its source and reason, or the error naming the field. Asked again whenever
 * the request changes; nothing is stored.
 */
export function useJobPlan(body: JobCreate, enabled: boolean) {
  return useQuery({
    queryKey: ['new-job', 'plan', JSON.stringify(body)],
    queryFn: () => unwrap(api.jobs.$post({ json: body, query: { dry_run: 'true' } } as { json: JobCreate })),
    enabled,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 60_000,
  });
}

/** Create the job (`POST /jobs`); the job lists refresh. */
export function useCreateJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: JobCreate) => unwrap(api.jobs.$post({ json: body } as { json: JobCreate })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['jobs'] }),
  });
}
