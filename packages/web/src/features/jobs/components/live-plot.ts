import uPlot from 'uplot';
import type { JobSeries } from '../api/job-series.ts';
import type { ChartGroup } from './chart-group.ts';

/** A costly redraw is followed by at least this many times its cost without one. */
const REST_FACTOR = 3;

/** The y axis width of every job chart, so the stacked charts' plots line up on the steps. */
export const AXIS_SIZE = 70;

export interface LivePlotOptions {
  el: HTMLElement;
  height: number;
  opts: Omit<uPlot.Options, 'width' | 'height'>;
  /** The chart's columns, built from the series at draw time. */
  data: () => uPlot.AlignedData;
  series: JobSeries;
  group: ChartGroup;
  /** After each redraw with new data (to publish counts on the figure). */
  onData?: (u: uPlot) => void;
  onZoom?: (zoomed: boolean) => void;
}

export interface LivePlot {
  u: uPlot;
  /** Redraw with fresh columns on the next frame (a setting changed). */
  refresh(): void;
  destroy(): void;
}

/**
 * A uPlot chart that follows a job's series: points arriving in the same frame become one
 * setData, so 100,000 streaming points cost one redraw per frame, not one per point. While the
 * person has zoomed in, new points are added without moving the view. The chart joins its
 * group's cursor sync and resizes with its box.
 */
export function mountLivePlot({ el, height, opts, data, series, group, onData, onZoom }: LivePlotOptions): LivePlot {
  let zoomed = false;
  // When the last redraw started (null once drawn), how long it took and when it ended.
  let drawStart: number | null = null;
  let lastCost = 0;
  let lastEnd = 0;
  const width = () => Math.max(300, el.clientWidth);
  const u = new uPlot(
    {
      ...opts,
      width: width(),
      height,
      cursor: { ...opts.cursor, sync: { key: group.key } },
      hooks: {
        ...opts.hooks,
        setScale: [
          ...(opts.hooks?.setScale ?? []),
          (plot, key) => {
            if (key !== 'x') return;
            const xs = plot.data[0];
            const { min, max } = plot.scales.x!;
            if (min === undefined || max === undefined) return;
            const now = xs.length > 1 && (min > xs[0]! || max < xs[xs.length - 1]!);
            // A new zoom, a zoom moved, or back to all steps: the other charts follow. A redraw
            // with new points while not zoomed changes nothing here.
            if (now || now !== zoomed) group.zoomed(plot, now ? { min, max } : null);
            if (now !== zoomed) {
              zoomed = now;
              onZoom?.(now);
            }
          },
        ],
        // uPlot draws in a microtask after setData: the redraw's cost is known only here.
        draw: [
          ...(opts.hooks?.draw ?? []),
          () => {
            if (drawStart === null) return;
            lastEnd = performance.now();
            lastCost = lastEnd - drawStart;
            drawStart = null;
          },
        ],
      },
    },
    data(),
    el,
  );
  const leave = group.add(u);
  onData?.(u);
  // Redraws follow the points at most once a frame, and, when a redraw got costly (100,000
  // points take milliseconds per series), no sooner than REST_FACTOR times its cost after the
  // last one ended: the page keeps most of each frame for scrolling and input while points pour
  // in, and the last points are always drawn.
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const draw = () => {
    frame ||= requestAnimationFrame(() => {
      frame = 0;
      drawStart = performance.now();
      u.setData(data(), !zoomed);
      onData?.(u);
    });
  };
  const refresh = () => {
    if (frame || timer !== undefined) return;
    const wait = lastEnd + lastCost * REST_FACTOR - performance.now();
    if (wait <= 0) return draw();
    timer = setTimeout(() => {
      timer = undefined;
      draw();
    }, wait);
  };
  const off = series.subscribe(refresh);
  const resize = new ResizeObserver(() => u.setSize({ width: width(), height }));
  resize.observe(el);
  return {
    u,
    refresh,
    destroy() {
      off();
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      resize.disconnect();
      leave();
      u.destroy();
    },
  };
}
