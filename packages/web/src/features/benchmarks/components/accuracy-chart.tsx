import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import type { Benchmark } from '../api/benchmark-types.ts';
import { benchmarksMessages } from '../benchmarks.i18n.ts';

const ROW = 28;
const LABEL_W = 170;
const BAR_W = 300;
const VALUE_W = 60;

/** Overall accuracy per model as horizontal SVG bars (0-100%), in ranking order, unfinished models last. */
export function AccuracyChart({ benchmark }: { benchmark: Benchmark }) {
  const t = useT(benchmarksMessages);
  const f = useFormatters();
  const ranked = benchmark.ranking.map((r) => benchmark.models.find((m) => m.model_id === r.model_id)!);
  const models = [...ranked, ...benchmark.models.filter((m) => !ranked.includes(m))];
  const pct = (acc: number | null) => (acc === null ? '–' : `${f.number(acc * 100, 1)}%`);
  const described = models.map((m) => `${m.label}: ${pct(m.acc)}`).join(', ');
  return (
    <figure className="bar-chart accuracy-chart">
      <figcaption>{t('chart')}</figcaption>
      <div translate="no">
        <svg width={LABEL_W + BAR_W + VALUE_W} height={models.length * ROW + 4} role="img" aria-label={`${t('chartLabel')}: ${described}`}>
          {models.map((m, i) => {
            const y = i * ROW + 2;
            const w = m.acc === null ? 0 : Math.max(1, Math.min(1, Math.max(0, m.acc)) * BAR_W);
            return (
              <g key={m.model_id} data-bar={m.label}>
                <text x={LABEL_W - 6} y={y + ROW / 2 + 4} textAnchor="end" className="bar-label">
                  {m.label.length > 24 ? `${m.label.slice(0, 23)}…` : m.label}
                </text>
                <rect x={LABEL_W} y={y + 3} width={BAR_W} height={ROW - 8} className="bar-track" />
                <rect x={LABEL_W} y={y + 3} width={w} height={ROW - 8} className={i === 0 && m.acc !== null ? 'bar bar-best' : 'bar'} data-acc={m.acc ?? ''} />
                <text x={LABEL_W + BAR_W + 6} y={y + ROW / 2 + 4} className="bar-value">
                  {pct(m.acc)}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
    </figure>
  );
}
