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
    expect(s.counts).toMatchObject({ loss: 5, eval_loss: 2, learning_rate: 0, tokens_per_sec: 0, reward_margin: 0 });
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

  it('keeps the learning rate and tokens/s on the same step column as the loss', () => {
    const s = new JobSeries();
    s.add('loss', 1, 2.5);
    s.add('learning_rate', 1, 1e-4);
    s.add('tokens_per_sec', 1, 900);
    s.add('eval_loss', 2, 2.4);
    s.add('learning_rate', 3, 5e-5);
    expect(s.steps).toEqual([1, 2, 3]);
    expect(s.columns.learning_rate).toEqual([1e-4, null, 5e-5]);
    expect(s.columns.tokens_per_sec).toEqual([900, null, null]);
    expect(s.columns.loss).toEqual([2.5, null, null]);
    expect(s.counts).toMatchObject({ loss: 1, eval_loss: 1, learning_rate: 2, tokens_per_sec: 1 });
    // The preference and perplexity columns run along the same steps, empty for an SFT job.
    expect(s.columns.reward_margin).toEqual([null, null, null]);
    s.add('eval_perplexity', 2, 11.5);
    expect(s.columns.eval_perplexity).toEqual([null, 11.5, null]);
  });

  it('tells listeners once per task, however many points it added', async () => {
    const s = new JobSeries();
    let calls = 0;
    const off = s.subscribe(() => calls++);
    for (let step = 1; step <= 500; step++) s.add('loss', step, 1);
    expect(calls).toBe(0);
    await Promise.resolve();
    expect(calls).toBe(1);
    s.add('loss', 501, 1);
    await Promise.resolve();
    expect(calls).toBe(2);
    off();
    s.add('loss', 502, 1);
    await Promise.resolve();
    expect(calls).toBe(2);
    expect(s.getVersion()).toBe(502);
  });
});
