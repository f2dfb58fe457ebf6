import { Fragment } from 'react';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import type { Evaluation } from '../api/evaluation-types.ts';
import { labelMetricsMessages } from '../label-metrics.i18n.ts';

const SCORES = ['precision', 'recall', 'f1'] as const;

/** Labels (rows) by model: precision, recall and F1 under each model, one support column, macro- and weighted-F1 at the foot. */
export function LabelMetricsTable({ evaluation }: { evaluation: Evaluation }) {
  const t = useT(labelMetricsMessages);
  const f = useFormatters();
  const columns = evaluation.models.map((c, i) => [c, i] as const).filter(([c]) => c.label_metrics);
  const first = columns[0]?.[0].label_metrics;
  if (!first) return <p className="muted">{t('labelsWait')}</p>;
  const n = (v: number) => <span translate="no">{f.number(v, 1)}</span>;
  const footRow = (key: 'macroF1' | 'weightedF1', pick: 'macro_f1' | 'weighted_f1') => (
    <tr data-row={pick}>
      <th scope="row" colSpan={2}>
        {t(key)}
      </th>
      {columns.map(([c, i]) => (
        <Fragment key={i}>
          <td colSpan={2} />
          <td className="num">{n(c.label_metrics![pick])}</td>
        </Fragment>
      ))}
    </tr>
  );
  return (
    <div className="table-scroll">
      <table className="table label-metrics-table">
        <caption className="sr-only">{t('perLabelCaption')}</caption>
        <colgroup span={2} />
        {columns.map(([, i]) => (
          <colgroup key={i} span={3} className="model-group" />
        ))}
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              {t('label')}
            </th>
            <th scope="col" rowSpan={2} className="num">
              {t('support')}
            </th>
            {columns.map(([c, i]) => (
              <th scope="colgroup" colSpan={3} key={i} className="model-head">
                <span translate="no">{c.label}</span>
              </th>
            ))}
          </tr>
          <tr>
            {columns.map(([, i]) => (
              <Fragment key={i}>
                {SCORES.map((s) => (
                  <th scope="col" className="num" key={s}>
                    {t(s)}
                  </th>
                ))}
              </Fragment>
            ))}
          </tr>
        </thead>
        <tbody>
          {first.labels.map((label, row) => (
            <tr key={label} data-label={label}>
              <th scope="row">
                <span translate="no">{label}</span>
              </th>
              <td className="num">{n(first.per_label[row]!.support)}</td>
              {columns.map(([c, i]) => (
                <Fragment key={i}>
                  {SCORES.map((s) => (
                    <td className="num" key={s} data-score={s}>
                      {n(c.label_metrics!.per_label[row]![s])}
                    </td>
                  ))}
                </Fragment>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          {footRow('macroF1', 'macro_f1')}
          {footRow('weightedF1', 'weighted_f1')}
        </tfoot>
      </table>
    </div>
  );
}
