import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows } from '../../../../test-support/toy-data.ts';

// What the console's new fine-tune form shows before launch, and its paged data preview: the real
// app over a real store, the tiny model's tokenizer, no worker.
describe('POST /api/v1/jobs?dry_run=true and GET /api/v1/datasets/:id/rows', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  let datasetId = '';
  const post = async (path: string, body: unknown) => {
    const res = await app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: res.status, body: await json(res) };
  };

  beforeAll(async () => {
    expect((await post('/api/v1/models', { path: ensureTinyModel(), name: 'tiny' })).status).toBe(201);
    const form = new FormData();
    form.set('file', new Blob([toyChatRows(45).map((r) => JSON.stringify(r)).join('\n')]), 'toy.jsonl');
    const d = await app.request('/api/v1/datasets', { method: 'POST', body: form });
    expect(d.status).toBe(201);
    datasetId = (await json(d)).id;
  });
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });

  it('resolves every "auto" value with its source and reason, and stores nothing', async () => {
    const r = await post('/api/v1/jobs?dry_run=true', { model: 'tiny', dataset: datasetId, tuning: 'lora', hyperparameters: { epochs: 'auto', learning_rate: 'auto', max_seq_len: 'auto', max_steps: 5 } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ status: 'queued', tuning: 'lora', dataset_id: datasetId, hyperparameters: { max_steps: 5 } });
    expect(r.body.resolved.epochs).toMatchObject({ source: 'auto', reason: expect.stringMatching(/40 training samples/) }); // 5 of 45 held out for validation
    expect(r.body.resolved.learning_rate).toMatchObject({ source: 'auto', reason: expect.stringMatching(/LoRA/) });
    // the tiny data is counted with the model's tokenizer: p99 decides max_seq_len
    expect(r.body.resolved.max_seq_len).toMatchObject({ source: 'auto', reason: expect.stringMatching(/covers 99% of samples/) });
    expect(r.body.resolved.max_steps).toMatchObject({ value: 5, source: 'user' });
    expect((await json(await app.request('/api/v1/jobs'))).data).toEqual([]);
    expect(existsSync(join(home, 'jobs')) ? readdirSync(join(home, 'jobs')) : []).toEqual([]);
  });

  it('leaves no prepared data behind when the request splits the data', async () => {
    const r = await post('/api/v1/jobs?dry_run=true', { model: 'tiny', dataset: datasetId, validation_split: 0.2, hyperparameters: 'auto' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data_mix).toMatchObject({ train: 36, validation: 9 });
    expect(r.body.resolved.epochs.reason).toMatch(/36 training samples/);
    expect(existsSync(join(home, 'jobs')) ? readdirSync(join(home, 'jobs')) : []).toEqual([]);
  });

  it('answers a bad value as creating would: 400 naming the field', async () => {
    const r = await post('/api/v1/jobs?dry_run=true', { model: 'tiny', dataset: datasetId, hyperparameters: { max_seq_len: 1_000_000 } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'INVALID_HYPERPARAMETER', field: 'hyperparameters.max_seq_len' });
    const missing = await post('/api/v1/jobs?dry_run=true', { model: 'tiny', dataset: 'ds_nope' });
    expect(missing.body.error).toMatchObject({ code: 'DATASET_NOT_FOUND', field: 'dataset' });
  });

  it('pages through the stored rows', async () => {
    const page = await json(await app.request(`/api/v1/datasets/${datasetId}/rows?offset=40&limit=10`));
    expect(page).toMatchObject({ dataset_id: datasetId, total: 45, offset: 40, limit: 10 });
    expect(page.data.map((r: { row: number }) => r.row)).toEqual([41, 42, 43, 44, 45]);
    expect(page.data[0].value.messages[0]).toEqual(toyChatRows(45)[40]!.messages[0]);
    const bad = await app.request(`/api/v1/datasets/${datasetId}/rows?limit=1000`);
    expect(bad.status).toBe(400);
  });
});
