import { isEvaluationFinished } from '@whetstone/core';
import type { api, Ok } from '../../../lib/api-client.ts';

/** An evaluation as `GET /api/v1/evaluations/:id` answers it (typed from the server's route). */
export type Evaluation = Ok<Awaited<ReturnType<(typeof api.evaluations)[':id']['$get']>>>;
export type EvaluationColumn = Evaluation['models'][number];
export type EvaluationStatus = Evaluation['status'];
export type SamplePage = Ok<Awaited<ReturnType<(typeof api.evaluations)[':id']['samples']['$get']>>>;
export type EvaluationSample = SamplePage['data'][number];
export type SampleSort = 'worst' | 'disagreement' | 'index';

/** The metrics shown, in order; label accuracy and macro-F1 join them when the evaluation has a label set. */
export const METRICS = ['bleu-4', 'rouge-1', 'rouge-2', 'rouge-l', 'exact_match'] as const;
export const LABEL_METRICS = ['label_accuracy', 'macro_f1'] as const;
export type MetricName = (typeof METRICS)[number] | (typeof LABEL_METRICS)[number];
const isLabelMetric = (m: MetricName): m is (typeof LABEL_METRICS)[number] => (LABEL_METRICS as readonly string[]).includes(m);

/** Succeeded, failed or cancelled: nothing more happens to it (an evaluation, a column or a judge). */
export const isFinished = (status: EvaluationStatus | undefined) => isEvaluationFinished(status);

export const evaluationKeys = {
  all: ['evaluations'] as const,
  list: () => ['evaluations', 'list'] as const,
  detail: (id: string) => ['evaluations', 'detail', id] as const,
  samples: (id: string, q: object) => ['evaluations', 'samples', id, q] as const,
};

/** A column's value of a metric (0-100), or null when it has none yet. */
export function metricOf(c: EvaluationColumn, m: MetricName): number | null {
  if (m === 'label_accuracy') return c.label_accuracy?.accuracy ?? null;
  if (m === 'macro_f1') return c.label_metrics?.macro_f1 ?? null;
  return c.metrics?.[m] ?? null;
}

/** A column's value minus the baseline column's, or null (the baseline itself, or values missing). */
export function deltaOf(e: Evaluation, index: number, m: MetricName): number | null {
  if (index === e.baseline) return null;
  const base = e.models[e.baseline];
  const col = e.models[index];
  if (!base || !col) return null;
  if (!isLabelMetric(m) && col.deltas) return col.deltas[m];
  const a = metricOf(col, m);
  const b = metricOf(base, m);
  return a === null || b === null ? null : a - b;
}
