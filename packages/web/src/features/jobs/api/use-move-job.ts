import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { JobMove } from '@whetstone/core';
import { api, unwrap } from '../../../lib/api-client.ts';
import { jobKeys } from './job-types.ts';

/** Move a queued job (top, bottom, before or after another); the lists refresh afterwards. */
export function useMoveJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, move }: { id: string; move: JobMove }) => unwrap(api.jobs[':id'].move.$post({ param: { id }, json: move } as never)),
    onSettled: () => void qc.invalidateQueries({ queryKey: jobKeys.all }),
  });
}

/** Cancel a queued job from the queue (the job page has its own actions). */
export function useCancelQueuedJob() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.jobs[':id'].cancel.$post({ param: { id } })),
    onSettled: () => void qc.invalidateQueries({ queryKey: jobKeys.all }),
  });
}
