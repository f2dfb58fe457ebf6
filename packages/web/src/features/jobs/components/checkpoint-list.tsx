import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useCheckpointModel, useJobCheckpoints } from '../api/use-job-checkpoints.ts';
import { checkpointMessages } from '../jobs.i18n.ts';

/** Where "Evaluate" goes: the evaluation form with this job's checkpoint and held-out data chosen. */
export const evaluateCheckpointHref = (jobId: string, step: number) => `${paths.evaluations()}?job=${encodeURIComponent(jobId)}&checkpoint=${step}`;

/**
 * A job's checkpoints, each with its time and losses, to evaluate or to register as a model
 * (whose page deploys and exports it). A refusal shows in the row of the step it concerns.
 */
export function CheckpointList({ jobId, active }: { jobId: string; active: boolean }) {
  const t = useT(checkpointMessages);
  const f = useFormatters();
  const q = useJobCheckpoints(jobId, active);
  const register = useCheckpointModel(jobId);
  if (q.error) return <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  if (q.data.length === 0) return <p className="muted">{active ? t('noneYetActive') : t('noneYet')}</p>;
  const loss = (v: number | null) => (v === null ? '–' : f.metric(v));
  return (
    <table className="table" data-testid="checkpoints">
      <caption className="sr-only">{t('caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('step')}</th>
          <th scope="col">{t('time')}</th>
          <th scope="col">{t('loss')}</th>
          <th scope="col">{t('evalLoss')}</th>
          <th scope="col">{t('actions')}</th>
        </tr>
      </thead>
      <tbody>
        {q.data.map((c) => {
          const pending = register.isPending && register.variables === c.step;
          const failed = register.error && register.variables === c.step ? register.error : null;
          return (
            <tr key={c.step} data-step={c.step}>
              <td className="num">{f.number(c.step)}</td>
              <td className="nowrap">{f.dateTime(c.created_at)}</td>
              <td className="num" translate="no">
                {loss(c.loss)}
              </td>
              <td className="num" translate="no">
                {loss(c.eval_loss)}
              </td>
              <td>
                <div className="actions">
                  <Link className="button" style={{ textDecoration: 'none' }} href={evaluateCheckpointHref(jobId, c.step)} aria-label={t('forStep', { action: t('evaluate'), step: c.step })}>
                    {t('evaluate')}
                  </Link>
                  {c.model ? (
                    <Link href={paths.model(c.model.id)} aria-label={t('forStep', { action: t('openModel', { name: c.model.name }), step: c.step })}>
                      {t('openModel', { name: c.model.name })}
                    </Link>
                  ) : (
                    <button type="button" className="button" disabled={register.isPending} onClick={() => register.mutate(c.step)} aria-label={t('forStep', { action: pending ? t('registering') : t('useAsModel'), step: c.step })}>
                      {pending ? t('registering') : t('useAsModel')}
                    </button>
                  )}
                </div>
                {failed && <ErrorMessage error={failed} />}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
