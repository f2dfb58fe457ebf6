import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';

// The dry run's estimated duration over real HTTP: none before any run of the model, then from
// the speed a real tiny LoRA job measured (its tokens_per_sec points).
describe('the estimated duration of a dry run', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;
  let datasetId = '';
  const request = (extra: Record<string, unknown> = {}) => ({ model: 'tiny', dataset: datasetId, tuning: 'lora', hyperparameters: { max_steps: 8, batch_size: 4, gradient_accumulation_steps: 1 }, ...extra });

  beforeAll(async () => {
    server = await testServer(home);
    api = apiAt(server.url);
    expect((await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).status).toBe(201);
    const d = await api.upload(writeJsonl(join(home, 'toy.jsonl'), toyChatRows(32)));
    expect(d.status).toBe(201);
    datasetId = d.body.id;
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('says "none" before any run, the budget when one is given, and "history" after a finished run', async () => {
    const before = await api.post('/jobs?dry_run=true', request());
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(before.body.estimate).toEqual({ seconds: null, basis: 'none', reason: 'no earlier run of tiny with lora on this server to measure speed from', tokens_per_sec: null, runs: 0, tokens: null });
    const budget = await api.post('/jobs?dry_run=true', request({ budget: { minutes: 3 } }));
    expect(budget.body.estimate).toMatchObject({ seconds: 180, basis: 'budget' });

    const created = await api.post('/jobs', request());
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.estimate).toBeUndefined(); // the stored job does not carry it
    const done = await api.waitFor(created.body.id, ['succeeded', 'failed'], 180_000);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    const speeds = (await api.get(`/jobs/${done.id}/metrics?names=tokens_per_sec`)).body.data.map((p: { value: number }) => p.value).sort((a: number, b: number) => a - b);
    expect(speeds.length).toBeGreaterThan(0);
    const mid = Math.floor(speeds.length / 2);
    const median = speeds.length % 2 ? speeds[mid] : (speeds[mid - 1] + speeds[mid]) / 2;

    const after = await api.post('/jobs?dry_run=true', request());
    expect(after.status).toBe(200);
    const e = after.body.estimate;
    expect(e).toMatchObject({ basis: 'history', runs: 1, tokens_per_sec: median });
    // 8 steps x 4 samples x the data's mean tokens a sample, at the speed the run measured
    expect(e.reason).toMatch(/8 steps x 4 samples x \d+ tokens a sample \(the data's mean\)\) at [\d,]+ tokens\/s, the median of 1 earlier run of tiny with lora/);
    expect(e.seconds).toBeCloseTo(e.tokens / median, 6);
    // Plausible: the same request again should train within the run's wall time (which adds loading the model).
    const wall = (Date.parse(done.finished_at) - Date.parse(done.started_at)) / 1000;
    expect(e.seconds).toBeGreaterThan(0);
    expect(e.seconds).toBeLessThan(wall * 2);

    // Another tuning has no speed of its own yet.
    expect((await api.post('/jobs?dry_run=true', request({ tuning: 'full' }))).body.estimate.basis).toBe('none');
  });
});
