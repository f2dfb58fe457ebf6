import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api-client.ts';
import { jobKeys } from './job-types.ts';

export type JobAction = 'cancel' | 'pause' | 'resume';

/** Cancel, pause or resume a job (resume optionally with a new total of epochs); the job and the list refresh afterwards. */
export function useJobAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ action, epochs }: { action: JobAction; epochs?: number }) => {
      const job = api.jobs[':id'];
      const param = { param: { id } };
      if (action === 'cancel') return unwrap(job.cancel.$post(param));
      if (action === 'pause') return unwrap(job.pause.$post(param));
      // The route parses its body itself (JobResumeSchema), so its type names no json: sent as is.
      return unwrap(job.resume.$post({ ...param, json: epochs === undefined ? {} : { epochs } } as typeof param));
    },
    onSuccess: (job) => {
      qc.setQueryData(jobKeys.detail(id), job);
      void qc.invalidateQueries({ queryKey: jobKeys.all });
    },
  });
}
