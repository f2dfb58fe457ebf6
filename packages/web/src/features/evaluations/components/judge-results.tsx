import { ErrorMessage } from '../../../components/error-message.tsx';
import { storedError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import type { Evaluation } from '../api/evaluation-types.ts';
import { judgeMessages } from '../judge.i18n.ts';
import { EvaluationStatusBadge } from './evaluation-status-badge.tsx';

type JudgeResult = NonNullable<Evaluation['judge']>;

/** The judge's result: who judged how, then each model's mean score or each pair's win rate, with answer lengths beside. */
export function JudgeResults({ judge }: { judge: JudgeResult }) {
  const t = useT(judgeMessages);
  const f = useFormatters();
  const interval = (ci: number[] | null, digits: number) => (ci ? `${f.number(ci[0], digits)} – ${f.number(ci[1], digits)}` : '–');
  const pct = (x: number | null) => (x === null ? '–' : `${f.number(x * 100, 1)}%`);
  return (
    <div className="judge-results" data-judge-status={judge.status}>
      <p>
        <span translate="no">{t('judgeFacts', { judge: judge.judge, mode: t(judge.mode), rubric: judge.rubric, language: judge.language })}</span> <EvaluationStatusBadge status={judge.status} />
      </p>
      {judge.status === 'queued' && <p className="muted">{t('judgeWaiting')}</p>}
      {judge.status === 'running' && (
        <p role="status" className="muted">
          {t('judgeProgress', { done: judge.progress.done, total: judge.progress.total })}
        </p>
      )}
      {judge.error && <ErrorMessage error={storedError(judge.error)} />}
      {judge.scores && (
        <div className="table-scroll">
          <table className="table judge-scores">
            <caption className="sr-only">{t('scoresCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('model')}</th>
                <th scope="col" className="num">{t('meanScore')}</th>
                <th scope="col" className="num">{t('interval')}</th>
                <th scope="col" className="num">{t('scored')}</th>
                <th scope="col" className="num">{t('unparseable')}</th>
                <th scope="col" className="num">{t('failed')}</th>
                <th scope="col" className="num">{t('length')}</th>
              </tr>
            </thead>
            <tbody>
              {judge.scores.map((s) => (
                <tr key={s.label} data-judge-model={s.label}>
                  <th scope="row" translate="no">{s.label}</th>
                  <td className="num">{s.mean_score === null ? '–' : f.number(s.mean_score, 2)}</td>
                  <td className="num">{interval(s.ci95, 2)}</td>
                  <td className="num">{s.scored}</td>
                  <td className="num">{s.unparseable}</td>
                  <td className="num">{s.failed}</td>
                  <td className="num">{f.number(s.mean_length_chars, 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {judge.pairs && (
        <>
          <div className="table-scroll">
            <table className="table judge-pairs">
              <caption className="sr-only">{t('pairsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('pair')}</th>
                  <th scope="col" className="num">{t('winRate')}</th>
                  <th scope="col" className="num">{t('interval')}</th>
                  <th scope="col" className="num">{t('wtl')}</th>
                  <th scope="col" className="num">{t('inconsistent')}</th>
                  <th scope="col" className="num">{t('invalid')}</th>
                  <th scope="col" className="num">{t('lengths')}</th>
                </tr>
              </thead>
              <tbody>
                {judge.pairs.map((p) => (
                  <tr key={`${p.a}|${p.b}`} data-judge-pair={`${p.a}|${p.b}`}>
                    <th scope="row" translate="no">{t('versus', { a: p.a, b: p.b })}</th>
                    <td className="num">{pct(p.win_rate)}</td>
                    <td className="num">{p.ci95 ? `${pct(p.ci95[0])} – ${pct(p.ci95[1])}` : '–'}</td>
                    <td className="num">{`${p.wins} / ${p.ties} / ${p.losses}`}</td>
                    <td className="num">{p.inconsistent}</td>
                    <td className="num">{p.invalid}</td>
                    <td className="num">{`${f.number(p.mean_length_chars.a, 1)} / ${f.number(p.mean_length_chars.b, 1)}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="muted small-text">{t('pairsNote')}</p>
        </>
      )}
    </div>
  );
}
