import { useId, useState, type FormEvent } from 'react';
import type { Settings, SettingsPatch } from '@whetstone/core';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { ApiError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { useSettings, useUpdateSettings } from '../api/use-settings.ts';
import { notificationsMessages } from '../notifications.i18n.ts';

/** The job webhook's URL and signing secret (admin). A refusal shows next to the field it names. */
export function WebhookForm() {
  const settings = useSettings();
  const loaded = settings.data;
  const [saved, setSaved] = useState(false); // here: a save with a new URL remounts the fields
  if (settings.error) return <ErrorMessage error={settings.error} onRetry={() => void settings.refetch()} />;
  if (!loaded) return <Loading />;
  // Keyed on the stored URL: a save starts from what was saved, a refetch never overwrites typing.
  return <WebhookFields key={loaded.job_webhook_url ?? ''} loaded={loaded} saved={saved} setSaved={setSaved} />;
}

function WebhookFields({ loaded, saved, setSaved }: { loaded: Settings; saved: boolean; setSaved: (saved: boolean) => void }) {
  const t = useT(notificationsMessages);
  const update = useUpdateSettings();
  const [url, setUrl] = useState(loaded.job_webhook_url ?? '');
  const [secret, setSecret] = useState('');
  const id = useId();
  const field = update.error instanceof ApiError ? update.error.field : undefined;
  const save = (patch: SettingsPatch) => {
    setSaved(false);
    update.mutate(patch, {
      onSuccess: () => {
        setSecret('');
        setSaved(true);
      },
    });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save({ job_webhook_url: url.trim() || null, ...(secret ? { job_webhook_secret: secret } : {}) });
  };
  const errorFor = (name: string) => (update.error && field === name ? <ErrorMessage error={update.error} /> : null);
  return (
    <form onSubmit={submit} data-testid="webhook-form">
      <div className="field">
        <label htmlFor={`${id}-url`}>{t('url')}</label>
        <input
          id={`${id}-url`}
          type="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          spellCheck={false}
          maxLength={2000}
          placeholder="https://hooks.example.com/whetstone"
          translate="no"
          aria-invalid={field === 'job_webhook_url' || undefined}
          aria-describedby={`${id}-url-hint`}
        />
        <span id={`${id}-url-hint`} className="small-text muted">
          {t('urlHint')}
        </span>
        {errorFor('job_webhook_url')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-secret`}>{t('secret')}</label>
        <input
          id={`${id}-secret`}
          type="password"
          autoComplete="new-password"
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          maxLength={512}
          aria-invalid={field === 'job_webhook_secret' || undefined}
          aria-describedby={`${id}-secret-hint`}
        />
        <span id={`${id}-secret-hint`} className="small-text muted">
          {loaded.job_webhook_secret_set ? `${t('secretSet')} ` : ''}
          {t('secretHint')}
        </span>
        {errorFor('job_webhook_secret')}
      </div>
      <div className="actions">
        <button type="submit" className="button primary" disabled={update.isPending}>
          {update.isPending ? t('saving') : t('save')}
        </button>
        {loaded.job_webhook_secret_set && (
          <button type="button" className="button" disabled={update.isPending} onClick={() => save({ job_webhook_secret: null })}>
            {t('removeSecret')}
          </button>
        )}
        {saved && (
          <span role="status" data-testid="webhook-saved">
            {t('saved')}
          </span>
        )}
      </div>
      {update.error && !field ? <ErrorMessage error={update.error} /> : null}
      {update.error && field && field !== 'job_webhook_url' && field !== 'job_webhook_secret' ? <ErrorMessage error={update.error} /> : null}
    </form>
  );
}
