import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { ApiError } from '../../../lib/api-error.ts';
import { Loading } from '../../../components/loading.tsx';
import { paths } from '../../../config/paths.ts';
import { useT } from '../../../lib/i18n.tsx';
import { navigate } from '../../../lib/router.tsx';
import { useConnectionOptions, useDatasetOptions, useJobOptions, useModelOptions } from '../api/use-evaluation-options.ts';
import { useCreateEvaluation } from '../api/use-evaluations.ts';
import { evaluationsMessages } from '../evaluations.i18n.ts';
import { evaluationRequest, type ColumnDraft, type FormProblem as Problem } from '../lib/evaluation-request.ts';
import { judgeRequest, NO_JUDGE, type JudgeDraft, type JudgeProblem } from '../lib/judge-request.ts';
import { checkpointSource, parseCheckpointSource, prefillFromUrl } from '../lib/prefill-from-url.ts';
import { JudgeFields } from './judge-fields.tsx';

/** Request fields whose refusal shows beside their control. */
const FIELDS = new Set(['dataset_id', 'few_shot_dataset_id', 'labels']);

let nextKey = 1;
const newColumn = (source = '', fewShot = 0): ColumnDraft => ({ key: nextKey++, source, fewShot, label: '' });

/**
 * New evaluation: model columns (registered models and job results, each with optional k-shot
 * prompting, and outside endpoints), one baseline, a test set (a dataset or a job's held-out
 * split), few-shot data, an optional label set, the generation parameters and an optional judge.
 */
export function EvaluationForm() {
  const t = useT(evaluationsMessages);
  const id = useId();
  const models = useModelOptions();
  const datasets = useDatasetOptions();
  const jobs = useJobOptions();
  const connections = useConnectionOptions();
  const create = useCreateEvaluation();

  // A link from a job page preselects its checkpoint and the job's held-out data (read once).
  const [prefill] = useState(() => prefillFromUrl(window.location.search));
  const [name, setName] = useState('');
  const [columns, setColumns] = useState<ColumnDraft[]>(() => [newColumn(prefill?.step ? checkpointSource(prefill.jobId, prefill.step) : '')]);
  const [baseline, setBaseline] = useState(0);
  const [testSource, setTestSource] = useState<'dataset' | 'job'>(prefill ? 'job' : 'dataset');
  const [datasetId, setDatasetId] = useState('');
  const [jobId, setJobId] = useState(prefill?.jobId ?? '');
  const [fewShotDatasetId, setFewShotDatasetId] = useState('');
  const [labels, setLabels] = useState('');
  const [maxTokens, setMaxTokens] = useState(256);
  const [temperature, setTemperature] = useState(0);
  const [limit, setLimit] = useState('');
  const [problems, setProblems] = useState<Set<Problem>>(new Set());
  const [judge, setJudge] = useState<JudgeDraft>(NO_JUDGE);
  const [judgeProblems, setJudgeProblems] = useState<JudgeProblem[]>([]);

  if (models.isPending || datasets.isPending) return <Loading />;
  if (models.error) return <ErrorMessage error={models.error} onRetry={() => void models.refetch()} />;
  if (datasets.error) return <ErrorMessage error={datasets.error} onRetry={() => void datasets.refetch()} />;
  if (models.data.length === 0) return <p className="muted">{t('noModels')}</p>;

  const base = models.data.filter((m) => !m.job_id);
  const results = models.data.filter((m) => m.job_id);
  const endpoints = connections.data ?? [];
  // Checkpoints chosen through a link (the list offers finished jobs only; a checkpoint may come from any).
  const jobName = (jid: string) => (jobs.data ?? []).find((j) => j.id === jid)?.name ?? jid;
  const checkpoints = [...new Set(columns.map((c) => c.source).filter((s) => parseCheckpointSource(s)))];
  const jobChoices = [...(jobs.data ?? []).map((j) => ({ id: j.id, name: j.name })), ...(prefill && !(jobs.data ?? []).some((j) => j.id === prefill.jobId) ? [{ id: prefill.jobId, name: prefill.jobId }] : [])];

  const hasLabels = /[^\s,，]/.test(labels);
  const update = (key: number, patch: Partial<ColumnDraft>) => setColumns((cs) => cs.map((c) => (c.key === key ? { ...c, ...patch } : c)));
  const remove = (index: number) => {
    setColumns((cs) => cs.filter((_, i) => i !== index));
    setBaseline((b) => (b === index ? 0 : b > index ? b - 1 : b));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { body, problems } = evaluationRequest({ name, columns, baseline, testSource, datasetId, jobId, fewShotDatasetId, labels, maxTokens, temperature, limit });
    const judged = judgeRequest(judge, columns.length);
    setProblems(problems);
    setJudgeProblems(judged.problems);
    if (!body || judged.problems.length) return;
    create.mutate(judged.judge ? { ...body, judge: judged.judge } : body, { onSuccess: (ev) => navigate(paths.evaluation(ev.id)) });
  };
  const problem = (p: Problem, fieldId: string) =>
    problems.has(p) ? (
      <p className="field-error" id={fieldId} role="alert">
        {t(p)}
      </p>
    ) : null;
  // The server's refusal beside the field it names (else above the button), with its hint.
  const fieldOf = (f: string | undefined) => (f === 'job_id' ? 'dataset_id' : f && FIELDS.has(f) ? f : null);
  const refusedField = create.error instanceof ApiError ? fieldOf(create.error.field) : null;
  const refusal = (field: string) => (create.error && refusedField === field ? <ErrorMessage error={create.error} /> : null);
  const err = (p: Problem) => (problems.has(p) ? { 'aria-invalid': true, 'aria-describedby': `${id}-${p}` } : {});

  return (
    <form className="eval-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-name`}>{t('nameOptional')}</label>
        <input id={`${id}-name`} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
      </div>

      <fieldset className="eval-columns">
        <legend>{t('columns')}</legend>
        <p className="muted small-text">{t('columnsHint')}</p>
        {columns.map((c, i) => (
          <div className="eval-column" key={c.key} role="group" aria-label={t('column', { n: i + 1 })} data-column={i}>
            <div className="field">
              <label htmlFor={`${id}-src-${c.key}`}>{t('source')}</label>
              <select id={`${id}-src-${c.key}`} value={c.source} onChange={(e) => update(c.key, { source: e.target.value })} {...(!c.source ? err('needSource') : {})}>
                <option value="">{t('chooseSource')}</option>
                {base.length > 0 && (
                  <optgroup label={t('baseModels')}>
                    {base.map((m) => (
                      <option key={m.id} value={`model:${m.id}`}>
                        {m.name}
                      </option>
                    ))}
                  </optgroup>
                )}
                {results.length > 0 && (
                  <optgroup label={t('jobResults')}>
                    {results.map((m) => (
                      <option key={m.id} value={`model:${m.id}`}>
                        {m.name}
                      </option>
                    ))}
                  </optgroup>
                )}
                {checkpoints.length > 0 && (
                  <optgroup label={t('checkpoints')}>
                    {checkpoints.map((src) => {
                      const cp = parseCheckpointSource(src)!;
                      return (
                        <option key={src} value={src}>
                          {t('checkpointOf', { job: jobName(cp.jobId), step: cp.step })}
                        </option>
                      );
                    })}
                  </optgroup>
                )}
                {endpoints.length > 0 && (
                  <optgroup label={t('endpoints')}>
                    {endpoints.map((conn) => (
                      <option key={conn.id} value={`endpoint:${conn.name}`}>
                        {conn.model ? `${conn.name} (${conn.model})` : conn.name}
                      </option>
                    ))}
                  </optgroup>
                )}
              </select>
            </div>
            <div className="field narrow">
              <label htmlFor={`${id}-k-${c.key}`}>{t('fewShot')}</label>
              <input id={`${id}-k-${c.key}`} type="number" min={0} max={32} step={1} value={c.fewShot} onChange={(e) => update(c.key, { fewShot: Math.max(0, Math.min(32, Math.floor(Number(e.target.value) || 0))) })} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-label-${c.key}`}>{t('columnLabel')}</label>
              <input id={`${id}-label-${c.key}`} value={c.label} maxLength={100} onChange={(e) => update(c.key, { label: e.target.value })} />
            </div>
            {hasLabels && !c.source.startsWith('endpoint:') && (
              <label className="check">
                <input type="checkbox" checked={!!c.constrain} onChange={(e) => update(c.key, { constrain: e.target.checked })} />
                <span>{t('constrainToLabels')}</span>
              </label>
            )}
            <label className="check">
              <input type="radio" name={`${id}-baseline`} checked={baseline === i} onChange={() => setBaseline(i)} aria-label={t('baselineOf', { n: i + 1 })} />
              <span aria-hidden="true">{t('baseline')}</span>
            </label>
            {columns.length > 1 && (
              <button type="button" className="button" onClick={() => remove(i)} aria-label={t('removeColumn', { n: i + 1 })}>
                {t('remove')}
              </button>
            )}
          </div>
        ))}
        {problem('needSource', `${id}-needSource`)}
        {columns.length < 8 && (
          <button type="button" className="button" onClick={() => setColumns((cs) => [...cs, newColumn(cs[cs.length - 1]?.source ?? '', 0)])}>
            {t('addColumn')}
          </button>
        )}
      </fieldset>

      <fieldset>
        <legend>{t('testSet')}</legend>
        <div className="radios" role="radiogroup" aria-label={t('testSource')}>
          <label className="check">
            <input type="radio" name={`${id}-test`} checked={testSource === 'dataset'} onChange={() => setTestSource('dataset')} />
            <span>{t('fromDataset')}</span>
          </label>
          <label className="check">
            <input type="radio" name={`${id}-test`} checked={testSource === 'job'} onChange={() => setTestSource('job')} />
            <span>{t('fromJob')}</span>
          </label>
        </div>
        {testSource === 'dataset' ? (
          <div className="field">
            <label htmlFor={`${id}-dataset`}>{t('testSet')}</label>
            {datasets.data.length === 0 && <p className="muted small-text">{t('noDatasets')}</p>}
            <select id={`${id}-dataset`} value={datasetId} onChange={(e) => setDatasetId(e.target.value)} {...err('needTestSet')}>
              <option value="">{t('chooseDataset')}</option>
              {datasets.data.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name} ({t('rows', { rows: d.rows })})
                </option>
              ))}
            </select>
          </div>
        ) : (
          <div className="field">
            <label htmlFor={`${id}-job`}>{t('job')}</label>
            <select id={`${id}-job`} value={jobId} onChange={(e) => setJobId(e.target.value)} {...err('needTestSet')}>
              <option value="">{t('chooseJob')}</option>
              {jobChoices.map((j) => (
                <option key={j.id} value={j.id}>
                  {j.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {problem('needTestSet', `${id}-needTestSet`)}
        {refusal('dataset_id')}
        <div className="field">
          <label htmlFor={`${id}-shots`}>{t('fewShotData')}</label>
          <select id={`${id}-shots`} value={fewShotDatasetId} onChange={(e) => setFewShotDatasetId(e.target.value)} aria-describedby={`${id}-shots-hint`} {...(problems.has('needFewShotData') ? { 'aria-invalid': true } : {})}>
            <option value="">{t('fewShotDefault')}</option>
            {datasets.data.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({t('rows', { rows: d.rows })})
              </option>
            ))}
          </select>
          <p id={`${id}-shots-hint`} className="muted small-text">
            {t('fewShotHint')}
          </p>
          {problem('needFewShotData', `${id}-needFewShotData`)}
          {refusal('few_shot_dataset_id')}
        </div>
        <div className="field">
          <label htmlFor={`${id}-labels`}>{t('labels')}</label>
          <input id={`${id}-labels`} value={labels} onChange={(e) => setLabels(e.target.value)} aria-describedby={`${id}-labels-hint`} {...(problems.has('labelsTooFew') || refusedField === 'labels' ? { 'aria-invalid': true } : {})} />
          <p id={`${id}-labels-hint`} className="muted small-text">
            {t('labelsHint')}
          </p>
          {problem('labelsTooFew', `${id}-labelsTooFew`)}
          {refusal('labels')}
        </div>
      </fieldset>

      <fieldset className="eval-generation">
        <legend>{t('generation')}</legend>
        <div className="field narrow">
          <label htmlFor={`${id}-max`}>{t('maxTokens')}</label>
          <input id={`${id}-max`} type="number" min={1} max={4096} step={1} value={maxTokens} onChange={(e) => setMaxTokens(Math.max(1, Math.min(4096, Math.floor(Number(e.target.value) || 1))))} />
        </div>
        <div className="field narrow">
          <label htmlFor={`${id}-temp`}>{t('temperature')}</label>
          <input id={`${id}-temp`} type="number" min={0} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(Math.max(0, Math.min(2, Number(e.target.value) || 0)))} />
        </div>
        <div className="field narrow">
          <label htmlFor={`${id}-limit`}>{t('limit')}</label>
          <input id={`${id}-limit`} type="number" min={1} step={1} value={limit} onChange={(e) => setLimit(e.target.value.replace(/[^0-9]/g, ''))} />
        </div>
      </fieldset>

      <JudgeFields value={judge} onChange={setJudge} problems={judgeProblems} />

      {create.error && !refusedField && <ErrorMessage error={create.error} />}
      <div className="actions">
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? t('creating') : t('create')}
        </button>
      </div>
    </form>
  );
}
