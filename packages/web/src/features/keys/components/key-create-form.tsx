import { useId, useState, type FormEvent } from 'react';
import { CopyButton } from '../../../components/copy-button.tsx';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { useCreateApiKey, type ApiKeyCreated, type ApiKeyRole } from '../api/use-keys.ts';
import { keysMessages } from '../keys.i18n.ts';

const ROLES: ApiKeyRole[] = ['inference', 'member', 'admin'];

/** Create a key (name, role, rate limit); its secret is shown once, with a copy button and a warning. */
export function KeyCreateForm() {
  const t = useT(keysMessages);
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [role, setRole] = useState<ApiKeyRole>('inference');
  const [limit, setLimit] = useState('');
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    create.mutate({ name: name.trim(), role, rate_limit_per_minute: limit ? Number(limit) : null }, { onSuccess: (k) => setCreated(k) });
  };
  return (
    <>
      <form onSubmit={submit} className="inline-form" data-testid="key-form">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('name')}</label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>{t('role')}</label>
          <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as ApiKeyRole)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(r)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-limit`}>{t('rateLimit')}</label>
          <input id={`${id}-limit`} type="number" min={1} max={1_000_000} value={limit} onChange={(e) => setLimit(e.target.value)} aria-describedby={`${id}-limit-hint`} />
          <span id={`${id}-limit-hint`} className="small-text muted">
            {t('rateLimitHint')}
          </span>
        </div>
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? t('creating') : t('submit')}
        </button>
      </form>
      {create.error && <ErrorMessage error={create.error} />}
      {created && (
        <div className="secret" role="region" aria-labelledby={`${id}-secret-title`} data-testid="new-key">
          <h3 id={`${id}-secret-title`}>{t('secretTitle', { name: created.name })}</h3>
          <p className="warning" role="alert">
            {t('secretWarning')}
          </p>
          <label className="field">
            <span>{t('secretLabel')}</span>
            <input readOnly value={created.key} translate="no" spellCheck={false} onFocus={(e) => e.target.select()} data-testid="secret" />
          </label>
          <div className="actions">
            <CopyButton text={created.key} label={t('secretLabel')} />
            <button type="button" className="button" onClick={() => setCreated(null)}>
              {t('dismiss')}
            </button>
          </div>
        </div>
      )}
    </>
  );
}
