import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useModelEvaluations, type Model } from '../api/use-models.ts';
import { modelDetailsMessages } from '../models.i18n.ts';

/** The evaluations that scored this model, newest first, each linking to its scores. */
export function ModelEvaluations({ model }: { model: Model }) {
  const t = useT(modelDetailsMessages);
  const f = useFormatters();
  const q = useModelEvaluations(model);
  if (q.error) return <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  if (q.data.length === 0) return <p className="muted">{t('noEvaluations')}</p>;
  const rows = [...q.data].sort((a, b) => b.created_at.localeCompare(a.created_at));
  return (
    <table className="table" data-testid="model-evaluations">
      <caption className="sr-only">{t('evaluations')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('evaluationName')}</th>
          <th scope="col">{t('evaluationStatus')}</th>
          <th scope="col">{t('evaluationCreated')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((e) => (
          <tr key={e.id} data-evaluation-id={e.id}>
            <td translate="no">
              <Link href={paths.evaluation(e.id)}>{e.name}</Link>
            </td>
            <td translate="no">{e.status}</td>
            <td>{f.dateTime(e.created_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
