import { useId, useState, type FormEvent } from 'react';
import { SERVE_DTYPES, type ServeDtype } from '@whetstone/core';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { useT } from '../../../lib/i18n.tsx';
import { useCreateDeployment, type DeploymentCreate } from '../api/use-deployments.ts';
import { deploymentsMessages } from '../deployments.i18n.ts';
import { splitLabels } from '../lib/remembered-labels.ts';

/**
 * Deploy a model: backend (and torch's compute dtype), the name clients call it by, how many requests run at once, and
 * optionally a label set every answer is constrained to (the model's remembered one, or a list).
 */
export function DeployForm({ model, rememberedLabels = [] }: { model: string; rememberedLabels?: string[] }) {
  const t = useT(deploymentsMessages);
  const create = useCreateDeployment();
  const [backend, setBackend] = useState<DeploymentCreate['backend']>('torch');
  const [dtype, setDtype] = useState<ServeDtype>('auto');
  const [name, setName] = useState('');
  const [concurrency, setConcurrency] = useState('');
  const [constrain, setConstrain] = useState<'none' | 'model' | 'list'>('none');
  const [labelList, setLabelList] = useState('');
  const id = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({
      model,
      backend,
      ...(backend === 'torch' && dtype !== 'auto' ? { dtype } : {}),
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(concurrency ? { max_concurrency: Number(concurrency) } : {}),
      ...(constrain === 'model' ? { labels: 'model' as const } : constrain === 'list' ? { labels: splitLabels(labelList) } : {}),
    });
  };
  return (
    <form onSubmit={submit} className="inline-form" data-testid="deploy-form">
      <div className="field">
        <label htmlFor={`${id}-backend`}>{t('backend')}</label>
        <select id={`${id}-backend`} value={backend} onChange={(e) => setBackend(e.target.value as DeploymentCreate['backend'])}>
          <option value="torch">{t('torch')}</option>
          <option value="llamacpp">{t('llamacpp')}</option>
        </select>
      </div>
      {backend === 'torch' && (
        <div className="field">
          <label htmlFor={`${id}-dtype`}>{t('dtype')}</label>
          <select id={`${id}-dtype`} value={dtype} onChange={(e) => setDtype(e.target.value as ServeDtype)} aria-describedby={`${id}-dtype-hint`}>
            {SERVE_DTYPES.map((d) => (
              <option key={d} value={d}>
                {d === 'auto' ? t('dtypeAuto') : d}
              </option>
            ))}
          </select>
          <span id={`${id}-dtype-hint`} className="small-text muted">
            {t('dtypeHint')}
          </span>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('deployName')}</label>
        <input
          id={`${id}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          spellCheck={false}
          pattern="[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}"
          aria-describedby={`${id}-name-hint`}
        />
        <span id={`${id}-name-hint`} className="small-text muted">
          {t('deployNameHint')}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-conc`}>{t('maxConcurrency')}</label>
        <input id={`${id}-conc`} type="number" min={1} max={256} value={concurrency} onChange={(e) => setConcurrency(e.target.value)} aria-describedby={`${id}-conc-hint`} />
        <span id={`${id}-conc-hint`} className="small-text muted">
          {t('maxConcurrencyHint')}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-labels`}>{t('constrainLabels')}</label>
        <select id={`${id}-labels`} value={constrain} onChange={(e) => setConstrain(e.target.value as typeof constrain)} aria-describedby={`${id}-labels-hint`}>
          <option value="none">{t('constrainNone')}</option>
          {rememberedLabels.length > 0 && <option value="model">{t('constrainModel', { labels: rememberedLabels.join(', ') })}</option>}
          <option value="list">{t('constrainList')}</option>
        </select>
        <span id={`${id}-labels-hint`} className="small-text muted">
          {t('constrainHint')}
        </span>
      </div>
      {constrain === 'list' && (
        <div className="field">
          <label htmlFor={`${id}-label-list`}>{t('labelList')}</label>
          <input id={`${id}-label-list`} value={labelList} onChange={(e) => setLabelList(e.target.value)} placeholder={t('labelListPlaceholder')} required />
        </div>
      )}
      <button type="submit" className="button primary" disabled={create.isPending}>
        {create.isPending ? t('deploying') : t('deploy')}
      </button>
      {create.error && <ErrorMessage error={create.error} />}
    </form>
  );
}
