import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';
import { jobKeys } from './job-types.ts';

export type JobAction = 'cancel' | 'pause' | 'resume';

/** Cancel, pause or resume a job; the job and the list refresh afterwards. */
export function useJobAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (action: JobAction) => {
      const job = api.jobs[':id'];
      const param = { param: { id } };
      if (action === 'cancel') return unwrap(job.cancel.$post(param));
      if (action === 'pause') return unwrap(job.pause.$post(param));
      return unwrap(job.resume.$post(param));
    },
    onSuccess: (job) => {
      qc.setQueryData(jobKeys.detail(id), job);
      void qc.invalidateQueries({ queryKey: jobKeys.all });
    },
  });
}
