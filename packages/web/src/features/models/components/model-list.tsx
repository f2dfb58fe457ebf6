import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useModels } from '../api/use-models.ts';
import { modelsMessages } from '../models.i18n.ts';

/** The registered models with their kind, size and context length; `full` adds architecture and source. */
export function ModelList({ limit, full = false }: { limit?: number; full?: boolean }) {
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
          {full && <th scope="col">{t('architecture')}</th>}
          <th scope="col">{t('params')}</th>
          <th scope="col">{t('context')}</th>
          {full && <th scope="col">{t('source')}</th>}
        </tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <tr key={m.id} data-model-id={m.id}>
            <td translate="no">
              <Link href={paths.model(m.id)}>{m.name}</Link>
            </td>
            <td>
              {t(m.kind)}
              {!full && m.source === 'job' ? ` (${t('fromJob')})` : ''}
            </td>
            {full && <td translate="no">{m.architecture ?? '–'}</td>}
            <td className="num" translate="no">
              {m.params === null ? '–' : f.compact(m.params)}
            </td>
            <td className="num" translate="no">
              {m.context_length === null ? '–' : f.number(m.context_length)}
            </td>
            {full && (
              <td>
                {t(m.source)}
                {m.hub_id && (
                  <>
                    {' '}
                    <span translate="no">({m.hub_id})</span>
                  </>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
