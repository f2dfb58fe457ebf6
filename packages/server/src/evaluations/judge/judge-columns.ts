import type { Evaluation, EvaluationJudge, SampleJudge } from '@whetstone/core';
import { detectLanguage, PAIR_VERDICTS, SCORE_VERDICTS } from '@whetstone/eval';
import type { TestRow } from '../load-test-rows.ts';
import { judgeChat, type JudgeDeps } from './judge-chat.ts';
import { runJudge } from './run-judge.ts';

/**
 * The judge step of an evaluation: picks the rubric's language (asked, or that of most test
 * prompts), runs the judge over the columns' answers, and records its result and progress on
 * `evaluation.judge`. Returns the per-sample verdicts, or null when the judge failed before
 * judging anything (its error is on the result; the columns' scores stand), or when `signal`
 * cancelled it (no more requests are sent, a local judge's request in flight is aborted; the
 * judge ends `cancelled`).
 */
export async function judgeColumns(
  deps: JudgeDeps,
  evaluation: Evaluation,
  judge: EvaluationJudge,
  rows: TestRow[],
  predictions: ((string | null)[] | null)[],
  save: () => void,
  signal: AbortSignal = new AbortController().signal,
): Promise<SampleJudge[] | null> {
  const result = evaluation.judge!;
  const language = judge.language === 'auto' ? detectLanguage(rows.map((r) => r.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '')) : judge.language;
  Object.assign(result, { status: 'running', language });
  save();
  // Constrained: only the verdict strings. Otherwise free text, but a deployment keeps its own label default.
  const labels = judge.constrain ? (judge.mode === 'single' ? SCORE_VERDICTS[language] : PAIR_VERDICTS) : judge.model.kind === 'deployment' ? null : [];
  try {
    const out = await runJudge({
      judge,
      language,
      rows,
      columns: evaluation.models.map((m, i) => ({ label: m.label, predictions: predictions[i] })),
      baseline: evaluation.baseline,
      chat: judgeChat(judge.model, deps, labels, signal),
      signal,
      onProgress: (done, total) => {
        result.progress = { done, total };
        if (done === total || done % 10 === 0) save();
      },
    });
    if (signal.aborted) return cancelled();
    Object.assign(result, { status: out.status, error: out.error, scores: out.scores, pairs: out.pairs });
    save();
    return out.perSample;
  } catch (e) {
    if (signal.aborted) return cancelled();
    // The judge could not be reached at all (deleted since the evaluation was created).
    const err = e as { code?: string; message?: string; hint?: string };
    Object.assign(result, { status: 'failed', error: { code: err.code ?? 'INTERNAL', message: err.message ?? String(e), hint: err.hint ?? 'See the server log.' } });
    save();
    return null;
  }

  function cancelled(): null {
    result.status = 'cancelled';
    save();
    return null;
  }
}
