import type { JudgeResult, SampleJudge } from '@whetstone/core';
import type { JudgeRun, RunStatus } from './judge-calls.ts';
import { judgePairwise } from './judge-pairwise.ts';
import { judgeSingle } from './judge-single.ts';

export type { JudgedColumn, JudgeRun } from './judge-calls.ts';
export { judgePairs } from './judge-pairwise.ts';

export type JudgeOutcome = RunStatus & Pick<JudgeResult, 'scores' | 'pairs'> & { perSample: SampleJudge[] };

/**
 * Grade the columns' answers with the judge: single (a 1-10 score per answer) or pairwise (two
 * columns compared, each row judged in both orders). Every judgment is kept as written; one
 * that cannot be read is counted, never thrown. The run fails only when no request succeeds.
 */
export async function runJudge(run: JudgeRun): Promise<JudgeOutcome> {
  if (run.judge.mode === 'single') return { ...(await judgeSingle(run)), pairs: null };
  return { ...(await judgePairwise(run)), scores: null };
}
