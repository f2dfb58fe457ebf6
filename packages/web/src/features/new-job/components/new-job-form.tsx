import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { fieldApplies, METHODS, TUNINGS } from '@whetstone/core';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { Section } from '../../../components/section.tsx';
import { paths } from '../../../config/paths.ts';
import { ApiError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link, navigate } from '../../../lib/router.tsx';
import { useSourceJob, useTrainableDatasets, useTrainableModels } from '../api/use-job-choices.ts';
import { useCreateJob, useJobPlan } from '../api/use-job-plan.ts';
import { newJobMessages } from '../new-job.i18n.ts';
import { buildMixEntries, mixRowErrors, newMixSource } from '../utils/build-mix-request.ts';
import { buildJobRequest, emptyForm, fieldErrors, formFromRequest, methodFields, SCHEDULE_FIELDS, tuningFields, type AutoNumber, type FormField, type Method, type NewJobForm } from '../utils/build-job-request.ts';
import { AutoNumberField, FieldError } from './auto-number-field.tsx';
import { DataFit } from './data-fit.tsx';
import { DurationEstimate } from './duration-estimate.tsx';
import { PlanSummary } from './plan-summary.tsx';
import { trainRows } from '../utils/planned-steps.ts';
import { useDebounced } from '../../../lib/use-debounced.ts';
import { EffectiveMix } from './effective-mix.tsx';
import { MixBuilder } from './mix-builder.tsx';
import { OptionalField } from './optional-field.tsx';
import { ResolvedValues } from './resolved-values.tsx';
import { ResourcesFields } from './resources-fields.tsx';
import './new-job.css';

const DRAFT_KEY = 'whet.newJobDraft';

/**
 * The form as last typed in this tab (a reload keeps the configuration), with `?dataset=…` or
 * `?model=…` from a link (the dataset page's "Fine-tune on this data") taking precedence, and
 * `?mix=1` (the Data page's "Mix datasets") opening the mix builder.
 */
function initialForm(): NewJobForm {
  const q = new URLSearchParams(window.location.search);
  let draft: Partial<NewJobForm> = {};
  try {
    draft = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? '{}') as Partial<NewJobForm>;
  } catch {
    // storage disabled or a damaged draft: start empty
  }
  const form = emptyForm(draft);
  const mix = q.get('mix') === '1' ? { mix: true, sources: form.mix ? form.sources : [newMixSource(q.get('dataset') ?? form.dataset), newMixSource()] } : {};
  const method = METHODS.find((m) => m === q.get('method')) ?? form.method;
  return { ...form, dataset: q.get('dataset') ?? form.dataset, model: q.get('model') ?? form.model, method, ...mix };
}

function saveDraft(form: NewJobForm | null) {
  try {
    if (form) sessionStorage.setItem(DRAFT_KEY, JSON.stringify(form));
    else sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    // storage disabled: the draft lasts until the page closes
  }
}

/**
 * The guided form: model and data (with whether the data fits the model's context), method and
 * tuning with the fields each needs, numbers on "auto" or set, a time budget. Every change asks
 * the server for a dry run, so the values the job will use show with their reasons before
 * launch, and its complaints show beside the fields they name. Launch creates the job and opens
 * its page.
 */
export function NewJobForm() {
  const t = useT(newJobMessages);
  const models = useTrainableModels();
  const [form, setForm] = useState<NewJobForm>(initialForm);
  const datasets = useTrainableDatasets(form.method);
  // A draft's or link's choice only while it is still on offer (a model deleted since, a dataset not ready).
  const model = models.data?.some((m) => m.id === form.model) ? form.model : (models.data?.[0]?.id ?? '');
  const offered = (id: string) => (datasets.data?.some((d) => d.id === id) ? id : '');
  const dataset = offered(form.dataset);
  const sources = useMemo(() => form.sources.map((s) => ({ ...s, dataset: offered(s.dataset) })), [form.sources, datasets.data]); // eslint-disable-line react-hooks/exhaustive-deps
  const body = useMemo(() => buildJobRequest({ ...form, model, dataset, sources }), [form, model, dataset, sources]);
  const chosen = form.mix ? sources.filter((s) => s.dataset !== '').map((s) => s.dataset) : dataset ? [dataset] : [];
  const ready = model !== '' && chosen.length > 0;
  const planned = useDebounced(body, 300);
  // Ready by the settled body too: for 300 ms after a choice it is still the one before it.
  const plan = useJobPlan(planned, ready && planned.model !== '' && Boolean(planned.dataset || planned.datasets?.length));
  const create = useCreateJob();
  useEffect(() => saveDraft(form), [form]);
  // `?from=<job id>` (the job page's "Clone"): its request fills the form once; the address then
  // drops `from`, so a reload keeps later edits (the draft) rather than cloning again.
  const [fromId] = useState(() => new URLSearchParams(window.location.search).get('from'));
  const source = useSourceJob(fromId);
  const [clonedFrom, setClonedFrom] = useState<string | null>(null);
  useEffect(() => {
    if (!source.data || clonedFrom !== null) return;
    setForm(formFromRequest(source.data.request));
    setClonedFrom(source.data.name);
    navigate(paths.newJob(), { replace: true });
  }, [source.data, clonedFrom]);
  const ids = { model: useId(), dataset: useId(), name: useId(), method: useId(), budget: useId(), steps: useId(), packing: useId(), err: useId() };

  // The launch's error while it is the latest word, else the dry run's.
  const error = create.error ?? (plan.isPlaceholderData ? null : plan.error);
  const apiError = error instanceof ApiError ? error : null;
  const errors = fieldErrors(apiError);
  const rowErrors = form.mix ? mixRowErrors(apiError, buildMixEntries(sources).rowOf) : {};
  const unplaced = error && Object.keys(errors).length === 0;
  const resolved = plan.data && !plan.error ? plan.data.resolved : null;
  const resolvedValue = (k: string) => resolved?.[k]?.value;
  const seqLen = typeof resolvedValue('max_seq_len') === 'number' ? (resolvedValue('max_seq_len') as number) : null;
  const nameOf = (id: string) => datasets.data?.find((d) => d.id === id)?.name ?? id;

  const set = <K extends keyof NewJobForm>(key: K, v: NewJobForm[K]) => {
    create.reset();
    setForm((f) => ({ ...f, [key]: v }));
  };
  const launch = (e: FormEvent) => {
    e.preventDefault();
    if (!ready || create.isPending) return;
    create.mutate(body, {
      onSuccess: (job) => {
        saveDraft(null);
        navigate(paths.job(job.id));
      },
    });
  };
  const describedBy = (field: FormField, ...more: string[]) => [errors[field] ? `${ids.err}-${field}` : '', ...more].filter(Boolean).join(' ') || undefined;
  const fieldError = (field: FormField) => errors[field] && <FieldError id={`${ids.err}-${field}`} message={errors[field]!} hint={apiError?.hint} />;
  const auto = (field: FormField & keyof NewJobForm, label: string) => (
    <AutoNumberField name={field} label={label} value={form[field] as AutoNumber} onChange={(v) => set(field, v as never)} resolved={resolvedValue(field)} error={errors[field]} hint={apiError?.hint} />
  );

  if (models.error) return <ErrorMessage error={models.error} onRetry={() => void models.refetch()} />;
  if (datasets.error) return <ErrorMessage error={datasets.error} onRetry={() => void datasets.refetch()} />;
  if (!models.data || !datasets.data) return <Loading />;
  if (models.data.length === 0) return <p className="muted">{t('noModels')}</p>;

  return (
    <form className="new-job-form" onSubmit={launch} noValidate>
      <p className="muted">{t('intro')}</p>
      {source.error && <ErrorMessage error={source.error} />}
      {clonedFrom !== null && (
        <p role="status" className="cloned">
          {t('clonedFrom')} <span translate="no">{clonedFrom}</span>
        </p>
      )}
      <Section title={t('basics')} id="basics">
        <div className="field">
          <label htmlFor={ids.model}>{t('model')}</label>
          <select id={ids.model} name="model" value={model} onChange={(e) => set('model', e.target.value)} aria-invalid={errors.model ? true : undefined} aria-describedby={describedBy('model')}>
            {models.data.map((m) => (
              <option key={m.id} value={m.id} translate="no">
                {m.name}
              </option>
            ))}
          </select>
          {fieldError('model')}
        </div>
        {datasets.data.length === 0 ? (
          <p className="muted">
            {t('noDatasets')} <Link href={paths.data()}>{t('goData')}</Link>
          </p>
        ) : (
          <>
            <fieldset className="data-source">
              <legend>{t('dataSource')}</legend>
              <div className="radios">
                <label className="check">
                  <input type="radio" name="data-source" value="one" checked={!form.mix} onChange={() => set('mix', false)} />
                  <span>{t('dataOne')}</span>
                </label>
                <label className="check">
                  <input type="radio" name="data-source" value="mix" checked={form.mix} onChange={() => set('mix', true)} />
                  <span>{t('dataMix')}</span>
                </label>
              </div>
            </fieldset>
            {form.mix ? (
              <>
                <MixBuilder sources={sources} datasets={datasets.data} onChange={(v) => set('sources', v)} errors={rowErrors} hint={apiError?.hint} />
                {errors.dataset && Object.keys(rowErrors).length === 0 && fieldError('dataset')}
                {chosen.length === 0 && <p className="muted">{t('mixChooseFirst')}</p>}
              </>
            ) : (
              <div className="field">
                <label htmlFor={ids.dataset}>{t('dataset')}</label>
                <select
                  id={ids.dataset}
                  name="dataset"
                  value={dataset}
                  onChange={(e) => set('dataset', e.target.value)}
                  aria-invalid={errors.dataset ? true : undefined}
                  aria-describedby={describedBy('dataset', `${ids.dataset}-fit`)}
                >
                  <option value="">{t('chooseDataset')}</option>
                  {datasets.data.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name} · {t('datasetRows', { rows: d.rows })}
                    </option>
                  ))}
                </select>
                {fieldError('dataset')}
              </div>
            )}
            <div id={`${ids.dataset}-fit`} className="fits">
              {[...new Set(chosen)].map((id) => (
                <DataFit key={id} dataset={id} model={model} maxSeqLen={form.method === 'pretrain' ? null : seqLen} label={form.mix ? nameOf(id) : undefined} />
              ))}
              {resolved?.truncated_answers && (
                <p className="truncation" data-truncated={(resolved.truncated_answers.value as { count?: number }).count}>
                  {t('truncation')} <span translate="no">{resolved.truncated_answers.reason}</span>
                </p>
              )}
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor={ids.name}>{t('name')}</label>
          <input id={ids.name} name="name" type="text" value={form.name} placeholder={t('namePlaceholder')} onChange={(e) => set('name', e.target.value)} aria-describedby={describedBy('name')} />
          {fieldError('name')}
        </div>
      </Section>

      <Section title={t('methodTuning')} id="tuning">
        <div className="field">
          <label htmlFor={ids.method}>{t('method')}</label>
          <select id={ids.method} name="method" value={form.method} onChange={(e) => set('method', e.target.value as Method)} aria-describedby={describedBy('method', `${ids.method}-help`)}>
            {METHODS.map((k) => (
              <option key={k} value={k}>
                {t(k)}
              </option>
            ))}
          </select>
          <p id={`${ids.method}-help`} className="muted small-text">
            {t(`${form.method}Help`)}
          </p>
          {fieldError('method')}
          {methodFields(form.method).length > 0 && <div className="grid">{methodFields(form.method).map((k) => <div key={k}>{auto(k, t(k))}</div>)}</div>}
        </div>
        <fieldset aria-describedby={`${ids.method}-tuning-help`}>
          <legend>{t('tuning')}</legend>
          <div className="radios">
            {TUNINGS.map((k) => (
              <label key={k} className="check">
                <input type="radio" name="tuning" value={k} checked={form.tuning === k} onChange={() => set('tuning', k)} />
                <span>{t(k)}</span>
              </label>
            ))}
          </div>
          <p id={`${ids.method}-tuning-help`} className="muted small-text">
            {t('tuningHelp')}
          </p>
          {tuningFields(form.tuning).length > 0 && <div className="grid">{tuningFields(form.tuning).map((k) => <div key={k}>{auto(k, t(k))}</div>)}</div>}
        </fieldset>
      </Section>

      <Section title={t('hyperparameters')} id="hyperparameters">
        <div className="grid">
          {auto('epochs', t('epochs'))}
          {auto('learning_rate', t('learning_rate'))}
          {auto('max_seq_len', t('max_seq_len'))}
        </div>
        <div className="grid">
          {SCHEDULE_FIELDS.map((k) => (
            <div key={k}>{auto(k, t(k))}</div>
          ))}
        </div>
        {fieldApplies('packing', form.method, form.tuning) && (
          <div className="field" data-field="packing">
            <label className="check">
              <input type="checkbox" name="packing" checked={form.packing} onChange={(e) => set('packing', e.target.checked)} aria-invalid={errors.packing ? true : undefined} aria-describedby={describedBy('packing', `${ids.packing}-help`)} />
              <span>{t('packing')}</span>
            </label>
            <p id={`${ids.packing}-help`} className="muted small-text">
              {t('packingHelp')}
            </p>
            {fieldError('packing')}
          </div>
        )}
        <div className="grid">
          <OptionalField id={ids.budget} name="budget_minutes" label={t('budget')} help={t('budgetHelp')} value={form.budget_minutes} onChange={(v) => set('budget_minutes', v)} error={fieldError('budget_minutes')} errorId={describedBy('budget_minutes')} />
          <OptionalField id={ids.steps} name="max_steps" label={t('max_steps')} help={t('maxStepsHelp')} value={form.max_steps} onChange={(v) => set('max_steps', v)} error={fieldError('max_steps')} errorId={describedBy('max_steps')} />
        </div>
      </Section>

      <Section title={t('where')} id="where">
        <ResourcesFields form={form} onChange={set} fieldError={fieldError} describedBy={describedBy} />
      </Section>

      <Section title={t('resolved')} id="resolved">
        {!ready && <p className="muted">{t('resolveFirst')}</p>}
        {ready && !resolved && apiError && <p className="muted">{t('resolveBlocked')}</p>}
        {ready && plan.isFetching && !resolved && <Loading />}
        {ready && resolved && (
          <div aria-busy={plan.isFetching} data-plan={plan.isFetching ? 'updating' : 'current'}>
            <p className="muted small-text">{t('resolvedIntro')}</p>
            {plan.data?.data_mix && <EffectiveMix mix={plan.data.data_mix} />}
            <PlanSummary resolved={resolved} rows={plan.data?.data_mix?.train ?? trainRows(datasets.data.find((d) => d.id === chosen[0])?.rows ?? 0, resolved)} />
            {plan.data && 'estimate' in plan.data && <DurationEstimate estimate={plan.data.estimate} />}
            <ResolvedValues resolved={resolved} method={form.method} tuning={form.tuning} />
          </div>
        )}
      </Section>

      {unplaced && <ErrorMessage error={error} />}
      {!unplaced && apiError && (
        <p className="field-error" role="status">
          {t('fixFirst')}
        </p>
      )}
      <div className="launch-bar">
        <button type="submit" className="button primary" disabled={!ready || create.isPending}>
          {create.isPending ? t('launching') : t('launch')}
        </button>
      </div>
    </form>
  );
}
