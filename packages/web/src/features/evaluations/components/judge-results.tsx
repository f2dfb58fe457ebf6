import { ErrorMessage } from '../../../components/error-message.tsx';
import { storedError } from '../../../lib/api-error.ts';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import type { Evaluation } from '../api/evaluation-types.ts';
import { judgeMessages } from '../judge.i18n.ts';
import { EvaluationStatusBadge } from './evaluation-status-badge.tsx';

type JudgeResult = NonNullable<Evaluation['judge']>;

/**
 * The judge's result: who judged how, then each model's mean score or each pair's win rate, with
 * answer lengths beside. `answered`: the models have answered (a judge queued then waits for other runs).
 */
export function JudgeResults({ judge, answered }: { judge: JudgeResult; answered: boolean }) {
  const t = useT(judgeMessages);
  const f = useFormatters();
  const interval = (ci: number[] | null, digits: number) => (ci ? `${f.number(ci[0], digits)} – ${f.number(ci[1], digits)}` : '–');
  const pct = (x: number | null) => (x === null ? '–' : `${f.number(x * 100, 1)}%`);
  return (
    <div className="judge-results" data-judge-status={judge.status}>
      <p>
        <span translate="no">{t('judgeFacts', { judge: judge.judge, mode: t(judge.mode), rubric: judge.rubric, language: judge.language })}</span> <EvaluationStatusBadge status={judge.status} />
      </p>
      {judge.status === 'queued' && <p className="muted">{t(answered ? 'judgeQueued' : 'judgeWaiting')}</p>}
      {judge.status === 'running' && (
        <p role="status" className="muted">
          {t('judgeProgress', { done: judge.progress.done, total: judge.progress.total })}
        </p>
      )}
      {judge.error && <ErrorMessage error={storedError(judge.error)} />}
      {judge.scores && (
        <ResultTable
          className="judge-scores"
          caption={t('scoresCaption')}
          columns={[t('model'), t('meanScore'), t('interval'), t('scored'), t('unparseable'), t('failed'), t('length')]}
          rows={judge.scores.map((s) => ({
            key: s.label,
            data: { 'data-judge-model': s.label },
            name: s.label,
            cells: [s.mean_score === null ? '–' : f.number(s.mean_score, 2), interval(s.ci95, 2), s.scored, s.unparseable, s.failed, f.number(s.mean_length_chars, 1)],
          }))}
        />
      )}
      {judge.pairs && (
        <>
          <ResultTable
            className="judge-pairs"
            caption={t('pairsCaption')}
            columns={[t('pair'), t('winRate'), t('interval'), t('wtl'), t('inconsistent'), t('invalid'), t('lengths')]}
            rows={judge.pairs.map((p) => ({
              key: `${p.a}|${p.b}`,
              data: { 'data-judge-pair': `${p.a}|${p.b}` },
              name: t('versus', { a: p.a, b: p.b }),
              cells: [
                pct(p.win_rate),
                p.ci95 ? `${pct(p.ci95[0])} – ${pct(p.ci95[1])}` : '–',
                `${p.wins} / ${p.ties} / ${p.losses}`,
                p.inconsistent,
                p.invalid,
                `${f.number(p.mean_length_chars.a, 1)} / ${f.number(p.mean_length_chars.b, 1)}`,
              ],
            }))}
          />
          <p className="muted small-text">{t('pairsNote')}</p>
        </>
      )}
    </div>
  );
}

interface ResultRow {
  key: string;
  /** The row's data-* attributes. */
  data: Record<string, string>;
  /** The row header: a model, or a pair. */
  name: string;
  cells: (string | number)[];
}

/** One of the judge's tables: a model or pair per row, then its numbers. */
function ResultTable({ className, caption, columns, rows }: { className: string; caption: string; columns: string[]; rows: ResultRow[] }) {
  const [first, ...numeric] = columns;
  return (
    <div className="table-scroll">
      <table className={`table ${className}`}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{first}</th>
            {numeric.map((c) => (
              <th key={c} scope="col" className="num">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} {...r.data}>
              <th scope="row" translate="no">
                {r.name}
              </th>
              {r.cells.map((v, i) => (
                <td key={i} className="num">
                  {v}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
