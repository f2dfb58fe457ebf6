import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useEvaluations } from '../api/use-evaluations.ts';
import { evaluationsMessages } from '../evaluations.i18n.ts';
import { EvaluationStatusBadge } from './evaluation-status-badge.tsx';
import { TestSetName } from './test-set-name.tsx';

/** Every evaluation: name (a link), status, test set, its model columns, created. */
export function EvaluationList() {
  const t = useT(evaluationsMessages);
  const f = useFormatters();
  const list = useEvaluations();
  if (list.isPending) return <Loading />;
  if (list.error) return <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />;
  if (list.data.length === 0) return <p className="muted">{t('noEvaluations')}</p>;
  return (
    <table className="table">
      <caption className="sr-only">{t('allEvaluations')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('name')}</th>
          <th scope="col">{t('status')}</th>
          <th scope="col">{t('testSet')}</th>
          <th scope="col">{t('models')}</th>
          <th scope="col">{t('created')}</th>
        </tr>
      </thead>
      <tbody>
        {list.data.map((e) => (
          <tr key={e.id} data-evaluation-id={e.id}>
            <td>
              <Link href={paths.evaluation(e.id)} translate="no">
                {e.name}
              </Link>
            </td>
            <td>
              <EvaluationStatusBadge status={e.status} />
            </td>
            <td>
              <TestSetName dataset={e.dataset} /> <span className="muted small-text">({t('rows', { rows: e.dataset.rows })})</span>
            </td>
            <td translate="no">{e.models.map((m) => m.label).join(', ')}</td>
            <td className="nowrap">{f.dateTime(e.created_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
