import type uPlot from 'uplot';

let next = 0;

/**
 * The charts of one job page. They share a uPlot sync key, so the cursor moves over all of them,
 * and a zoom in one (a drag, a double-click, "Reset zoom") is applied to the others here, so
 * the learning rate and tokens/s always show the same steps as the loss.
 *
 * Their redraws take turns: one chart per animation frame, the one that has waited longest.
 * Every redrawn canvas is a texture the browser hands to its compositor on that frame, and
 * with three canvases changing at once that hand-over alone took most of a frame (measured in
 * `npm run bench -- web`: 30 frames/s with all three in each frame, 60 with one).
 */
export class ChartGroup {
  readonly key = `whet-job-charts-${++next}`;
  private readonly charts = new Set<uPlot>();
  private busy = false;
  private readonly waiting = new Map<object, () => void>();
  private frame = 0;

  /** Runs `draw` on a coming frame, after the charts already waiting; once however often asked. */
  requestDraw(chart: object, draw: () => void): void {
    if (!this.waiting.has(chart)) this.waiting.set(chart, draw);
    this.frame ||= requestAnimationFrame(this.drawNext);
  }

  /** Forgets a chart's waiting redraw (it is being taken down). */
  cancelDraw(chart: object): void {
    this.waiting.delete(chart);
  }

  private drawNext = (): void => {
    this.frame = 0;
    const next = this.waiting.entries().next();
    if (next.done) return;
    const [chart, draw] = next.value;
    this.waiting.delete(chart);
    if (this.waiting.size > 0) this.frame = requestAnimationFrame(this.drawNext);
    draw();
  };

  add(u: uPlot): () => void {
    this.charts.add(u);
    return () => this.charts.delete(u);
  }

  /** `source` now shows `range` of the steps (null: all of them): show the same everywhere. */
  zoomed(source: uPlot, range: { min: number; max: number } | null): void {
    this.apply((u) => u !== source, range);
  }

  resetZoom(): void {
    this.apply(() => true, null);
  }

  private apply(which: (u: uPlot) => boolean, range: { min: number; max: number } | null): void {
    if (this.busy) return; // the charts being set report their own zoom back: ignore it
    this.busy = true;
    try {
      for (const u of this.charts) {
        if (!which(u)) continue;
        if (range) u.setScale('x', range);
        else u.setData(u.data, true);
      }
    } finally {
      this.busy = false;
    }
  }
}
