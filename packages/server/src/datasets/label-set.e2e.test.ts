import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { writeJsonl } from '../../../../test-support/toy-data.ts';

/** A toy review-sentiment set in alpaca form: 200 positive, 100 negative, 10 neutral, interleaved. */
function sentimentRows() {
  const labels = [...Array(200).fill('positive'), ...Array(100).fill('negative'), ...Array(10).fill('neutral')] as string[];
  const order = labels.map((l, i) => ({ l, i, k: (i * 7919) % labels.length })).sort((a, b) => a.k - b.k);
  return order.map(({ l, i }) => ({ instruction: 'Classify the sentiment of the review.', input: `Review ${i}: the order arrived, ${l === 'positive' ? 'great' : l === 'negative' ? 'broken' : 'fine'}.`, output: l }));
}

// A labelling dataset over the real server on 127.0.0.1: detected at upload, shown with its skew
// advice, split per label by a job, and carried by the model the real worker's job registers.
describe('labelling datasets', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;
  let datasetId = '';

  beforeAll(async () => {
    server = await testServer(home);
    api = apiAt(server.url);
    expect((await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).status).toBe(201);
    const up = await api.upload(writeJsonl(join(home, 'sentiment.jsonl'), sentimentRows()));
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    datasetId = up.body.id;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('shows the label set with its balance, and advice on the rare label', async () => {
    const expected = {
      labels: [
        { label: 'positive', count: 200, share: 0.6452 },
        { label: 'negative', count: 100, share: 0.3226 },
        { label: 'neutral', count: 10, share: 0.0323 },
      ],
      covered_share: 1,
      other_rows: 0,
    };
    expect((await api.get(`/datasets/${datasetId}`)).body.label_set).toEqual(expected);
    const r = await api.get(`/datasets/${datasetId}/stats?model=tiny`);
    expect(r.status).toBe(200);
    expect(r.body.stats.label_set).toEqual(expected);
    const skew = r.body.advice.find((a: { code: string }) => a.code === 'label_skew');
    expect(skew).toMatchObject({ level: 'warning', words: { rarest: 'neutral', most: 'positive' }, numbers: { rarest_count: 10, rarest_pct: 3.2, ratio: 20 } });
    expect(skew.message).toMatch(/Label 'neutral' has 3.2% of rows.*may never predict it/);
  });

  it("splits a job's validation and test per label (dry run)", async () => {
    const r = await api.post('/jobs?dry_run=true', { model: 'tiny', dataset: datasetId, validation_split: 0.1, test_split: 0.2, hyperparameters: { max_steps: 2 } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data_mix).toMatchObject({ stratified_by: 'label', train: 217, validation: 31, test: 62 });
    // each label keeps 70% of its rows in train, within one row
    const train = Object.fromEntries(r.body.label_set.labels.map((l: { label: string; count: number }) => [l.label, l.count]));
    expect(Math.abs(train.positive - 140)).toBeLessThanOrEqual(1);
    expect(Math.abs(train.negative - 70)).toBeLessThanOrEqual(1);
    expect(Math.abs(train.neutral - 7)).toBeLessThanOrEqual(1);
  });

  it('asks the worker for a validation share kept per label when it holds one out itself', async () => {
    const created = await api.post('/jobs', { model: 'tiny', dataset: datasetId, hyperparameters: { max_steps: 1, batch_size: 4, gradient_accumulation_steps: 1, lora_r: 4, max_seq_len: 64 } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const job = await api.waitFor(created.body.id, ['succeeded', 'failed'], 300_000);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const spec = JSON.parse(readFileSync(join(home, 'jobs', job.id, 'spec.json'), 'utf8'));
    expect(spec.data.validation_split).toBeGreaterThan(0);
    expect(spec.data.stratify_by).toEqual(['positive', 'negative', 'neutral']);
  }, 320_000);

  it("registers the job's model with the labels it was trained on", async () => {
    const created = await api.post('/jobs', {
      model: 'tiny',
      dataset: datasetId,
      test_split: 0.1,
      hyperparameters: { max_steps: 2, batch_size: 4, gradient_accumulation_steps: 1, lora_r: 4, max_seq_len: 64 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.label_set.labels.map((l: { label: string }) => l.label)).toEqual(['positive', 'negative', 'neutral']);
    const job = await api.waitFor(created.body.id, ['succeeded', 'failed'], 300_000);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const model = (await api.get(`/models/${job.output_model_id}`)).body;
    expect(model.label_set).toEqual(created.body.label_set);
  }, 320_000);
});
