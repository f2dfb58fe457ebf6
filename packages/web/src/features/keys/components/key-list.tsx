import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useApiKeys, useRevokeApiKey } from '../api/use-keys.ts';
import { keysMessages } from '../keys.i18n.ts';

/** The stored keys (never their secrets): name, role, prefix, rate limit, last use; revoke. */
export function KeyList() {
  const t = useT(keysMessages);
  const f = useFormatters();
  const q = useApiKeys();
  const revoke = useRevokeApiKey();
  if (q.error) return <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data) return <Loading />;
  if (q.data.length === 0) return <p className="muted">{t('empty')}</p>;
  return (
    <>
      <table className="table">
        <caption className="sr-only">{t('title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('name')}</th>
            <th scope="col">{t('role')}</th>
            <th scope="col">{t('prefix')}</th>
            <th scope="col">{t('rateLimitCol')}</th>
            <th scope="col">{t('lastUsed')}</th>
            <th scope="col">{t('created')}</th>
            <th scope="col">{t('actions')}</th>
          </tr>
        </thead>
        <tbody>
          {q.data.map((k) => (
            <tr key={k.id} data-key-id={k.id}>
              <td translate="no">{k.name}</td>
              <td>{t(k.role)}</td>
              <td>
                <code translate="no">{k.prefix}…</code>
              </td>
              <td>{k.rate_limit_per_minute === null ? t('noLimit') : t('perMinute', { n: k.rate_limit_per_minute })}</td>
              <td>{k.last_used_at ? f.dateTime(k.last_used_at) : t('never')}</td>
              <td>{f.dateTime(k.created_at)}</td>
              <td>
                <button
                  type="button"
                  className="button small danger"
                  disabled={revoke.isPending}
                  aria-label={t('revokeLabel', { name: k.name })}
                  onClick={() => {
                    if (window.confirm(t('confirmRevoke', { name: k.name }))) revoke.mutate(k.id);
                  }}
                >
                  {t('revoke')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {revoke.error && <ErrorMessage error={revoke.error} />}
    </>
  );
}
