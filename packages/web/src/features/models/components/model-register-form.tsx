import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link } from '../../../lib/router.tsx';
import { useRegisterModel } from '../api/use-models.ts';
import { modelsMessages } from '../models.i18n.ts';

/**
 * Register a model folder that is already on the server (`{path, name}`); the server refuses a
 * folder outside WHET_MODEL_ROOTS, and its error and hint show right under the path.
 */
export function RegisterLocalForm() {
  const t = useT(modelsMessages);
  const register = useRegisterModel();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    register.mutate({ path: path.trim(), ...(name.trim() ? { name: name.trim() } : {}) });
  };
  return (
    <form onSubmit={submit} className="form" aria-label={t('registerLocal')} data-testid="register-local">
      <div className="field">
        <label htmlFor={`${id}-path`}>{t('path')}</label>
        <input
          id={`${id}-path`}
          value={path}
          onChange={(e) => setPath(e.target.value)}
          required
          spellCheck={false}
          placeholder="/models/Qwen2.5-0.5B-Instruct"
          translate="no"
          aria-invalid={register.isError || undefined}
          aria-describedby={`${id}-path-hint${register.isError ? ` ${id}-error` : ''}`}
        />
        <span id={`${id}-path-hint`} className="small-text muted">
          {t('pathHint')}
        </span>
        {register.error && (
          <div id={`${id}-error`} data-testid="path-error">
            <ErrorMessage error={register.error} />
          </div>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('nameOptional')}</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} />
      </div>
      <button type="submit" className="button primary" disabled={register.isPending}>
        {register.isPending ? t('registering') : t('register')}
      </button>
      {register.data && (
        <p role="status">
          {t('registered', { name: register.data.name })} <Link href={paths.model(register.data.id)}>{t('open', { name: register.data.name })}</Link>
        </p>
      )}
    </form>
  );
}

/** Pull a model from the Hugging Face Hub or ModelScope (`{hub_id, source}`); download errors show under the id. */
export function PullHubForm() {
  const t = useT(modelsMessages);
  const register = useRegisterModel();
  const [hubId, setHubId] = useState('');
  const [source, setSource] = useState<'hub' | 'modelscope'>('hub');
  const [name, setName] = useState('');
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    register.mutate({ hub_id: hubId.trim(), source, ...(name.trim() ? { name: name.trim() } : {}) });
  };
  return (
    <form onSubmit={submit} className="form" aria-label={t('pullHub')} data-testid="pull-hub">
      <div className="field">
        <label htmlFor={`${id}-hub`}>{t('hubId')}</label>
        <input
          id={`${id}-hub`}
          value={hubId}
          onChange={(e) => setHubId(e.target.value)}
          required
          spellCheck={false}
          pattern="[A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-]+"
          aria-invalid={register.isError || undefined}
          aria-describedby={`${id}-hub-hint${register.isError ? ` ${id}-error` : ''}`}
        />
        <span id={`${id}-hub-hint`} className="small-text muted">
          {t('hubIdHint')}
        </span>
        {register.error && (
          <div id={`${id}-error`} data-testid="hub-error">
            <ErrorMessage error={register.error} />
          </div>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-source`}>{t('hubSource')}</label>
        <select id={`${id}-source`} value={source} onChange={(e) => setSource(e.target.value as 'hub' | 'modelscope')}>
          <option value="hub">{t('hub')}</option>
          <option value="modelscope">{t('modelscope')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('nameOptional')}</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} spellCheck={false} />
      </div>
      <button type="submit" className="button primary" disabled={register.isPending}>
        {t('pull')}
      </button>
      {register.isPending && <p role="status">{t('pulling')}</p>}
      {register.data && (
        <p role="status">
          {t('registered', { name: register.data.name })} <Link href={paths.model(register.data.id)}>{t('open', { name: register.data.name })}</Link>
        </p>
      )}
    </form>
  );
}
