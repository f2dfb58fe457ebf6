import uPlot from 'uplot';
import type { JobSeries } from '../api/job-series.ts';
import { m4Rows, pickRows } from '../lib/decimate.ts';
import type { ChartGroup } from './chart-group.ts';

/** A costly redraw is followed by at least this many times its cost without one. */
const REST_FACTOR = 3;

/** The y axis width of every job chart, so the stacked charts' plots line up on the steps. */
export const AXIS_SIZE = 70;

export interface LivePlotOptions {
  el: HTMLElement;
  height: number;
  opts: Omit<uPlot.Options, 'width' | 'height'>;
  /** The chart's columns at full resolution, built from the series at draw time (drawn decimated to the plot's pixels). */
  data: () => uPlot.AlignedData;
  series: JobSeries;
  group: ChartGroup;
  /** After each redraw with new data (to publish counts on the figure). */
  onData?: (u: uPlot) => void;
  onZoom?: (zoomed: boolean) => void;
  /** While points stream in, redraw at most this often (ms): for curves read at a glance. */
  minInterval?: number;
}

export interface LivePlot {
  u: uPlot;
  /** Redraw with fresh columns on the next frame (a setting changed). */
  refresh(): void;
  destroy(): void;
}

type Range = { min: number; max: number };

/**
 * A uPlot chart that follows a job's series: points arriving in the same frame become one
 * setData, so 100,000 streaming points cost one redraw per frame, not one per point. uPlot gets
 * the M4 rows of the steps in view (per pixel column the first, last, min and max of each
 * curve), so a redraw costs a few thousand points however long the run, and every spike is
 * still drawn; a zoom is decimated again at its own resolution. While the person has zoomed in,
 * new points are added without moving the view. The chart joins its group's cursor sync and
 * resizes with its box.
 */
export function mountLivePlot({ el, height, opts, data, series, group, onData, onZoom, minInterval = 0 }: LivePlotOptions): LivePlot {
  // The steps in view, which the drawn rows were decimated for (null: all of them, not zoomed).
  let view: Range | null = null;
  // When the last redraw started (null once drawn), how long it took and when it ended.
  let drawStart: number | null = null;
  let lastCost = 0;
  let lastEnd = 0;
  const width = () => Math.max(300, el.clientWidth);
  // The columns to draw: the M4 rows of the view, a bucket per device pixel of the plot.
  const decimated = (): uPlot.AlignedData => {
    const full = data();
    const pixels = plot?.bbox.width || width() * devicePixelRatio;
    return pickRows(full, m4Rows(full, pixels, view)) as uPlot.AlignedData;
  };
  let plot: uPlot | undefined;
  // Redraws follow the points at most once a frame (taking turns with the group's other charts),
  // and, when a redraw got costly (a slow machine, a wide screen), no sooner than REST_FACTOR
  // times its cost after the last one ended: the page keeps most of each frame for scrolling and
  // input while points pour in, and the last points are always drawn.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const token = {};
  function draw() {
    group.requestDraw(token, () => {
      const mounted = plot;
      if (!mounted) return;
      drawStart = performance.now();
      const kept = decimated();
      if (view) {
        // Keep the view; setting it again makes uPlot find the rows in view and redraw.
        mounted.setData(kept, false);
        mounted.setScale('x', view);
      } else mounted.setData(kept, true);
      onData?.(mounted);
    });
  }
  function refresh() {
    if (timer !== undefined) return;
    const wait = lastEnd + Math.max(lastCost * REST_FACTOR, minInterval) - performance.now();
    if (wait <= 0) return draw();
    timer = setTimeout(() => {
      timer = undefined;
      draw();
    }, wait);
  }
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
          (self, key) => {
            if (key !== 'x') return;
            const xs = self.data[0];
            const { min, max } = self.scales.x!;
            if (min === undefined || max === undefined) return;
            // The drawn rows always hold the first and last step of the run (see m4Rows).
            const now = xs.length > 1 && (min > xs[0]! || max < xs[xs.length - 1]!);
            const range = now ? { min, max } : null;
            // A new zoom, a zoom moved, or back to all steps: the other charts follow, and the
            // rows are decimated again for the new view. A redraw with new points changes nothing here.
            if (sameRange(range, view)) return;
            const wasZoomed = view !== null;
            view = range;
            group.zoomed(self, range);
            if (now !== wasZoomed) onZoom?.(now);
            draw();
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
    decimated(),
    el,
  );
  plot = u;
  const leave = group.add(u);
  onData?.(u);
  const off = series.subscribe(refresh);
  const resize = new ResizeObserver(() => {
    u.setSize({ width: width(), height });
    refresh(); // as many buckets as the new width has pixels
  });
  resize.observe(el);
  return {
    u,
    refresh,
    destroy() {
      off();
      group.cancelDraw(token);
      clearTimeout(timer);
      resize.disconnect();
      leave();
      u.destroy();
    },
  };
}

function sameRange(a: Range | null, b: Range | null): boolean {
  return a === b || (a !== null && b !== null && a.min === b.min && a.max === b.max);
}
