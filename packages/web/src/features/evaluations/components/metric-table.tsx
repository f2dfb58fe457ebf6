import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { deltaOf, isFinished, metricOf, type Evaluation, type MetricName } from '../api/evaluation-types.ts';
import { evaluationsMessages, metricMessages } from '../evaluations.i18n.ts';
import { Delta } from './delta.tsx';
import { OverlapFlag } from './overlap-warnings.tsx';

/** Metrics (rows) by model (columns), each with its delta against the baseline column. */
export function MetricTable({ evaluation, metrics }: { evaluation: Evaluation; metrics: readonly MetricName[] }) {
  const t = useT(evaluationsMessages);
  const tm = useT(metricMessages);
  const f = useFormatters();
  if (!evaluation.models.some((c) => c.metrics)) return <p className="muted">{t(isFinished(evaluation.status) ? 'noneFinished' : 'noMetrics')}</p>;
  return (
    <div className="table-scroll">
      <table className="table metric-table">
        <caption className="sr-only">{t('metricsCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('metric')}</th>
            {evaluation.models.map((c, i) => (
              <th scope="col" key={i} className="num">
                <span translate="no">{c.label}</span>
                {i === evaluation.baseline && <span className="muted small-text"> ({t('isBaseline')})</span>}
                <OverlapFlag column={c} index={i} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {metrics.map((m) => (
            <tr key={m} data-metric={m}>
              <th scope="row">{tm(m)}</th>
              {evaluation.models.map((c, i) => {
                const v = metricOf(c, m);
                return (
                  <td key={i} className="num">
                    <span translate="no">{v === null ? '–' : f.number(v, 1)}</span> <Delta value={deltaOf(evaluation, i, m)} />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
