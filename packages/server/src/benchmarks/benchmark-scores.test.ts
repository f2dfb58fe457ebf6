import { describe, expect, it } from 'vitest';
import type { BenchmarkModel } from '@whetstone/core';
import { rankModels, scoreQuestions } from './benchmark-scores.ts';

describe('benchmark scores', () => {
  it('accuracy overall and per subject, in the order subjects first appear', () => {
    const line = (subject: string, answer: number, pred: number, pred_norm = pred) => ({ index: 0, subject, answer, pred, pred_norm });
    const s = scoreQuestions([line('math', 0, 0), line('law', 1, 2, 1), line('math', 3, 1), line('math', 2, 2)]);
    expect(s.acc).toBe(0.5);
    expect(s.acc_norm).toBe(0.75);
    expect(s.subjects).toEqual([
      { subject: 'math', questions: 3, acc: 2 / 3, acc_norm: 2 / 3 },
      { subject: 'law', questions: 1, acc: 0, acc_norm: 1 },
    ]);
  });

  it('ranks finished models best first, ties sharing a rank, failed ones left out', () => {
    const m = (label: string, acc: number | null, status: BenchmarkModel['status'] = 'succeeded'): BenchmarkModel => ({
      model_id: label, label, status, error: null, progress: { done: 0, total: 0 }, acc, acc_norm: acc, subjects: [], questions_per_sec: null, runtime_s: null,
    });
    const r = rankModels([m('a', 0.3), m('b', 0.6), m('c', 0.3), m('d', null, 'failed')]);
    expect(r.map((x) => [x.rank, x.label])).toEqual([[1, 'b'], [2, 'a'], [2, 'c']]);
  });
});
