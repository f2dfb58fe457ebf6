import type { EvaluationJudge, JudgeResult } from '@whetstone/core';
import { rubricName } from '@whetstone/eval';

/** The judge's result as it stands before the columns have answered. */
export function pendingJudge(judge: EvaluationJudge, name: string): JudgeResult {
  return {
    judge: name,
    request: judge,
    mode: judge.mode,
    rubric: rubricName(judge.rubric),
    language: judge.language === 'zh' ? 'zh' : 'en', // auto is settled from the test prompts when the judge starts
    status: 'queued',
    error: null,
    progress: { done: 0, total: 0 },
    scores: null,
    pairs: null,
  };
}
