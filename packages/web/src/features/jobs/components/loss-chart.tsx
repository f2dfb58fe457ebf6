import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useT } from '../../../lib/i18n.tsx';
import type { JobSeries } from '../api/job-series.ts';
import { jobsMessages } from '../jobs.i18n.ts';

const HEIGHT = 320;
const COLORS = { loss: '#1d4ed8', eval_loss: '#b45309' };

/**
 * The loss and eval-loss curves on a canvas (uPlot), every point at full resolution: uPlot
 * keeps the min and max of each pixel column, so spikes survive at 100,000 points. New points
 * are drawn once per animation frame. Drag to zoom (the view then stays put while points
 * stream in), double-click or "Reset zoom" to see everything; the log scale (arcsinh, so a loss
 * of exactly 0 stays on the chart) is a toggle. Loaded on demand: uPlot is not in the initial bundle.
 */
export default function LossChart({ series }: { series: JobSeries }) {
  const t = useT(jobsMessages);
  const box = useRef<HTMLDivElement>(null);
  const figure = useRef<HTMLElement>(null);
  const [log, setLog] = useState(false);
  const [zoomed, setZoomed] = useState(false);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data = (): uPlot.AlignedData => [series.steps, series.columns.loss, series.columns.eval_loss];
    let isZoomed = false;
    const opts: uPlot.Options = {
      width: Math.max(300, el.clientWidth),
      height: HEIGHT,
      scales: {
        x: { time: false },
        y: log ? { distr: 4, log: 10, asinh: 0.001 } : { distr: 1 },
      },
      series: [
        { label: t('step') },
        { label: t('trainLoss'), stroke: COLORS.loss, width: 1.5, spanGaps: false, points: { show: false } },
        { label: t('evalLoss'), stroke: COLORS.eval_loss, width: 2, spanGaps: true, points: { show: true, size: 6, fill: COLORS.eval_loss } },
      ],
      axes: [{ label: t('step') }, { label: t('lossAxis') }],
      cursor: { drag: { x: true, y: false, setScale: true } },
      legend: { show: true },
      hooks: {
        setScale: [
          (u, key) => {
            if (key !== 'x') return;
            const xs = u.data[0];
            const min = u.scales.x!.min;
            const max = u.scales.x!.max;
            const now = xs.length > 1 && min !== undefined && max !== undefined && (min > xs[0]! || max < xs[xs.length - 1]!);
            if (now !== isZoomed) {
              isZoomed = now;
              setZoomed(now);
            }
          },
        ],
      },
    };
    const u = new uPlot(opts, data(), el);
    plot.current = u;
    const mark = () => {
      if (!figure.current) return;
      figure.current.dataset.points = String(series.counts.loss);
      figure.current.dataset.evalPoints = String(series.counts.eval_loss);
    };
    mark();
    let frame = 0;
    const off = series.subscribe(() => {
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        u.setData(data(), !isZoomed);
        mark();
      });
    });
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(300, el.clientWidth), height: HEIGHT }));
    resize.observe(el);
    return () => {
      off();
      cancelAnimationFrame(frame);
      resize.disconnect();
      u.destroy();
      plot.current = null;
      setZoomed(false);
    };
  }, [series, log, t]);

  const reset = () => {
    const u = plot.current;
    if (u) u.setData([series.steps, series.columns.loss, series.columns.eval_loss], true);
  };

  return (
    <figure className="chart" ref={figure} aria-label={t('chartLabel')}>
      <div className="chart-tools">
        <label className="check">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} />
          <span>{t('logScale')}</span>
        </label>
        <button type="button" className="button small" onClick={reset} disabled={!zoomed}>
          {t('resetZoom')}
        </button>
        <span className="muted small-text">{t('zoomHint')}</span>
      </div>
      <div ref={box} className="chart-canvas" />
    </figure>
  );
}
