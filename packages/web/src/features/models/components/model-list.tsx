import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useModels } from '../api/use-models.ts';
import { modelsMessages } from '../models.i18n.ts';

/** The registered models with their kind, size and context length. */
export function ModelList({ limit }: { limit?: number }) {
  const t = useT(modelsMessages);
  const f = useFormatters();
  const q = useModels();
  if (q.error) return <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  const models = limit ? q.data.slice(0, limit) : q.data;
  if (models.length === 0) return <p className="muted">{t('empty')}</p>;
  return (
    <table className="table">
      <caption className="sr-only">{t('title')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('name')}</th>
          <th scope="col">{t('kind')}</th>
          <th scope="col">{t('params')}</th>
          <th scope="col">{t('context')}</th>
        </tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <tr key={m.id}>
            <td translate="no">{m.name}</td>
            <td>
              {t(m.kind)}
              {m.source === 'job' ? ` (${t('fromJob')})` : ''}
            </td>
            <td className="num" translate="no">
              {m.params === null ? '–' : f.compact(m.params)}
            </td>
            <td className="num" translate="no">
              {m.context_length === null ? '–' : f.number(m.context_length)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
