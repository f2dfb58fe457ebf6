import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useT } from '../../../lib/i18n.tsx';
import { compareMessages } from '../compare.i18n.ts';
import type { AlignedRuns } from '../lib/align-runs.ts';
import { runColor } from '../lib/run-colors.ts';

const HEIGHT = 360;

export interface RunsChartProps {
  names: readonly string[];
  runs: AlignedRuns;
}

/**
 * Several jobs' loss curves on one canvas: a colour per job, training loss solid and eval loss
 * dashed, every point drawn (uPlot keeps each pixel column's min and max). Drag to zoom,
 * double-click to see everything. Loaded on demand: uPlot is not in the initial bundle.
 */
export default function RunsChart({ names, runs }: RunsChartProps) {
  const t = useT(compareMessages);
  const box = useRef<HTMLDivElement>(null);
  const figure = useRef<HTMLElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [log, setLog] = useState(false);
  const data = (): uPlot.AlignedData => [runs.steps, ...runs.columns.flat()];
  const latest = useRef(data);
  latest.current = data;

  // A new chart when the jobs or the scale change; new points of the same jobs are a setData.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const series: uPlot.Series[] = [{ label: t('step') }];
    names.forEach((name, i) => {
      const stroke = runColor(i);
      series.push({ label: t('trainLoss', { name }), stroke, width: 1.5, spanGaps: true, points: { show: false } });
      series.push({ label: t('evalLoss', { name }), stroke, width: 2, dash: [6, 4], spanGaps: true, points: { show: true, size: 5, fill: stroke } });
    });
    const width = () => Math.max(300, el.clientWidth);
    const u = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        scales: { x: { time: false }, y: log ? { distr: 4, log: 10, asinh: 0.001 } : { distr: 1 } },
        series,
        axes: [{ label: t('step') }, { label: t('lossAxis'), size: 70 }],
        cursor: { drag: { x: true, y: false, setScale: true } },
        legend: { show: true },
      },
      latest.current(),
      el,
    );
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: width(), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [names, log, t]);

  useEffect(() => {
    plot.current?.setData(latest.current());
    const fig = figure.current;
    if (!fig) return;
    fig.dataset.runs = String(runs.columns.length);
    fig.dataset.points = runs.columns.map((c) => c[0]!.filter((v) => v !== null).length).join(',');
  }, [runs]);

  return (
    <figure className="chart runs-chart" ref={figure} aria-label={t('chartLabel')}>
      <div className="chart-tools">
        <label className="check">
          <input type="checkbox" checked={log} onChange={(e) => setLog(e.target.checked)} />
          <span>{t('logScale')}</span>
        </label>
        <span className="muted small-text">{t('chartKey')}</span>
      </div>
      <div ref={box} className="chart-canvas" />
    </figure>
  );
}
