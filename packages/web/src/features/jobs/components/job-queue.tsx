import type { JobMove } from '@whetstone/core';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import type { Job } from '../api/job-types.ts';
import { useCancelQueuedJob, useMoveJob } from '../api/use-move-job.ts';
import { jobQueueMessages } from '../job-queue.i18n.ts';

/**
 * Queued jobs in the order the scheduler starts them, with up, down, to-top and cancel. Each
 * button names its job for screen readers; a refusal (the job started meanwhile) shows below.
 */
export function JobQueue({ jobs }: { jobs: Job[] }) {
  const t = useT(jobQueueMessages);
  const f = useFormatters();
  const move = useMoveJob();
  const cancel = useCancelQueuedJob();
  const queue = jobs.filter((j) => j.status === 'queued' && j.queue_position !== null).sort((a, b) => a.queue_position! - b.queue_position!);
  const busy = move.isPending || cancel.isPending;
  const moveTo = (id: string, m: JobMove) => move.mutate({ id, move: m });
  if (queue.length === 0) return <p className="muted">{t('empty')}</p>;
  return (
    <>
      <p className="muted small-text">{t('hint')}</p>
      <table className="table" data-testid="job-queue">
        <caption className="sr-only">{t('caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('position')}</th>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('created')}</th>
            <th scope="col">{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {queue.map((job, i) => (
            <tr key={job.id} data-job-id={job.id}>
              <td className="num" translate="no">
                {job.queue_position}
              </td>
              <td>
                <Link href={paths.job(job.id)} translate="no">
                  {job.name}
                </Link>
              </td>
              <td className="nowrap">{f.dateTime(job.created_at)}</td>
              <td>
                <div className="actions">
                  <button type="button" className="button small" disabled={busy || i === 0} aria-label={t('upLabel', { name: job.name })} onClick={() => moveTo(job.id, { before: queue[i - 1]!.id })}>
                    {t('up')}
                  </button>
                  <button type="button" className="button small" disabled={busy || i === queue.length - 1} aria-label={t('downLabel', { name: job.name })} onClick={() => moveTo(job.id, { after: queue[i + 1]!.id })}>
                    {t('down')}
                  </button>
                  <button type="button" className="button small" disabled={busy || i === 0} aria-label={t('topLabel', { name: job.name })} onClick={() => moveTo(job.id, { position: 'top' })}>
                    {t('top')}
                  </button>
                  <button
                    type="button"
                    className="button small danger"
                    disabled={busy}
                    aria-label={t('cancelLabel', { name: job.name })}
                    onClick={() => window.confirm(t('confirmCancel', { name: job.name })) && cancel.mutate(job.id)}
                  >
                    {t('cancel')}
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {move.error && <ErrorMessage error={move.error} />}
      {cancel.error && <ErrorMessage error={cancel.error} />}
    </>
  );
}
