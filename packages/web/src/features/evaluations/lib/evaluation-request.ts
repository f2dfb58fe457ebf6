import type { EvaluationCreateInput, EvaluationModelRef } from '@whetstone/core';
import { parseCheckpointSource } from './prefill-from-url.ts';

/** A column as the form holds it: `source` is `model:<id>`, `checkpoint:<job id>@<step>` or `endpoint:<connection name>`. */
export interface ColumnDraft {
  key: number;
  source: string;
  fewShot: number;
  label: string;
  /** Constrain this column's answers to the label set (model and checkpoint columns, with labels given). */
  constrain?: boolean;
}

export type FormProblem = 'needSource' | 'needTestSet' | 'needFewShotData' | 'labelsTooFew';

/** What the new-evaluation form holds. */
export interface EvaluationFormValues {
  name: string;
  columns: ColumnDraft[];
  baseline: number;
  testSource: 'dataset' | 'job';
  datasetId: string;
  jobId: string;
  fewShotDatasetId: string;
  /** Comma-separated (either comma) or one per line. */
  labels: string;
  maxTokens: number;
  temperature: number;
  limit: string;
}

/**
 * The body for `POST /evaluations` from the form's values, or every problem that keeps it from
 * being sent (each shown beside its field). The server checks the body again with its schema.
 */
export function evaluationRequest(v: EvaluationFormValues): { body: EvaluationCreateInput | null; problems: Set<FormProblem> } {
  const problems = new Set<FormProblem>();
  if (v.columns.some((c) => !c.source)) problems.add('needSource');
  if (v.testSource === 'dataset' ? !v.datasetId : !v.jobId) problems.add('needTestSet');
  if (v.testSource === 'dataset' && !v.fewShotDatasetId && v.columns.some((c) => c.fewShot > 0)) problems.add('needFewShotData');
  const labels = v.labels
    .split(/[,，\n]/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (labels.length === 1) problems.add('labelsTooFew');
  if (problems.size) return { body: null, problems };
  const models = v.columns.map((c): EvaluationModelRef => {
    const [kind, ...rest] = c.source.split(':');
    const ref = rest.join(':');
    const label = c.label.trim() || undefined;
    const constrain = c.constrain && labels.length ? { constrain_to_labels: true } : {};
    const checkpoint = parseCheckpointSource(c.source);
    if (checkpoint) return { kind: 'job', job_id: checkpoint.jobId, checkpoint_step: checkpoint.step, few_shot: c.fewShot, label, ...constrain };
    return kind === 'endpoint' ? { kind: 'endpoint', connection: ref, few_shot: c.fewShot, label, timeout_s: 60, concurrency: 4 } : { kind: 'model', model_id: ref, few_shot: c.fewShot, label, ...constrain };
  });
  const body: EvaluationCreateInput = {
    name: v.name.trim() || undefined,
    models,
    baseline: v.baseline,
    generation: { max_tokens: v.maxTokens, temperature: v.temperature, top_p: 1, seed: 0 },
    ...(v.testSource === 'dataset' ? { dataset_id: v.datasetId } : { job_id: v.jobId }),
    ...(v.fewShotDatasetId ? { few_shot_dataset_id: v.fewShotDatasetId } : {}),
    ...(labels.length ? { labels } : {}),
    ...(v.limit.trim() ? { limit: Number(v.limit) } : {}),
  };
  return { body, problems };
}

