import { useEffect, useId, useRef, useState } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useT } from '../../../lib/i18n.tsx';
import type { JobSeries } from '../api/job-series.ts';
import { jobsMessages } from '../jobs.i18n.ts';
import { emaSmooth, MAX_SMOOTHING } from '../lib/ema-smooth.ts';
import type { ChartGroup } from './chart-group.ts';
import { evidenceMarksPlugin, type MarksState } from './evidence-marks-plugin.ts';
import { AXIS_SIZE, mountLivePlot, type LivePlot } from './live-plot.ts';

const HEIGHT = 320;
const COLORS = { loss: '#1d4ed8', raw: 'rgba(29, 78, 216, 0.25)', eval_loss: '#b45309' };

export interface LossChartProps {
  series: JobSeries;
  group: ChartGroup;
  smoothing: number;
  onSmoothing: (weight: number) => void;
  marks: MarksState;
}

/**
 * The loss and eval-loss curves on a canvas (uPlot), every point at full resolution: uPlot
 * keeps the min and max of each pixel column, so spikes survive at 100,000 points. The raw
 * training loss stays faint behind its smoothed curve (a debiased EMA; at 0 both are the same).
 * Drag to zoom (the view then stays put while points stream in, and the charts below follow),
 * double-click or "Reset zoom" to see everything; the log scale (arcsinh, so a loss of exactly
 * 0 stays on the chart) is a toggle. The diagnosis evidence is marked at its steps.
 */
export function LossChart({ series, group, smoothing, onSmoothing, marks }: LossChartProps) {
  const t = useT(jobsMessages);
  const box = useRef<HTMLDivElement>(null);
  const figure = useRef<HTMLElement>(null);
  const [log, setLog] = useState(false);
  const [zoomed, setZoomed] = useState(false);
  const plot = useRef<LivePlot | null>(null);
  const weight = useRef(smoothing);
  const marksRef = useRef(marks);
  const sliderId = useId();

  useEffect(() => {
    const el = box.current;
    const fig = figure.current;
    if (!el || !fig) return;
    const data = (): uPlot.AlignedData => {
      const loss = series.columns.loss;
      return [series.steps, loss, emaSmooth(loss, weight.current), series.columns.eval_loss];
    };
    const p = mountLivePlot({
      el,
      height: HEIGHT,
      series,
      group,
      data,
      onZoom: (z) => {
        setZoomed(z);
        fig.dataset.zoomed = String(z);
      },
      onData: (u) => {
        fig.dataset.points = String(series.counts.loss);
        // What the canvas holds: the rows drawn (decimated to the pixels) and the top of the y axis.
        fig.dataset.drawn = String(u.data[0].length);
        fig.dataset.yMax = String(u.scales.y?.max ?? '');
        fig.dataset.evalPoints = String(series.counts.eval_loss);
        fig.dataset.smoothing = String(weight.current);
        const smoothed = u.data[2] as (number | null)[];
        fig.dataset.smoothedLast = smoothed.length ? String(smoothed[smoothed.length - 1]) : '';
      },
      opts: {
        scales: {
          x: { time: false },
          y: log ? { distr: 4, log: 10, asinh: 0.001 } : { distr: 1 },
        },
        series: [
          { label: t('step') },
          { label: t('rawLoss'), stroke: COLORS.raw, width: 1, spanGaps: false, points: { show: false } },
          { label: t('trainLoss'), stroke: COLORS.loss, width: 1.5, spanGaps: false, points: { show: false } },
          { label: t('evalLoss'), stroke: COLORS.eval_loss, width: 2, dash: [6, 4], spanGaps: true, points: { show: true, size: 6, fill: COLORS.eval_loss } },
        ],
        axes: [{ label: t('step') }, { label: t('lossAxis'), size: AXIS_SIZE }],
        cursor: { drag: { x: true, y: false, setScale: true } },
        legend: { show: true },
        plugins: [evidenceMarksPlugin(() => marksRef.current, (n) => (fig.dataset.marks = String(n)))],
      },
    });
    plot.current = p;
    return () => {
      p.destroy();
      plot.current = null;
      setZoomed(false);
    };
  }, [series, group, log, t]);

  useEffect(() => {
    weight.current = smoothing;
    plot.current?.refresh();
  }, [smoothing]);

  useEffect(() => {
    marksRef.current = marks;
    if (figure.current) figure.current.dataset.highlight = marks.highlight === null ? '' : String(marks.highlight);
    // Redraw only the marks; a chart without points has no axes yet and draws them with its first points.
    const u = plot.current?.u;
    if (u && u.data[0].length > 0) u.redraw(false, true);
  }, [marks]);

  return (
    <figure className="chart loss-chart" ref={figure} aria-label={t('chartLabel')}>
      <div className="chart-tools">
        <label className="check" htmlFor={sliderId}>
          <span>{t('smoothing')}</span>
          <input
            id={sliderId}
            type="range"
            min={0}
            max={MAX_SMOOTHING}
            step={0.01}
            value={smoothing}
            onChange={(e) => onSmoothing(Number(e.target.value))}
            aria-valuetext={smoothing.toFixed(2)}
          />
          <output htmlFor={sliderId} className="num">
            {smoothing.toFixed(2)}
          </output>
        </label>
        <label className="check">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} />
          <span>{t('logScale')}</span>
        </label>
        <button type="button" className="button small" onClick={() => group.resetZoom()} disabled={!zoomed}>
          {t('resetZoom')}
        </button>
        <span className="muted small-text">{t('zoomHint')}</span>
      </div>
      <div ref={box} className="chart-canvas" />
    </figure>
  );
}
