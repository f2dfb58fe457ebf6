import { useId, type ReactNode } from 'react';
import { STRATEGIES } from '@whetstone/core';
import { useT } from '../../../lib/i18n.tsx';
import { newJobMessages } from '../new-job.i18n.ts';
import { GPUS_PER_PROCESS, takesStrategy, type FormField, type NewJobForm } from '../utils/build-job-request.ts';
import { OptionalField } from './optional-field.tsx';

type ResourceKey = 'executor' | 'processes' | 'shared_path' | 'strategy' | 'gpus_per_process';

/**
 * "Where it trains": the executor, processes per node and shared folder, and with several
 * processes (torchrun, ray) the strategy and devices per process. The server's complaint about
 * a field shows under it; one about strategy or devices while those are hidden shows under the
 * executor, so it is never lost.
 */
export function ResourcesFields({
  form,
  onChange,
  fieldError,
  describedBy,
}: {
  form: Pick<NewJobForm, ResourceKey>;
  onChange: <K extends ResourceKey>(key: K, v: NewJobForm[K]) => void;
  /** The server's words about a field, or nothing. */
  fieldError: (field: FormField) => ReactNode;
  /** The ids describing a field: its error's (when it has one) and `more`. */
  describedBy: (field: FormField, ...more: string[]) => string | undefined;
}) {
  const t = useT(newJobMessages);
  const ids = { executor: useId(), processes: useId(), sharedPath: useId(), strategy: useId(), gpus: useId() };
  const several = takesStrategy(form.executor);
  const select = (field: 'strategy' | 'gpus_per_process', id: string, options: [string, string][]) => (
    <div className="field" data-field={field}>
      <label htmlFor={id}>{t(field)}</label>
      <select
        id={id}
        name={field}
        value={form[field]}
        onChange={(e) => onChange(field, e.target.value as NewJobForm[typeof field])}
        aria-invalid={fieldError(field) ? true : undefined}
        aria-describedby={describedBy(field, `${id}-help`)}
      >
        <option value="">{t('serverSetting')}</option>
        {options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <p id={`${id}-help`} className="muted small-text">
        {t(`${field}Help`)}
      </p>
      {fieldError(field)}
    </div>
  );

  return (
    <>
      <div className="grid">
        <div className="field" data-field="executor">
          <label htmlFor={ids.executor}>{t('executor')}</label>
          <select id={ids.executor} name="executor" value={form.executor} onChange={(e) => onChange('executor', e.target.value as NewJobForm['executor'])} aria-describedby={describedBy('executor', `${ids.executor}-help`)}>
            <option value="">{t('serverSetting')}</option>
            <option value="local">{t('executorLocal')}</option>
            <option value="torchrun">{t('executorTorchrun')}</option>
            <option value="ray">{t('executorRay')}</option>
          </select>
          <p id={`${ids.executor}-help`} className="muted small-text">
            {t('executorHelp')}
          </p>
          {fieldError('executor')}
          {!several && fieldError('strategy')}
          {!several && fieldError('gpus_per_process')}
        </div>
        <OptionalField id={ids.processes} name="processes" label={t('processes')} help={t('processesHelp')} value={form.processes} onChange={(v) => onChange('processes', v)} error={fieldError('processes')} errorId={describedBy('processes')} />
        <OptionalField id={ids.sharedPath} name="shared_path" inputMode="text" label={t('sharedPath')} help={t('sharedPathHelp')} value={form.shared_path} onChange={(v) => onChange('shared_path', v)} error={fieldError('shared_path')} errorId={describedBy('shared_path')} />
      </div>
      {several && (
        <div className="grid">
          {select(
            'strategy',
            ids.strategy,
            STRATEGIES.map((s) => [s, t(`strategy_${s}`)]),
          )}
          {select(
            'gpus_per_process',
            ids.gpus,
            GPUS_PER_PROCESS.map((g) => [g, t(`gpus_${g}`)]),
          )}
        </div>
      )}
    </>
  );
}
