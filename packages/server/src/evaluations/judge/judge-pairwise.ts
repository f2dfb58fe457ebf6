import type { EvaluationJudge, JudgePair, SampleJudge } from '@whetstone/core';
import { pairJudgePrompt, pairwiseOutcome, parsePairVerdict, winRate } from '@whetstone/eval';
import { callJudge, lengthOf, runStatus, type JudgeRun, type JudgeTask, type RunStatus } from './judge-calls.ts';

/** The column pairs a pairwise judge compares: the request's, else every column against the baseline. */
export function judgePairs(judge: EvaluationJudge, columns: number, baseline: number): [number, number][] {
  if (judge.pairs) return judge.pairs.map(([a, b]) => [a!, b!]);
  return Array.from({ length: columns }, (_, i) => i).filter((i) => i !== baseline).map((i) => [i, baseline]);
}

/**
 * Pairwise comparison: for every pair (a, b) and row, two requests, a's answer shown first and
 * then b's (the position swap), both judgments stored. Combined with MT-Bench's rule: a winner
 * only when both orders name it, any disagreement a tie; an unreadable verdict leaves the row
 * out (invalid). Per pair: wins, ties, losses, the win rate with its bootstrap interval, and
 * both columns' mean answer length beside it.
 */
export async function judgePairwise(run: JudgeRun): Promise<RunStatus & { pairs: JudgePair[]; perSample: SampleJudge[] }> {
  const { judge, rows, columns } = run;
  const pairs = judgePairs(judge, columns.length, run.baseline);
  const tasks: (JudgeTask & { p: number; k: number; swapped: boolean })[] = [];
  pairs.forEach(([a, b], p) =>
    rows.forEach((row, k) => {
      const [answerOfA, answerOfB] = [columns[a].predictions?.[k] ?? null, columns[b].predictions?.[k] ?? null];
      if (answerOfA === null || answerOfB === null) return;
      const shown = (answerA: string, answerB: string) => pairJudgePrompt({ rubric: judge.rubric, language: run.language, prompt: row.messages, reference: row.reference, answerA, answerB });
      tasks.push({ p, k, swapped: false, messages: shown(answerOfA, answerOfB) });
      tasks.push({ p, k, swapped: true, messages: shown(answerOfB, answerOfA) });
    }),
  );
  const calls = await callJudge(tasks, run);
  const perSample: SampleJudge[] = rows.map(() => ({
    pairs: pairs.map(([a, b]) => ({
      a: columns[a].label,
      b: columns[b].label,
      orders: [
        { first: columns[a].label, verdict: null, judgment: null, error: null },
        { first: columns[b].label, verdict: null, judgment: null, error: null },
      ],
      outcome: 'invalid' as const,
      inconsistent: false,
    })),
  }));
  tasks.forEach((t, i) => {
    const order = perSample[t.k].pairs![t.p].orders[t.swapped ? 1 : 0];
    Object.assign(order, calls[i], { verdict: calls[i].judgment === null ? null : parsePairVerdict(calls[i].judgment!) });
  });
  for (const s of perSample) for (const pair of s.pairs!) Object.assign(pair, pairwiseOutcome(pair.orders[0].verdict, pair.orders[1].verdict));
  const results = pairs.map(([a, b], p): JudgePair => {
    const cells = perSample.map((s) => s.pairs![p]);
    return {
      a: columns[a].label,
      b: columns[b].label,
      ...winRate(cells.map((x) => x.outcome), { resamples: judge.bootstrap_resamples, seed: judge.seed }),
      inconsistent: cells.filter((x) => x.inconsistent).length,
      mean_length_chars: { a: lengthOf(columns[a].predictions), b: lengthOf(columns[b].predictions) },
    };
  });
  return { ...runStatus(calls), pairs: results, perSample };
}
