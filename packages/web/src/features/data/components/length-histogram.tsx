import { useId } from 'react';
import { useT } from '../../../lib/i18n.tsx';
import { useFormatters } from '../../../lib/use-formatters.ts';
import { datasetDetailMessages } from '../data.i18n.ts';
import type { LengthBin } from '../utils/length-bins.ts';

const W = 720;
const H = 220;
const PAD = { left: 48, right: 12, top: 18, bottom: 36 };

/**
 * Samples per length as SVG bars, with lines where 95% and 99% of samples end. Each bar carries
 * its range and count as a tooltip; the figure's caption says what it shows.
 */
export function LengthHistogram({ bins, p95, p99 }: { bins: LengthBin[]; p95: number; p99: number }) {
  const t = useT(datasetDetailMessages);
  const f = useFormatters();
  const captionId = useId();
  if (bins.length === 0) return null;
  const maxCount = Math.max(1, ...bins.map((b) => b.count));
  const maxTokens = bins.at(-1)!.to;
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (tokens: number) => PAD.left + (tokens / maxTokens) * plotW;
  const y = (count: number) => PAD.top + plotH - (count / maxCount) * plotH;
  const barW = plotW / bins.length;
  const marks = [
    // A length of p tokens ends where p's bin does; 95% to the left of its line, 99% to the right.
    { at: p95 + 1, label: t('mark95'), cls: 'mark-95', anchor: 'end' as const, dx: -3 },
    { at: p99 + 1, label: t('mark99'), cls: 'mark-99', anchor: 'start' as const, dx: 3 },
  ];
  return (
    <figure className="histogram" data-bins={bins.length}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={captionId} preserveAspectRatio="xMidYMid meet">
        <line x1={PAD.left} y1={PAD.top + plotH} x2={W - PAD.right} y2={PAD.top + plotH} className="axis" />
        <line x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={PAD.top + plotH} className="axis" />
        <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end" className="tick">
          {f.number(maxCount)}
        </text>
        <text x={PAD.left - 6} y={PAD.top + plotH} textAnchor="end" className="tick">
          0
        </text>
        {bins.map((b) => (
          <rect key={b.from} className="bar" x={PAD.left + (b.from / maxTokens) * plotW + 1} y={y(b.count)} width={Math.max(1, barW - 2)} height={PAD.top + plotH - y(b.count)}>
            <title>{t('histogramBar', { from: b.from, to: b.to - 1, count: b.count })}</title>
          </rect>
        ))}
        {marks.map((m) => (
          <g key={m.cls} className={m.cls}>
            <line x1={x(m.at)} x2={x(m.at)} y1={PAD.top - 8} y2={PAD.top + plotH} />
            <text x={x(m.at) + m.dx} y={PAD.top - 2} textAnchor={m.anchor} className="tick">
              {m.label}
            </text>
          </g>
        ))}
        {[0, 0.25, 0.5, 0.75, 1].map((q) => (
          <text key={q} x={x(q * maxTokens)} y={H - PAD.bottom + 16} textAnchor="middle" className="tick">
            {f.number(Math.round(q * maxTokens))}
          </text>
        ))}
        <text x={PAD.left + plotW / 2} y={H - 4} textAnchor="middle" className="axis-label">
          {t('tokensAxis')}
        </text>
      </svg>
      <figcaption id={captionId} className="muted small-text">
        {t('histogramLabel')}
      </figcaption>
    </figure>
  );
}
