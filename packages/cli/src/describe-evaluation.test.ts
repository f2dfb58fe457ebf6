import { describe, expect, it } from 'vitest';
import { EvaluationSchema, METRIC_NAMES, type EvaluationColumn } from '@whetstone/core';
import { describeEvaluation } from './describe-evaluation.ts';

const metrics = Object.fromEntries(METRIC_NAMES.map((k) => [k, 10])) as NonNullable<EvaluationColumn['metrics']>;
const column = (label: string, patch: Partial<EvaluationColumn>): EvaluationColumn => ({
  label,
  ref: { kind: 'model', model_id: label, few_shot: 0 },
  status: 'succeeded',
  error: null,
  progress: { done: 5, total: 5 },
  metrics,
  deltas: null,
  failed_rows: 0,
  tokens_per_sec: null,
  ...patch,
});

// What `whet eval show` prints for a labelled evaluation (the e2e in commands/eval-run runs the binary).
describe('describeEvaluation', () => {
  const e = EvaluationSchema.parse({
    id: 'eval_1',
    name: 'sentiment',
    status: 'succeeded',
    error: null,
    dataset: { source: 'dataset', id: 'ds_1', path: '/x', rows: 5 },
    request: {},
    baseline: 0,
    created_at: '',
    finished_at: '',
    models: [
      column('base', { label_accuracy: { accuracy: 40, correct: 2, total: 5, invalid: 1 }, label_metrics: null, overlap: null }),
      column('tuned', {
        ref: { kind: 'job', job_id: 'job_7', few_shot: 0 },
        label_accuracy: { accuracy: 60, correct: 3, total: 5, invalid: 0 },
        label_metrics: {
          labels: ['positive', 'negative'],
          per_label: [
            { label: 'positive', precision: 60, recall: 100, f1: 75, support: 3 },
            { label: 'negative', precision: 0, recall: 0, f1: 0, support: 2 },
          ],
          macro_f1: 37.5,
          weighted_f1: 45,
          confusion: [
            [3, 0, 0],
            [2, 0, 0],
          ],
        },
        overlap: { job_id: 'job_7', exact: 2, normalized: 3, test_rows: 5 },
      }),
    ],
  });

  it('adds macro-F1 to the table, per-label rows and the confusion matrix, and warns about the overlap', () => {
    const out = describeEvaluation(e);
    expect(out).toMatch(/MODEL\s+STATUS.*ACCURACY\s+MACRO-F1\n/);
    expect(out).toMatch(/\ntuned\s+succeeded.*60\.00 \(0 invalid\)\s+37\.50\n/);
    expect(out).toContain('warning: tuned: 3 of 5 test rows also appear in the training data of job_7 (2 exact, 1 more once case, spacing and punctuation are ignored): those scores measure memory, not skill');
    expect(out).not.toMatch(/warning: base/);
    expect(out).toContain('tuned: macro-F1 37.50, weighted-F1 45.00');
    expect(out).toMatch(/LABEL\s+PRECISION\s+RECALL\s+F1\s+SUPPORT\npositive\s+60\.00\s+100\.00\s+75\.00\s+3\nnegative\s+0\.00\s+0\.00\s+0\.00\s+2/);
    expect(out).toMatch(/REFERENCE\s+POSITIVE\s+NEGATIVE\s+INVALID\npositive\s+3\s+0\s+0\nnegative\s+2\s+0\s+0/);
  });

  it('says nothing of overlap when no test prompt was trained on', () => {
    const clean = { ...e, models: e.models.map((m) => ({ ...m, overlap: m.overlap && { ...m.overlap, exact: 0, normalized: 0 } })) };
    expect(describeEvaluation(clean)).not.toContain('warning:');
  });
});
