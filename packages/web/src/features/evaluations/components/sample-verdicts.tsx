import { useT } from '../../../lib/i18n.tsx';
import type { EvaluationSample } from '../api/evaluation-types.ts';
import { judgeMessages } from '../judge.i18n.ts';

type SampleJudge = NonNullable<EvaluationSample['judge']>;
type SamplePair = NonNullable<SampleJudge['pairs']>[number];

/** A pair's outcome in words: who won, a tie (saying when the orders disagreed), or not judged. */
export function useOutcomeText() {
  const t = useT(judgeMessages);
  return (p: SamplePair) =>
    p.outcome === 'a' ? t('outcomeA', { label: p.a }) : p.outcome === 'b' ? t('outcomeA', { label: p.b }) : p.outcome === 'invalid' ? t('outcomeInvalid') : p.inconsistent ? t('outcomeInconsistent') : t('outcomeTie');
}

/** The sample table's judge cell: each model's score, or each pair's outcome. */
export function VerdictSummary({ judge }: { judge: SampleJudge | undefined }) {
  const outcome = useOutcomeText();
  if (!judge) return <>–</>;
  const parts = [...(judge.scores ?? []).map((s) => `${s.label} ${s.score ?? '?'}`), ...(judge.pairs ?? []).map(outcome)];
  return <span translate="no">{parts.join(' · ')}</span>;
}

/** The sample dialog's judge part: every verdict with the judge's reason as written; a pair shows both orders. */
export function SampleVerdicts({ judge }: { judge: SampleJudge }) {
  const t = useT(judgeMessages);
  const outcome = useOutcomeText();
  const text = (j: { judgment: string | null; error: { code: string; message: string } | null }) =>
    j.error ? `${j.error.code}: ${j.error.message}` : j.judgment;
  return (
    <div className="sample-verdicts" data-verdicts="">
      <h3>{t('verdicts')}</h3>
      {(judge.scores ?? []).map((s) => (
        <div key={s.label} className="verdict" data-verdict-model={s.label}>
          <p>
            <strong translate="no">{s.label}</strong>: {s.score === null ? (s.judgment === null ? t('noScore') : t('unreadable')) : t('scoreOf', { score: s.score })}
          </p>
          {text(s) !== null && (
            <p className="sample-text small-text" translate="no" aria-label={t('reason')}>
              {text(s)}
            </p>
          )}
        </div>
      ))}
      {(judge.pairs ?? []).map((p) => (
        <div key={`${p.a}|${p.b}`} className="verdict" data-verdict-pair={`${p.a}|${p.b}`}>
          <p>
            <strong translate="no">{t('versus', { a: p.a, b: p.b })}</strong>: {outcome(p)}
          </p>
          {p.orders.map((o) => (
            <div key={o.first} data-order-first={o.first}>
              <p className="small-text">{t('order', { first: o.first, verdict: o.verdict === null ? t('unreadable') : `[[${o.verdict === 'tie' ? 'C' : o.verdict}]]` })}</p>
              {text(o) !== null && (
                <p className="sample-text small-text" translate="no" aria-label={t('reason')}>
                  {text(o)}
                </p>
              )}
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
