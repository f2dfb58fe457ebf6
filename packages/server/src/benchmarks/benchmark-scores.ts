import type { Benchmark, SubjectScore } from '@whetstone/core';

/** One line of the worker's score-choices output. */
export interface ScoredQuestion {
  index: number;
  subject: string;
  answer: number;
  pred: number;
  pred_norm: number;
}

/** Accuracy overall and per subject (in the order subjects first appear), as the harness's mean of 0/1. */
export function scoreQuestions(lines: ScoredQuestion[]): { acc: number; acc_norm: number; subjects: SubjectScore[] } {
  const by = new Map<string, { n: number; acc: number; norm: number }>();
  for (const l of lines) {
    const s = by.get(l.subject) ?? { n: 0, acc: 0, norm: 0 };
    s.n++;
    s.acc += l.pred === l.answer ? 1 : 0;
    s.norm += l.pred_norm === l.answer ? 1 : 0;
    by.set(l.subject, s);
  }
  const n = lines.length;
  return {
    acc: n ? lines.filter((l) => l.pred === l.answer).length / n : 0,
    acc_norm: n ? lines.filter((l) => l.pred_norm === l.answer).length / n : 0,
    subjects: [...by].map(([subject, s]) => ({ subject, questions: s.n, acc: s.acc / s.n, acc_norm: s.norm / s.n })),
  };
}

/** Finished models, best accuracy first; equal accuracies share a rank (1, 2, 2, 4). */
export function rankModels(models: Benchmark['models']): Benchmark['ranking'] {
  const done = models.filter((m) => m.status === 'succeeded' && m.acc !== null);
  const sorted = [...done].sort((a, b) => b.acc! - a.acc! || b.acc_norm! - a.acc_norm!);
  return sorted.map((m) => ({
    rank: 1 + sorted.filter((o) => o.acc! > m.acc!).length,
    label: m.label,
    model_id: m.model_id,
    acc: m.acc!,
    acc_norm: m.acc_norm!,
  }));
}
