import { useState } from 'react';
import { PagedTable, usePageOffset } from '../../../components/paged-table.tsx';
import { TableFilter } from '../../../components/table-filter.tsx';
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
  const [sort, setSort] = useState<SampleSort>('worst');
  const [label, setLabel] = useState('');
  const { offset, setOffset, refilter } = usePageOffset();
  const [open, setOpen] = useState<EvaluationSample | null>(null);
  const judge = evaluation.judge;
  const version = judge ? `${judge.status}:${judge.judge}:${judge.mode}:${judge.rubric}` : undefined;
  const samples = useEvaluationSamples(evaluation.id, { sort, label: sort === 'worst' && label ? label : undefined, limit: PAGE, offset, version }, true);
  const judged = Boolean(judge && judge.status === 'succeeded');

  const controls = (
    <>
      <TableFilter
        label={t('sortBy')}
        value={sort}
        onChange={refilter((v) => setSort(v as SampleSort))}
      >
        <option value="worst">{t('sortWorst')}</option>
        <option value="disagreement">{t('sortDisagreement')}</option>
        <option value="index">{t('sortIndex')}</option>
      </TableFilter>
      {sort === 'worst' && (
        <TableFilter
          label={t('rankBy')}
          value={label}
          onChange={refilter(setLabel)}
        >
          <option value="">{t('lastColumn')}</option>
          {evaluation.models.map((c, i) => (
            <option key={i} value={c.label}>
              {c.label}
            </option>
          ))}
        </TableFilter>
      )}
    </>
  );

  return (
    <>
      <PagedTable
        query={samples}
        controls={controls}
        empty={t('noSamples')}
        className="sample-table"
        caption={t('samples')}
        page={{ offset, size: PAGE, onOffset: setOffset, range: (r) => t('page', r) }}
        head={
          <>
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
          </>
        }
        row={(s) => (
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
        )}
      />
      {open && <SampleDialog key={open.index} sample={open} onClose={() => setOpen(null)} />}
    </>
  );
}
