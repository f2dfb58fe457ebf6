import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { isFinished, metricOf, type Evaluation, type MetricName } from '../api/evaluation-types.ts';
import { evaluationsMessages, metricMessages } from '../evaluations.i18n.ts';

const ROW = 26;
const LABEL_W = 150;
const BAR_W = 220;
const VALUE_W = 50;

/** One metric across the models as horizontal SVG bars (0-100); the baseline bar in grey. */
function MetricBar({ evaluation, metric }: { evaluation: Evaluation; metric: MetricName }) {
  const t = useT(evaluationsMessages);
  const tm = useT(metricMessages);
  const f = useFormatters();
  const height = evaluation.models.length * ROW + 4;
  const title = t('chartLabel', { metric: tm(metric) });
  const values = evaluation.models.map((c) => metricOf(c, metric));
  const described = evaluation.models.map((c, i) => `${c.label}: ${values[i] === null ? '–' : f.number(values[i]!, 1)}`).join(', ');
  return (
    <figure className="bar-chart" data-metric={metric}>
      <figcaption>{tm(metric)}</figcaption>
      <div translate="no">
      <svg width={LABEL_W + BAR_W + VALUE_W} height={height} role="img" aria-label={`${title}: ${described}`}>
        {evaluation.models.map((c, i) => {
          const v = values[i];
          const w = v === null ? 0 : Math.max(1, (Math.min(100, Math.max(0, v)) / 100) * BAR_W);
          const y = i * ROW + 2;
          return (
            <g key={i} data-bar={i}>
              <text x={LABEL_W - 6} y={y + ROW / 2 + 4} textAnchor="end" className="bar-label">
                {c.label.length > 22 ? `${c.label.slice(0, 21)}…` : c.label}
              </text>
              <rect x={LABEL_W} y={y + 3} width={BAR_W} height={ROW - 8} className="bar-track" />
              <rect x={LABEL_W} y={y + 3} width={w} height={ROW - 8} className={i === evaluation.baseline ? 'bar bar-baseline' : 'bar'} />
              <text x={LABEL_W + BAR_W + 6} y={y + ROW / 2 + 4} className="bar-value">
                {v === null ? '–' : f.number(v, 1)}
              </text>
            </g>
          );
        })}
      </svg>
      </div>
    </figure>
  );
}

/** A bar chart per metric across the models (plain SVG). */
export function MetricBars({ evaluation, metrics }: { evaluation: Evaluation; metrics: readonly MetricName[] }) {
  const t = useT(evaluationsMessages);
  if (!evaluation.models.some((c) => c.metrics)) return <p className="muted">{t(isFinished(evaluation.status) ? 'noneFinished' : 'noMetrics')}</p>;
  return (
    <div className="bar-charts">
      {metrics.map((m) => (
        <MetricBar key={m} evaluation={evaluation} metric={m} />
      ))}
    </div>
  );
}
