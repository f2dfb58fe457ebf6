import { useId, useState } from 'react';
import { ErrorMessage } from '../../../components/error-message.tsx';
import { Loading } from '../../../components/loading.tsx';
import { useT } from '../../../lib/i18n.tsx';
import type { Evaluation, EvaluationSample, SampleSort } from '../api/evaluation-types.ts';
import { useEvaluationSamples } from '../api/use-evaluation-samples.ts';
import { evaluationsMessages } from '../evaluations.i18n.ts';
import { judgeMessages } from '../judge.i18n.ts';
import { SampleDialog } from './sample-dialog.tsx';
import { VerdictSummary } from './sample-verdicts.tsx';

const PAGE = 10;

/** The prompt shown in a row: the last user message. */
const promptOf = (s: EvaluationSample) => [...s.messages].reverse().find((m) => m.role === 'user')?.content ?? s.messages[s.messages.length - 1]?.content ?? '';

/**
 * The per-sample view: prompt, reference and each model's answer, sorted worst first (by a
 * chosen column's BLEU-4) or by disagreement, paged; a row's details open in a dialog with
 * the differences to the reference highlighted; with a judge, its verdicts beside the answers.
 */
export function SampleList({ evaluation }: { evaluation: Evaluation }) {
  const t = useT(evaluationsMessages);
  const tj = useT(judgeMessages);
  const id = useId();
  const [sort, setSort] = useState<SampleSort>('worst');
  const [label, setLabel] = useState('');
  const [offset, setOffset] = useState(0);
  const [open, setOpen] = useState<EvaluationSample | null>(null);
  const judge = evaluation.judge;
  const version = judge ? `${judge.status}:${judge.judge}:${judge.mode}:${judge.rubric}` : undefined;
  const samples = useEvaluationSamples(evaluation.id, { sort, label: sort === 'worst' && label ? label : undefined, limit: PAGE, offset, version }, true);
  const judged = Boolean(judge && judge.status === 'succeeded');

  const controls = (
    <div className="sample-tools">
      <div className="field inline">
        <label htmlFor={`${id}-sort`}>{t('sortBy')}</label>
        <select
          id={`${id}-sort`}
          value={sort}
          onChange={(e) => {
            setSort(e.target.value as SampleSort);
            setOffset(0);
          }}
        >
          <option value="worst">{t('sortWorst')}</option>
          <option value="disagreement">{t('sortDisagreement')}</option>
          <option value="index">{t('sortIndex')}</option>
        </select>
      </div>
      {sort === 'worst' && (
        <div className="field inline">
          <label htmlFor={`${id}-label`}>{t('rankBy')}</label>
          <select
            id={`${id}-label`}
            value={label}
            onChange={(e) => {
              setLabel(e.target.value);
              setOffset(0);
            }}
          >
            <option value="">{t('lastColumn')}</option>
            {evaluation.models.map((c, i) => (
              <option key={i} value={c.label}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
      )}
    </div>
  );

  if (samples.isPending) return <Loading />;
  if (samples.error) return <ErrorMessage error={samples.error} onRetry={() => void samples.refetch()} />;
  const { data, total } = samples.data;
  return (
    <>
      {controls}
      {data.length === 0 ? (
        <p className="muted">{t('noSamples')}</p>
      ) : (
        <div className="table-scroll">
          <table className="table sample-table" aria-busy={samples.isFetching}>
            <caption className="sr-only">{t('samples')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('index')}</th>
                <th scope="col">{t('prompt')}</th>
                <th scope="col">{t('reference')}</th>
                {evaluation.models.map((c, i) => (
                  <th scope="col" key={i}>
                    <span translate="no">{c.label}</span>
                  </th>
                ))}
                {judged && <th scope="col">{tj('judgeColumn')}</th>}
                <th scope="col">
                  <span className="sr-only">{t('details')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.map((s) => (
                <tr key={s.index} data-sample={s.index}>
                  <td className="num" translate="no">
                    {s.index + 1}
                  </td>
                  <td className="clip" translate="no">
                    {promptOf(s)}
                  </td>
                  <td className="clip" translate="no">
                    {s.reference}
                  </td>
                  {s.outputs.map((o, i) => (
                    <td key={i} className="clip" translate="no">
                      {o.prediction ?? '–'}
                    </td>
                  ))}
                  {judged && (
                    <td className="clip" data-judge-cell="">
                      <VerdictSummary judge={s.judge} />
                    </td>
                  )}
                  <td>
                    <button type="button" className="button" onClick={() => setOpen(s)} aria-label={t('showDetails', { n: s.index + 1 })}>
                      {t('details')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {total > 0 && (
        <div className="pager">
          <span className="small-text muted">{t('page', { from: offset + 1, to: Math.min(total, offset + PAGE), total })}</span>
          <button type="button" className="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            {t('previous')}
          </button>
          <button type="button" className="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
            {t('next')}
          </button>
        </div>
      )}
      {open && <SampleDialog key={open.index} sample={open} onClose={() => setOpen(null)} />}
    </>
  );
}
