import type uPlot from 'uplot';

let next = 0;

/**
 * The charts of one job page. They share a uPlot sync key, so the cursor moves over all of them,
 * and a zoom in one (a drag, a double-click, "Reset zoom") is applied to the others here, so
 * the learning rate and tokens/s always show the same steps as the loss.
 */
export class ChartGroup {
  readonly key = `whet-job-charts-${++next}`;
  private readonly charts = new Set<uPlot>();
  private busy = false;

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
