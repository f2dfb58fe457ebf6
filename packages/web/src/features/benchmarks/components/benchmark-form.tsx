import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { paths } from '../../../config/paths.ts';
import { ApiError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { navigate } from '../../../lib/router.tsx';
import { useModelOptions, useMultipleChoiceDatasets } from '../api/use-benchmark-options.ts';
import { useCreateBenchmark } from '../api/use-benchmarks.ts';
import { benchmarksMessages } from '../benchmarks.i18n.ts';
import { benchmarkRequest, type BenchmarkDraft, type FormProblem } from '../lib/benchmark-request.ts';

/** Request fields whose refusal shows beside their control. */
const FIELDS = new Set(['dataset_id', 'fewshot_dataset_id', 'num_fewshot', 'models']);

/**
 * New benchmark: a multiple-choice dataset, optional dev set for the shots, 0-5 shots, the
 * scoring method and the models to rank (base models and fine-tuned ones, checked in a list).
 */
export function BenchmarkForm() {
  const t = useT(benchmarksMessages);
  const id = useId();
  const models = useModelOptions();
  const datasets = useMultipleChoiceDatasets();
  const create = useCreateBenchmark();
  const [draft, setDraft] = useState<BenchmarkDraft>({ name: '', datasetId: '', devId: '', shots: 0, method: 'loglikelihood', limit: '', models: [] });
  const [problems, setProblems] = useState<Set<FormProblem>>(new Set());
  const set = (patch: Partial<BenchmarkDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setProblems(new Set()); // shown again at the next submit, if still there
  };

  if (models.isPending || datasets.isPending) return <Loading />;
  if (models.error) return <ErrorMessage error={models.error} onRetry={() => void models.refetch()} />;
  if (datasets.error) return <ErrorMessage error={datasets.error} onRetry={() => void datasets.refetch()} />;
  if (models.data.length === 0) return <p className="muted">{t('noModels')}</p>;

  const groups = [
    { label: t('baseModels'), rows: models.data.filter((m) => !m.job_id) },
    { label: t('tunedModels'), rows: models.data.filter((m) => m.job_id) },
  ].filter((g) => g.rows.length > 0);
  const toggle = (modelId: string, on: boolean) => set({ models: on ? [...draft.models, modelId] : draft.models.filter((m) => m !== modelId) });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, problems } = benchmarkRequest(draft);
    setProblems(problems);
    if (!body) return;
    create.mutate(body, { onSuccess: (b) => navigate(paths.benchmark(b.id)) });
  };
  const refused = create.error instanceof ApiError ? create.error.field?.replace(/\[\d+\]$/, '') : undefined;
  const refusedField = refused && FIELDS.has(refused) ? refused : null;
  const refusal = (field: string) => (create.error && refusedField === field ? <ErrorMessage error={create.error} /> : null);
  const problem = (p: FormProblem) =>
    problems.has(p) ? (
      <p className="field-error" id={`${id}-${p}`} role="alert">
        {t(p)}
      </p>
    ) : null;
  const invalid = (p: FormProblem, field?: string) => (problems.has(p) || (field && refusedField === field) ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-${p}` } : {});
  const datasetOptions = datasets.data.map((d) => (
    <option key={d.id} value={d.id}>
      {d.name} ({t('questionsCount', { n: d.rows })})
    </option>
  ));

  return (
    <form className="bench-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('nameOptional')}</label>
        <input id={`${id}-name`} value={draft.name} maxLength={200} onChange={(e) => set({ name: e.target.value })} />
      </div>
      <fieldset>
        <legend>{t('questions')}</legend>
        {datasets.data.length === 0 && <p className="muted small-text">{t('noDatasets')}</p>}
        <div className="field">
          <label htmlFor={`${id}-dataset`}>{t('dataset')}</label>
          <select id={`${id}-dataset`} value={draft.datasetId} onChange={(e) => set({ datasetId: e.target.value })} {...invalid('needDataset', 'dataset_id')}>
            <option value="">{t('chooseDataset')}</option>
            {datasetOptions}
          </select>
          {problem('needDataset')}
          {refusal('dataset_id')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-dev`}>{t('devSet')}</label>
          <select id={`${id}-dev`} value={draft.devId} onChange={(e) => set({ devId: e.target.value })} aria-describedby={`${id}-dev-hint`}>
            <option value="">{t('devDefault')}</option>
            {datasetOptions}
          </select>
          <p id={`${id}-dev-hint`} className="muted small-text">
            {t('devHint')}
          </p>
          {refusal('fewshot_dataset_id')}
        </div>
        <div className="bench-row">
          <div className="field narrow">
            <label htmlFor={`${id}-shots`}>{t('shots')}</label>
            <input id={`${id}-shots`} type="number" min={0} max={5} step={1} value={draft.shots} onChange={(e) => set({ shots: Math.max(0, Math.min(5, Math.floor(Number(e.target.value) || 0))) })} />
          </div>
          <div className="field narrow">
            <label htmlFor={`${id}-limit`}>{t('limit')}</label>
            <input id={`${id}-limit`} type="number" min={1} step={1} value={draft.limit} onChange={(e) => set({ limit: e.target.value.replace(/[^0-9]/g, '') })} />
          </div>
        </div>
        {refusal('num_fewshot')}
        <div className="radios" role="radiogroup" aria-label={t('method')}>
          {(['loglikelihood', 'chat'] as const).map((m) => (
            <label className="check" key={m}>
              <input type="radio" name={`${id}-method`} checked={draft.method === m} onChange={() => set({ method: m })} />
              <span>{t(m === 'chat' ? 'methodChat' : 'methodLoglikelihood')}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset {...(problems.has('needModels') || problems.has('tooManyModels') ? { 'aria-describedby': `${id}-${problems.has('needModels') ? 'needModels' : 'tooManyModels'}` } : {})}>
        <legend>{t('modelsToRank')}</legend>
        <p className="muted small-text">{t('modelsHint')}</p>
        {groups.map((g) => (
          <div className="bench-model-group" key={g.label} role="group" aria-label={g.label}>
            <p className="bench-group-label">{g.label}</p>
            {g.rows.map((m) => (
              <label className="check" key={m.id}>
                <input type="checkbox" checked={draft.models.includes(m.id)} onChange={(e) => toggle(m.id, e.target.checked)} />
                <span translate="no">{m.name}</span>
              </label>
            ))}
          </div>
        ))}
        {problem('needModels')}
        {problem('tooManyModels')}
        {refusal('models')}
      </fieldset>
      {create.error && !refusedField && <ErrorMessage error={create.error} />}
      <div className="actions">
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? t('creating') : t('create')}
        </button>
      </div>
    </form>
  );
}
