import type uPlot from 'uplot';

let next = 0;

/**
 * The charts of one job page: they share a uPlot sync key (the cursor, and a drag-zoom or
 * double-click in one, move all of them: uPlot publishes those events to every chart with the
 * key) and "Reset zoom" resets them together.
 */
export class ChartGroup {
  readonly key = `whet-job-charts-${++next}`;
  private readonly charts = new Set<uPlot>();

  add(u: uPlot): () => void {
    this.charts.add(u);
    return () => this.charts.delete(u);
  }

  resetZoom(): void {
    for (const u of this.charts) u.setData(u.data, true);
  }
}
