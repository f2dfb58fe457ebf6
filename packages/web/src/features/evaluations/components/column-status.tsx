import { ErrorMessage } from '../../../components/error-message.tsx';
import { ProgressBar } from '../../../components/progress-bar.tsx';
import { storedError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import type { Evaluation } from '../api/evaluation-types.ts';
import { evaluationsMessages } from '../evaluations.i18n.ts';
import { EvaluationStatusBadge } from './evaluation-status-badge.tsx';

/** Each model column: its status, progress over the rows, speed, failed rows and its error. */
export function ColumnStatus({ evaluation }: { evaluation: Evaluation }) {
  const t = useT(evaluationsMessages);
  const f = useFormatters();
  return (
    <table className="table">
      <caption className="sr-only">{t('models')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('name')}</th>
          <th scope="col">{t('status')}</th>
          <th scope="col">{t('progress')}</th>
          <th scope="col" className="num">
            {t('tokensPerSec')}
          </th>
          <th scope="col" className="num">
            {t('failedRows')}
          </th>
        </tr>
      </thead>
      <tbody>
        {evaluation.models.map((c, i) => (
          <tr key={i} data-column={i} data-status={c.status}>
            <td>
              <span translate="no">{c.label}</span>
              {i === evaluation.baseline && <span className="muted small-text"> ({t('isBaseline')})</span>}
              {c.error && <ErrorMessage error={storedError(c.error)} />}
            </td>
            <td>
              <EvaluationStatusBadge status={c.status} />
            </td>
            <td>
              <div className="progress-cell">
                <ProgressBar value={c.progress.done} max={c.progress.total || null} label={t('columnProgress', { label: c.label })} />
                <span className="small-text muted">{t('doneOf', { done: c.progress.done, total: c.progress.total })}</span>
              </div>
            </td>
            <td className="num" translate="no">
              {c.tokens_per_sec === null ? '–' : f.number(c.tokens_per_sec, 1)}
            </td>
            <td className="num" translate="no">
              {f.number(c.failed_rows)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
