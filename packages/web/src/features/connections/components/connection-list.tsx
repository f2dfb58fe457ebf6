import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useConnections, useDeleteConnection } from '../api/use-connections.ts';
import { connectionsMessages } from '../connections.i18n.ts';
import { ConnectionError } from './connection-error.tsx';

/** The connections: name, base URL, default model, where the key comes from (never the key); delete with confirmation. */
export function ConnectionList() {
  const t = useT(connectionsMessages);
  const f = useFormatters();
  const q = useConnections();
  const remove = useDeleteConnection();
  if (q.error) return <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  if (q.data.length === 0) return <p className="muted">{t('empty')}</p>;
  return (
    <>
      <table className="table">
        <caption className="sr-only">{t('stored')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('baseUrl')}</th>
            <th scope="col">{t('modelCol')}</th>
            <th scope="col">{t('keyCol')}</th>
            <th scope="col">{t('created')}</th>
            <th scope="col">{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {q.data.map((c) => (
            <tr key={c.id} data-connection-id={c.id}>
              <td translate="no">{c.name}</td>
              <td>
                <code translate="no">{c.base_url}</code>
              </td>
              <td translate="no">{c.model ?? t('noModel')}</td>
              <td data-key={c.key}>{c.key === 'stored' ? t('keyStoredCol') : c.key === 'env' ? t('keyEnvCol', { name: c.api_key_env ?? '' }) : t('keyNoneCol')}</td>
              <td className="nowrap">{f.dateTime(c.created_at)}</td>
              <td>
                <button
                  type="button"
                  className="button small danger"
                  disabled={remove.isPending}
                  aria-label={t('deleteLabel', { name: c.name })}
                  onClick={() => {
                    if (window.confirm(t('confirmDelete', { name: c.name }))) remove.mutate(c.id);
                  }}
                >
                  {t('delete')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {remove.error && <ConnectionError error={remove.error} />}
    </>
  );
}
