import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { useT } from '../../../lib/i18n.tsx';
import type { Evaluation } from '../api/evaluation-types.ts';
import { useJudgeAgain } from '../api/use-evaluations.ts';
import { judgeMessages } from '../judge.i18n.ts';
import { judgeRequest, NO_JUDGE, type JudgeDraft, type JudgeProblem } from '../lib/judge-request.ts';
import { JudgeFields } from './judge-fields.tsx';

/**
 * Judge a succeeded evaluation again from its stored answers (another judge, rubric or mode),
 * folded away until asked for. The server's refusal shows with its hint; while a judge runs the
 * form waits, and the results above follow the new one.
 */
export function JudgeAgainForm({ evaluation }: { evaluation: Evaluation }) {
  const t = useT(judgeMessages);
  const [draft, setDraft] = useState<JudgeDraft>(NO_JUDGE);
  const [problems, setProblems] = useState<JudgeProblem[]>([]);
  const judgeAgain = useJudgeAgain(evaluation.id);
  const judging = evaluation.judge?.status === 'queued' || evaluation.judge?.status === 'running';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { judge, problems } = judgeRequest(draft, evaluation.models.length, true);
    setProblems(problems);
    if (judge) judgeAgain.mutate(judge);
  };
  return (
    <details className="judge-again">
      <summary>{t(evaluation.judge ? 'judgeAgain' : 'judgeAnswers')}</summary>
      <form className="eval-form" onSubmit={submit} noValidate>
        <JudgeFields value={draft} onChange={setDraft} problems={problems} required />
        {judgeAgain.error && <ErrorMessage error={judgeAgain.error} />}
        {judging && <p className="muted small-text">{t('judgeBusy')}</p>}
        <div className="actions">
          <button type="submit" className="button primary" disabled={judging || judgeAgain.isPending}>
            {judgeAgain.isPending ? t('startingJudge') : t('startJudging')}
          </button>
        </div>
      </form>
    </details>
  );
}
