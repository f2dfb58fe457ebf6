import { describe, expect, it } from 'vitest';
import { JobSeries } from './job-series.ts';

describe('JobSeries', () => {
  it('keeps every point, aligns eval loss on its step, and counts per series', () => {
    const s = new JobSeries();
    for (let step = 1; step <= 4; step++) s.add('loss', step, 4 - step * 0.5);
    s.add('eval_loss', 2, 3.1);
    s.add('eval_loss', 5, 2.0); // an eval after the last progress step
    s.add('loss', 5, 0); // a loss of exactly 0 is a point like any other
    expect(s.steps).toEqual([1, 2, 3, 4, 5]);
    expect(s.columns.loss).toEqual([3.5, 3, 2.5, 2, 0]);
    expect(s.columns.eval_loss).toEqual([null, 3.1, null, null, 2.0]);
    expect(s.counts).toEqual({ loss: 5, eval_loss: 2 });
    expect(s.last('loss')).toEqual({ step: 5, value: 0 });
  });

  it('replaces a step seen again (a resumed run) and inserts an out-of-order step in place', () => {
    const s = new JobSeries();
    for (const step of [1, 2, 4]) s.add('loss', step, step);
    s.add('loss', 2, 20);
    s.add('loss', 3, 30);
    expect(s.steps).toEqual([1, 2, 3, 4]);
    expect(s.columns.loss).toEqual([1, 20, 30, 4]);
    expect(s.counts.loss).toBe(4);
  });

  it('tells listeners about each change', () => {
    const s = new JobSeries();
    let calls = 0;
    const off = s.subscribe(() => calls++);
    s.add('loss', 1, 1);
    off();
    s.add('loss', 2, 1);
    expect(calls).toBe(1);
    expect(s.getVersion()).toBe(2);
  });
});
