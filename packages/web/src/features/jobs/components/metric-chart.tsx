import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import type { JobSeries, SeriesName } from '../api/job-series.ts';
import type { ChartGroup } from './chart-group.ts';
import { AXIS_SIZE, mountLivePlot } from './live-plot.ts';

const HEIGHT = 150;

export interface MetricChartProps {
  series: JobSeries;
  group: ChartGroup;
  metric: Exclude<SeriesName, 'loss' | 'eval_loss'>;
  label: string;
  stepLabel: string;
  color: string;
  /** Tick labels for the y axis (e.g. 2e-4 for a learning rate). */
  format?: (v: number) => string;
}

/**
 * One more curve of the run (learning rate, tokens/s) under the loss chart: the same steps on
 * x, and in the loss chart's sync group, so the cursor and a zoom move all charts together.
 */
export function MetricChart({ series, group, metric, label, stepLabel, color, format }: MetricChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const figure = useRef<HTMLElement>(null);

  useEffect(() => {
    const el = box.current;
    const fig = figure.current;
    if (!el || !fig) return;
    const p = mountLivePlot({
      el,
      height: HEIGHT,
      series,
      group,
      // A learning rate or a throughput is read at a glance: four redraws a second leave the
      // frames to the loss chart while points pour in (the last points are always drawn).
      minInterval: 250,
      data: (): uPlot.AlignedData => [series.steps, series.columns[metric]],
      onData: () => (fig.dataset.points = String(series.counts[metric])),
      onZoom: (z) => (fig.dataset.zoomed = String(z)),
      opts: {
        scales: { x: { time: false } },
        series: [{ label: stepLabel }, { label, stroke: color, width: 1.5, spanGaps: true, points: { show: false } }],
        axes: [{}, { label, size: AXIS_SIZE, ...(format ? { values: (_u: uPlot, splits: number[]) => splits.map(format) } : {}) }],
        cursor: { drag: { x: true, y: false, setScale: true } },
        legend: { show: true },
      },
    });
    return () => p.destroy();
  }, [series, group, metric, label, stepLabel, color, format]);

  return (
    <figure className="metric-chart" ref={figure} data-metric={metric} aria-label={label}>
      <div ref={box} className="chart-canvas small" />
    </figure>
  );
}
