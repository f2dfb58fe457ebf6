import { bisect } from '../lib/bisect.ts';

/**
 * The curves the charts draw: loss and eval loss on the loss chart, the others under it (the
 * preference ones for dpo and orpo, the held-out perplexity for pretrain).
 */
export const SERIES = ['loss', 'eval_loss', 'learning_rate', 'tokens_per_sec', 'reward_margin', 'preference_accuracy', 'eval_perplexity'] as const;
export type SeriesName = (typeof SERIES)[number];

/**
 * A job's curves at full resolution: one row per step (x), a column per series, null where a
 * series has no point at that step (eval loss comes every eval_steps). Points only arrive,
 * and usually in step order, so a new step appends; a step seen before (a resumed run going
 * over its last steps again) replaces the old value. Listeners hear once per task about what
 * changed in it; the charts coalesce that into one redraw per frame. All columns share the step
 * column, so the charts under the loss chart line up with it and zoom with it.
 */
export class JobSeries {
  readonly steps: number[] = [];
  readonly columns = Object.fromEntries(SERIES.map((n) => [n, []])) as unknown as Record<SeriesName, (number | null)[]>;
  /** Points per series (rows with a value in that column). */
  readonly counts = Object.fromEntries(SERIES.map((n) => [n, 0])) as Record<SeriesName, number>;
  /** The last event sequence number applied: where a reconnect resumes. */
  lastSeq = 0;
  private listeners = new Set<() => void>();
  private version = 0;
  private noticePending = false;

  add(name: SeriesName, step: number, value: number): void {
    const row = this.rowFor(step);
    const column = this.columns[name];
    if (column[row] === null) this.counts[name]++;
    column[row] = value;
    this.version++;
    // One notice per task, however many points it added (a replay brings thousands at once):
    // listeners (the charts, the point count) then do their work once, not once per point.
    if (!this.noticePending) {
      this.noticePending = true;
      queueMicrotask(() => {
        this.noticePending = false;
        this.listeners.forEach((l) => l());
      });
    }
  }

  /** The row of `step`, inserted in order when the step is new. */
  private rowFor(step: number): number {
    const n = this.steps.length;
    if (n === 0 || this.steps[n - 1]! < step) {
      this.steps.push(step);
      for (const name of SERIES) this.columns[name].push(null);
      return n;
    }
    const lo = bisect(this.steps, step); // < n: the last step is above `step`
    if (this.steps[lo] === step) return lo;
    this.steps.splice(lo, 0, step);
    for (const name of SERIES) this.columns[name].splice(lo, 0, null);
    return lo;
  }

  /** The last step and value of a series, if any. */
  last(name: SeriesName): { step: number; value: number } | null {
    const column = this.columns[name];
    for (let i = column.length - 1; i >= 0; i--) {
      const v = column[i];
      if (v !== null && v !== undefined) return { step: this.steps[i]!, value: v };
    }
    return null;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes with every point: a snapshot key for useSyncExternalStore. */
  getVersion = (): number => this.version;
}
