import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { useCreateConnection } from '../api/use-connections.ts';
import { connectionsMessages } from '../connections.i18n.ts';
import { connectionBody, type ConnectionForm as Form, type KeySource } from '../utils/connection-body.ts';
import { ConnectionError } from './connection-error.tsx';
import '../connections.css';

const EMPTY: Form = { name: '', baseUrl: '', model: '', keySource: 'stored', apiKey: '', apiKeyEnv: '' };
const FIELDS = ['name', 'base_url', 'model', 'api_key', 'api_key_env'] as const;
type Field = (typeof FIELDS)[number];

/** Add a connection: name, base URL, default model, and its key (typed into a password field, or a server variable's name). */
export function ConnectionForm() {
  const t = useT(connectionsMessages);
  const id = useId();
  const create = useCreateConnection();
  const [form, setForm] = useState<Form>(EMPTY);
  const [added, setAdded] = useState<string | null>(null);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    create.mutate(connectionBody(form), {
      onSuccess: (c) => {
        setAdded(c.name);
        setForm(EMPTY); // the typed key leaves the page once it is stored
      },
    });
  };
  // A refused field shows its error beside it; anything else under the form.
  const errField = create.error instanceof ApiError && FIELDS.includes(create.error.field as Field) ? (create.error.field as Field) : null;
  const errorAt = (f: Field) => (errField === f ? <ConnectionError error={create.error} /> : null);
  const invalid = (f: Field) => (errField === f ? true : undefined);
  const keySources: [KeySource, string][] = [
    ['stored', t('keyStored')],
    ['env', t('keyEnv')],
    ['none', t('keyNone')],
  ];
  return (
    <form onSubmit={submit} data-testid="connection-form">
      <p className="small-text muted">{t('adminOnly')}</p>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('name')}</label>
          <input id={`${id}-name`} value={form.name} onChange={(e) => set({ name: e.target.value })} required maxLength={64} spellCheck={false} autoComplete="off" aria-describedby={`${id}-name-hint`} aria-invalid={invalid('name')} />
          <span id={`${id}-name-hint`} className="small-text muted">
            {t('nameHint')}
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-url`}>{t('baseUrl')}</label>
          <input id={`${id}-url`} type="url" value={form.baseUrl} onChange={(e) => set({ baseUrl: e.target.value })} required size={36} spellCheck={false} autoComplete="off" aria-describedby={`${id}-url-hint`} aria-invalid={invalid('base_url')} />
          <span id={`${id}-url-hint`} className="small-text muted">
            {t('baseUrlHint')}
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-model`}>{t('model')}</label>
          <input id={`${id}-model`} value={form.model} onChange={(e) => set({ model: e.target.value })} maxLength={200} spellCheck={false} autoComplete="off" aria-describedby={`${id}-model-hint`} aria-invalid={invalid('model')} />
          <span id={`${id}-model-hint`} className="small-text muted">
            {t('modelHint')}
          </span>
        </div>
      </div>
      {errorAt('name')}
      {errorAt('base_url')}
      {errorAt('model')}
      <fieldset className="key-source">
        <legend>{t('keySource')}</legend>
        {keySources.map(([value, label]) => (
          <label className="check" key={value}>
            <input type="radio" name={`${id}-key`} value={value} checked={form.keySource === value} onChange={() => set({ keySource: value })} />
            <span>{label}</span>
          </label>
        ))}
        {form.keySource === 'stored' && (
          <div className="field">
            <label htmlFor={`${id}-key`}>{t('apiKey')}</label>
            <input id={`${id}-key`} type="password" value={form.apiKey} onChange={(e) => set({ apiKey: e.target.value })} required maxLength={4096} autoComplete="new-password" spellCheck={false} aria-invalid={invalid('api_key')} />
          </div>
        )}
        {form.keySource === 'env' && (
          <div className="field">
            <label htmlFor={`${id}-env`}>{t('apiKeyEnv')}</label>
            <input id={`${id}-env`} value={form.apiKeyEnv} onChange={(e) => set({ apiKeyEnv: e.target.value })} required pattern="[A-Za-z_][A-Za-z0-9_]*" spellCheck={false} autoComplete="off" translate="no" aria-describedby={`${id}-env-hint`} aria-invalid={invalid('api_key_env')} />
            <span id={`${id}-env-hint`} className="small-text muted">
              {t('apiKeyEnvHint')}
            </span>
          </div>
        )}
        {errorAt('api_key')}
        {errorAt('api_key_env')}
      </fieldset>
      <button type="submit" className="button primary" disabled={create.isPending}>
        {create.isPending ? t('adding') : t('submit')}
      </button>
      {create.error && !errField && <ConnectionError error={create.error} />}
      {added && (
        <p role="status" className="small-text">
          {t('added', { name: added })}
        </p>
      )}
    </form>
  );
}
