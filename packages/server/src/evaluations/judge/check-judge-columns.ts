import { WhetError, type EvaluationJudge } from '@whetstone/core';

/**
 * The rules between a judge and the columns it grades, which JSON Schema cannot state (so the
 * OpenAPI document and the zod schema agree, these are checked here, at creation and when an
 * evaluation is judged again): a pairwise judge needs two columns, and each pair names two
 * different columns that exist.
 */
export function checkJudgeColumns(judge: EvaluationJudge, columns: number, prefix = 'judge.'): void {
  if (judge.mode === 'pairwise' && columns < 2) {
    throw new WhetError('INVALID_REQUEST', 'a pairwise judge needs at least two models to compare', { field: `${prefix}mode`, hint: 'Use mode "single", or evaluate two or more models.' });
  }
  for (const [i, [a, b]] of (judge.pairs ?? []).entries()) {
    const hint = `Name two different columns by their index in models (0..${columns - 1}).`;
    if (a === b) throw new WhetError('INVALID_REQUEST', `pair ${i} compares column ${a} with itself`, { field: `${prefix}pairs.${i}`, hint });
    const bad = [a, b].find((k) => k >= columns);
    if (bad !== undefined) throw new WhetError('INVALID_REQUEST', `pair ${i} names column ${bad}, but the evaluation has ${columns} (0..${columns - 1})`, { field: `${prefix}pairs.${i}`, hint });
  }
}
