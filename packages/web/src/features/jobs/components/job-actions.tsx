import { ErrorMessage } from '../../../components/error-message.tsx';
import { useT } from '../../../lib/i18n.tsx';
import type { Job } from '../api/job-types.ts';
import { useJobAction, type JobAction } from '../api/use-job-action.ts';
import { jobsMessages } from '../jobs.i18n.ts';

/**
 * Pause, resume and cancel, each shown when the job's state allows it (Resume stays for a
 * cancelled or failed job that has a checkpoint). A refusal shows beside the buttons.
 */
export function JobActions({ job }: { job: Job }) {
  const t = useT(jobsMessages);
  const action = useJobAction(job.id);
  const can: Record<JobAction, boolean> = {
    pause: job.status === 'running' || job.status === 'validating',
    resume: job.status === 'paused' || ((job.status === 'failed' || job.status === 'cancelled') && job.resumable),
    cancel: ['queued', 'validating', 'running', 'paused'].includes(job.status),
  };
  const run = (a: JobAction) => {
    if (a === 'cancel' && !window.confirm(t('confirmCancel'))) return;
    action.mutate(a);
  };
  return (
    <div className="job-actions">
      <div className="actions">
        {(['pause', 'resume', 'cancel'] as const)
          .filter((a) => can[a])
          .map((a) => (
            <button key={a} type="button" className={a === 'cancel' ? 'button danger' : 'button'} disabled={action.isPending} onClick={() => run(a)}>
              {t(a)}
            </button>
          ))}
      </div>
      {action.error && <ErrorMessage error={action.error} />}
    </div>
  );
}
