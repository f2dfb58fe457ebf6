import type { JudgeScore, SampleJudge } from '@whetstone/core';
import { bootstrapInterval, parseScore, singleJudgePrompt } from '@whetstone/eval';
import { callJudge, lengthOf, mean, runStatus, type JudgeRun, type JudgeTask, type RunStatus } from './judge-calls.ts';

/**
 * Single-answer grading: one request per answer, its 1-10 score read from the judgment. A
 * judgment without a score is kept and counted unparseable; a row without an answer, or whose
 * request failed, counts as failed. Per column: the mean score with its bootstrap interval.
 */
export async function judgeSingle(run: JudgeRun): Promise<RunStatus & { scores: JudgeScore[]; perSample: SampleJudge[] }> {
  const { judge, rows, columns } = run;
  const tasks: (JudgeTask & { c: number; k: number })[] = [];
  columns.forEach((col, c) =>
    rows.forEach((row, k) => {
      const answer = col.predictions?.[k] ?? null;
      if (answer !== null) tasks.push({ c, k, messages: singleJudgePrompt({ rubric: judge.rubric, language: run.language, prompt: row.messages, reference: row.reference, answer }) });
    }),
  );
  const calls = await callJudge(tasks, run);
  const perSample: SampleJudge[] = rows.map(() => ({ scores: columns.map((col) => ({ label: col.label, score: null, judgment: null, error: null })) }));
  tasks.forEach((t, i) => Object.assign(perSample[t.k].scores![t.c], calls[i], { score: calls[i].judgment === null ? null : parseScore(calls[i].judgment!) }));
  const scores = columns.map((col, c): JudgeScore => {
    const cells = perSample.map((s) => s.scores![c]);
    const values = cells.flatMap((s) => (s.score === null ? [] : [s.score]));
    return {
      label: col.label,
      mean_score: values.length ? mean(values) : null,
      ci95: bootstrapInterval(values, mean, { resamples: judge.bootstrap_resamples, seed: judge.seed }),
      scored: values.length,
      unparseable: cells.filter((s) => s.judgment !== null && s.score === null).length,
      failed: cells.filter((s) => s.judgment === null).length,
      mean_length_chars: lengthOf(col.predictions),
    };
  });
  return { ...runStatus(calls), scores, perSample };
}
