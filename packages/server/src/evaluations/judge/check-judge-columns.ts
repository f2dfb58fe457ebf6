import { WhetError, type EvaluationJudge } from '@whetstone/core';

/**
 * The rules between a judge and the columns it grades (EvaluationCreateSchema applies the same
 * at creation; a judge sent to an existing evaluation is checked here): a pairwise judge needs
 * two columns, and its pairs must name columns that exist.
 */
export function checkJudgeColumns(judge: EvaluationJudge, columns: number): void {
  if (judge.mode === 'pairwise' && columns < 2) {
    throw new WhetError('INVALID_REQUEST', 'a pairwise judge needs at least two models to compare', { field: 'mode', hint: 'Use mode "single", or evaluate two or more models.' });
  }
  for (const [i, pair] of (judge.pairs ?? []).entries()) {
    const bad = pair.find((k) => k >= columns);
    if (bad !== undefined) {
      throw new WhetError('INVALID_REQUEST', `pair ${i} names column ${bad}, but the evaluation has ${columns} (0..${columns - 1})`, { field: `pairs.${i}`, hint: 'Name columns by their index in models.' });
    }
  }
}
