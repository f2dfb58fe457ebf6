import type { MetricPoint } from '@whetstone/core';

/** The columns of OpenAI's step metrics file. */
export const METRICS_CSV_COLUMNS = ['step', 'train_loss', 'train_accuracy', 'valid_loss', 'valid_mean_token_accuracy'] as const;

/**
 * A job's metrics as OpenAI's result file: one row per logged training step; validation values on
 * the steps that were evaluated, empty cells elsewhere.
 */
export function metricsCsv(points: MetricPoint[]): string {
  const at = new Map<number, Partial<Record<string, number>>>();
  for (const p of points) (at.get(p.step) ?? at.set(p.step, {}).get(p.step)!)[p.name] = p.value;
  const cell = (v: number | undefined) => (v === undefined ? '' : String(v));
  const rows = [...at.entries()]
    .filter(([, m]) => m.loss !== undefined)
    .sort(([a], [b]) => a - b)
    .map(([step, m]) => [step, cell(m.loss), cell(m.mean_token_accuracy), cell(m.eval_loss), cell(m.eval_mean_token_accuracy)].join(','));
  return [METRICS_CSV_COLUMNS.join(','), ...rows].join('\n') + '\n';
}
