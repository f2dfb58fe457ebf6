import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { EvaluationJudge, EvaluationSample, SampleJudge } from '@whetstone/core';
import type { EvaluationDeps } from '../run-evaluation.ts';
import { samplesPath } from '../run-evaluation.ts';
import { markCancelled, type CancelRequest } from '../mark-cancelled.ts';
import { judgeColumns } from './judge-columns.ts';

/**
 * Judge a finished evaluation again (another judge, rubric or mode) from the answers it stored,
 * without generating them again: the new result replaces `evaluation.judge` and the per-sample
 * verdicts in samples.jsonl (rewritten to a temp name and renamed). A cancelled pass (`signal`)
 * leaves the judge `cancelled` and the samples without verdicts (the previous ones were replaced).
 */
export async function rejudgeEvaluation(deps: EvaluationDeps, id: string, judge: EvaluationJudge, signal: AbortSignal = new AbortController().signal): Promise<void> {
  const evaluation = deps.evaluations.get(id)!;
  const save = () => {
    deps.evaluations.update(evaluation);
    deps.onUpdate?.(evaluation);
  };
  const noteCancel = () => {
    evaluation.cancelled = { ...(signal.reason as CancelRequest), what: 'judge' };
    save();
  };
  signal.addEventListener('abort', noteCancel, { once: true });
  const path = samplesPath(deps.config.home, id);
  const samples = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as EvaluationSample);
  const rows = samples.map((s) => ({ index: s.index, messages: s.messages, reference: s.reference }));
  // A column that failed as a whole has no answers; a row that failed has none for that row.
  const predictions = evaluation.models.map((m, c) => (m.status === 'succeeded' ? samples.map((s) => s.outputs[c]?.prediction ?? null) : null));
  const verdicts = signal.aborted ? null : await judgeColumns(deps, evaluation, judge, rows, predictions, save, signal);
  signal.removeEventListener('abort', noteCancel);
  writeVerdicts(path, samples, verdicts);
  if (signal.aborted) {
    markCancelled(evaluation, signal.reason as CancelRequest);
    save();
  }
}

/** samples.jsonl with these verdicts, or with none (null), rewritten to a temp name and renamed. */
export function writeVerdicts(path: string, samples: EvaluationSample[], verdicts: SampleJudge[] | null) {
  const lines = samples.map((s, k) => {
    const { judge: _old, ...rest } = s;
    return JSON.stringify(verdicts ? { ...rest, judge: verdicts[k] } : rest);
  });
  writeFileSync(`${path}.partial`, lines.join('\n') + '\n');
  renameSync(`${path}.partial`, path);
}
