import { useEffect, useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { Section } from '../../../components/section.tsx';
import { paths } from '../../../config/paths.ts';
import { ApiError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { Link, navigate } from '../../../lib/router.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { useDataFit, useSourceJob, useTrainableDatasets, useTrainableModels } from '../api/use-job-choices.ts';
import { useCreateJob, useJobPlan } from '../api/use-job-plan.ts';
import { newJobMessages } from '../new-job.i18n.ts';
import { plannedSteps } from '../utils/planned-steps.ts';
import { buildJobRequest, emptyForm, fieldErrors, formFromRequest, TUNING_FIELDS, type AutoNumber, type FormField, type NewJobForm, type Tuning } from '../utils/build-job-request.ts';
import { AutoNumberField, FieldError } from './auto-number-field.tsx';
import { ResolvedValues } from './resolved-values.tsx';
import './new-job.css';

const TUNINGS: Tuning[] = ['lora', 'full', 'freeze'];

const DRAFT_KEY = 'whet.newJobDraft';

/**
 * The form as last typed in this tab (a reload keeps the configuration), with `?dataset=…` or
 * `?model=…` from a link (the dataset page's "Fine-tune on this data") taking precedence.
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
  return { ...form, dataset: q.get('dataset') ?? form.dataset, model: q.get('model') ?? form.model };
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
  const datasets = useTrainableDatasets();
  const [form, setForm] = useState<NewJobForm>(initialForm);
  // A draft's or link's choice only while it is still on offer (a model deleted since, a dataset not ready).
  const model = models.data?.some((m) => m.id === form.model) ? form.model : (models.data?.[0]?.id ?? '');
  const dataset = datasets.data?.some((d) => d.id === form.dataset) ? form.dataset : '';
  const body = useMemo(() => buildJobRequest({ ...form, model, dataset }), [form, model, dataset]);
  const ready = model !== '' && dataset !== '';
  const planned = useSettled(body, 300);
  const plan = useJobPlan(planned, ready);
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
  const ids = { model: useId(), dataset: useId(), name: useId(), method: useId(), budget: useId(), steps: useId(), err: useId() };

  // The launch's error while it is the latest word, else the dry run's.
  const error = create.error ?? (plan.isPlaceholderData ? null : plan.error);
  const apiError = error instanceof ApiError ? error : null;
  const errors = fieldErrors(apiError);
  const unplaced = error && Object.keys(errors).length === 0;
  const resolved = plan.data && !plan.error ? plan.data.resolved : null;
  const resolvedValue = (k: string) => resolved?.[k]?.value;

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
            <div id={`${ids.dataset}-fit`}>{dataset && <DataFit dataset={dataset} model={model} />}</div>
          </div>
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
          <select id={ids.method} name="method" value="sft" onChange={() => undefined}>
            <option value="sft">{t('sft')}</option>
          </select>
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
          {TUNING_FIELDS[form.tuning].length > 0 && <div className="grid">{TUNING_FIELDS[form.tuning].map((k) => <div key={k}>{auto(k, t(k))}</div>)}</div>}
        </fieldset>
      </Section>

      <Section title={t('hyperparameters')} id="hyperparameters">
        <div className="grid">
          {auto('epochs', t('epochs'))}
          {auto('learning_rate', t('learning_rate'))}
          {auto('max_seq_len', t('max_seq_len'))}
        </div>
        <div className="grid">
          <Optional id={ids.budget} name="budget_minutes" label={t('budget')} help={t('budgetHelp')} value={form.budget_minutes} onChange={(v) => set('budget_minutes', v)} error={fieldError('budget_minutes')} errorId={describedBy('budget_minutes')} />
          <Optional id={ids.steps} name="max_steps" label={t('max_steps')} help={t('maxStepsHelp')} value={form.max_steps} onChange={(v) => set('max_steps', v)} error={fieldError('max_steps')} errorId={describedBy('max_steps')} />
        </div>
      </Section>

      <Section title={t('resolved')} id="resolved">
        {!ready && <p className="muted">{t('resolveFirst')}</p>}
        {ready && !resolved && apiError && <p className="muted">{t('resolveBlocked')}</p>}
        {ready && plan.isFetching && !resolved && <Loading />}
        {ready && resolved && (
          <div aria-busy={plan.isFetching} data-plan={plan.isFetching ? 'updating' : 'current'}>
            <p className="muted small-text">{t('resolvedIntro')}</p>
            {plan.data?.data_mix && <p className="small-text">{t('planned', { train: plan.data.data_mix.train, validation: plan.data.data_mix.validation })}</p>}
            <PlanSummary resolved={resolved} rows={plan.data?.data_mix?.train ?? datasets.data.find((d) => d.id === dataset)?.rows ?? 0} />
            <ResolvedValues resolved={resolved} tuning={form.tuning} />
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

/** How long the job will run: its optimizer steps, and the budget's limit when there is one. */
function PlanSummary({ resolved, rows }: { resolved: Record<string, { value: unknown }>; rows: number }) {
  const t = useT(newJobMessages);
  const f = useFormatters();
  const plan = plannedSteps(resolved, rows);
  const budget = resolved.budget?.value as { minutes?: number } | undefined;
  if (!plan) return null;
  const epochs = resolved.epochs?.value as number;
  return (
    <p className="plan-summary" data-steps={plan.steps}>
      {plan.capped ? t('planStepsCapped', { steps: plan.steps, perStep: plan.perStep }) : t('planSteps', { steps: plan.steps, perStep: plan.perStep, epochs: f.number(epochs, 1), rows })}
      {budget?.minutes !== undefined && <> {t('planBudget', { minutes: budget.minutes })}</>}
    </p>
  );
}

/** `value` once it has not changed for `ms`: one dry run per pause in typing, not per key. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(id);
  }, [value, ms]);
  return settled;
}

function Optional(p: { id: string; name: string; label: string; help: string; value: string; onChange: (v: string) => void; error: ReactNode; errorId?: string }) {
  return (
    <div className="field" data-field={p.name}>
      <label htmlFor={p.id}>{p.label}</label>
      <input
        id={p.id}
        name={p.name}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={[`${p.id}-help`, p.errorId].filter(Boolean).join(' ')}
      />
      <span id={`${p.id}-help`} className="muted small-text">
        {p.help}
      </span>
      {p.error}
    </div>
  );
}

/** Whether the chosen data fits the chosen model's context, from the token lengths with its tokenizer. */
function DataFit({ dataset, model }: { dataset: string; model: string }) {
  const t = useT(newJobMessages);
  const f = useFormatters();
  const q = useDataFit(dataset, model);
  if (q.error) return <ErrorMessage error={q.error} onRetry={() => void q.refetch()} />;
  if (!q.data || q.data.status === 'counting') {
    return (
      <p className="fit muted" role="status">
        {t('fitChecking')}
      </p>
    );
  }
  const tokens = q.data.stats.tokens;
  const ctx = q.data.model?.context_length ?? null;
  const name = q.data.model?.name ?? model;
  if (!tokens) return <p className="fit muted">{t('fitUnknown')}</p>;
  if (ctx === null) return <p className="fit">{t('fitNoContext', { p99: tokens.per_sample.p99 })}</p>;
  const over = tokens.length_counts.filter(([len]) => len > ctx).reduce((a, [, c]) => a + c, 0);
  return over > 0 ? (
    <p className="fit over" data-fit="over">
      {t('fitOver', { count: over, rows: f.number(q.data.stats.rows), ctx, model: name })}
    </p>
  ) : (
    <p className="fit" data-fit="ok">
      {t('fitOk', { p99: tokens.per_sample.p99, max: tokens.per_sample.max, ctx, model: name })}
    </p>
  );
}
