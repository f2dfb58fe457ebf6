import { useEffect, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import { answerApiKeyRequest, currentApiKeyRequest, subscribeApiKeyRequest } from '../lib/api-key.ts';
import { useT } from '../lib/i18n.tsx';
import { apiKeyDialogMessages } from './api-key-dialog.i18n.ts';

/** The modal that asks for an API key when the server answers 401; requests wait for it. */
export function ApiKeyDialog() {
  const t = useT(apiKeyDialogMessages);
  const reason = useSyncExternalStore(subscribeApiKeyRequest, currentApiKeyRequest);
  const dialog = useRef<HTMLDialogElement>(null);
  const [key, setKey] = useState('');

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (reason && !d.open) d.showModal();
    if (!reason && d.open) d.close();
  }, [reason]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const k = key.trim();
    if (!k) return;
    setKey('');
    answerApiKeyRequest(k);
  };

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="api-key-title" onCancel={() => answerApiKeyRequest(null)}>
      <form onSubmit={submit}>
        <h2 id="api-key-title">{t('title')}</h2>
        <p role={reason === 'rejected' ? 'alert' : undefined}>{t(reason === 'rejected' ? 'rejected' : 'missing')}</p>
        <label className="field">
          <span>{t('label')}</span>
          <input type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} required autoFocus />
        </label>
        <div className="actions">
          <button type="button" className="button" onClick={() => answerApiKeyRequest(null)}>
            {t('cancel')}
          </button>
          <button type="submit" className="button primary">
            {t('submit')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
