import { useId, useState } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { useT } from '../../../lib/i18n.tsx';
import type { Job } from '../api/job-types.ts';
import { useJobAction, type JobAction } from '../api/use-job-action.ts';
import { jobsMessages } from '../jobs.i18n.ts';

/**
 * Pause, resume and cancel, each shown when the job's state allows it (Resume stays for a
 * cancelled or failed job that has a checkpoint; it may take a new total of epochs, which
 * extends the schedule). A refusal shows beside the buttons.
 */
export function JobActions({ job }: { job: Job }) {
  const t = useT(jobsMessages);
  const action = useJobAction(job.id);
  const epochsId = useId();
  const [epochs, setEpochs] = useState('');
  const can: Record<JobAction, boolean> = {
    pause: job.status === 'running' || job.status === 'validating',
    resume: job.status === 'paused' || ((job.status === 'failed' || job.status === 'cancelled') && job.resumable),
    cancel: ['queued', 'validating', 'running', 'paused'].includes(job.status),
  };
  const run = (a: JobAction) => {
    if (a === 'cancel' && !window.confirm(t('confirmCancel'))) return;
    const total = Number(epochs);
    action.mutate({ action: a, epochs: a === 'resume' && epochs.trim() !== '' && total > 0 ? total : undefined });
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
      {can.resume && (
        <div className="field resume-epochs">
          <label htmlFor={epochsId}>{t('resumeEpochs')}</label>
          <input id={epochsId} type="number" min={1} step="any" inputMode="decimal" value={epochs} onChange={(e) => setEpochs(e.target.value)} aria-describedby={`${epochsId}-hint`} />
          <p id={`${epochsId}-hint`} className="muted small-text">
            {t('resumeEpochsHint')}
          </p>
        </div>
      )}
      {action.error && <ErrorMessage error={action.error} />}
    </div>
  );
}
