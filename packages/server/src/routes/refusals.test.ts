import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';

// Every refusal of the issue, through the API: 4xx, {error: {code, message, hint}}, the field
// or line named, and nothing stored half-way.
describe('the API refuses bad input clearly', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  let modelId = '';
  let datasetId = '';

  const upload = async (name: string, content: string | Buffer, fields: Record<string, string> = {}) => {
    const form = new FormData();
    form.set('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    const res = await app.request('/api/v1/datasets', { method: 'POST', body: form });
    return { status: res.status, body: await json(res) };
  };
  const postJob = async (body: unknown) => {
    const res = await app.request('/api/v1/jobs', { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: res.status, body: await json(res) };
  };
  const expectError = (r: { status: number; body: any }, status: number, code: string) => {
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(r.body.error.message).toBeTruthy();
    expect(r.body.error.hint).toBeTruthy();
  };

  beforeAll(async () => {
    const m = await app.request('/api/v1/models', { method: 'POST', body: JSON.stringify({ path: ensureTinyModel(), name: 'tiny' }), headers: { 'content-type': 'application/json' } });
    modelId = (await json(m)).id;
    const d = await upload('toy.jsonl', toyChatRows(8).map((r) => JSON.stringify(r)).join('\n'));
    expect(d.status).toBe(201);
    datasetId = d.body.id;
  });
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });

  it('refuses malformed and empty dataset files, storing nothing', async () => {
    const before = ctx.store.listDatasets().length;
    expectError(await upload('empty.jsonl', ''), 400, 'DATASET_EMPTY');
    const bad = await upload('bad.jsonl', '{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "yo"}]}\n{"messages": [oops\n');
    // A file with a bad line is stored as invalid (so its errors can be read), and nothing of it is used.
    expect(bad.body.status).toBe('invalid');
    expect(bad.body.errors[0]).toMatchObject({ line: 2 });
    expectError(await upload('bin.jsonl', Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0])), 400, bad.body.errors.length ? 'DATASET_FORMAT_UNKNOWN' : 'DATASET_FORMAT_UNKNOWN');
    const noFile = await app.request('/api/v1/datasets', { method: 'POST', body: new FormData() });
    expect(noFile.status).toBe(400);
    expect(ctx.store.listDatasets().length).toBe(before + 1);
    const dirs = readdirSync(join(home, 'datasets')).filter((n) => !n.startsWith('.'));
    expect(dirs.length).toBe(ctx.store.listDatasets().length);
  });

  it('refuses a job on an invalid dataset', async () => {
    const invalid = ctx.store.listDatasets().find((d) => d.status === 'invalid')!;
    expectError(await postJob({ model: modelId, dataset: invalid.id }), 409, 'DATASET_NOT_READY');
  });

  it('refuses unknown models and datasets, naming the field', async () => {
    const m = await postJob({ model: 'ghost', dataset: datasetId });
    expectError(m, 404, 'MODEL_NOT_FOUND');
    expect(m.body.error.field).toBe('model');
    const d = await postJob({ model: modelId, dataset: 'ds_ghost' });
    expectError(d, 404, 'DATASET_NOT_FOUND');
    expect(d.body.error.field).toBe('dataset');
  });

  it('refuses impossible hyperparameters, naming each field', async () => {
    const lr = await postJob({ model: modelId, dataset: datasetId, hyperparameters: { learning_rate: 0 } });
    expectError(lr, 400, 'INVALID_HYPERPARAMETER');
    expect(lr.body.error.field).toBe('hyperparameters.learning_rate');
    expect(lr.body.error.message).toMatch(/got 0/);
    const neg = await postJob({ model: modelId, dataset: datasetId, hyperparameters: { learning_rate: -1, epochs: 0 } });
    expect(neg.body.error.message).toMatch(/learning_rate/);
    expect(neg.body.error.message).toMatch(/epochs/);
    const ctxLen = ctx.store.getModel(modelId)!.context_length!;
    const long = await postJob({ model: modelId, dataset: datasetId, hyperparameters: { max_seq_len: ctxLen * 2 } });
    expectError(long, 400, 'INVALID_HYPERPARAMETER');
    expect(long.body.error.field).toBe('hyperparameters.max_seq_len');
    expect(long.body.error.message).toContain(String(ctxLen));
    const layers = await postJob({ model: modelId, dataset: datasetId, tuning: 'freeze', hyperparameters: { freeze_trainable_layers: 99 } });
    expectError(layers, 400, 'INVALID_HYPERPARAMETER');
    expectError(await postJob({ model: modelId, dataset: datasetId, tuning: 'sideways' }), 400, 'INVALID_REQUEST');
    expectError(await postJob({ model: modelId, dataset: datasetId, hyperparameters: { lora_rank: 8 } }), 400, 'INVALID_HYPERPARAMETER');
  });

  it('refuses a dataset left with no sample after truncation', async () => {
    const r = await postJob({ model: modelId, dataset: datasetId, hyperparameters: { max_seq_len: 8 } });
    expectError(r, 400, 'DATASET_EMPTY_AFTER_TRUNCATION');
    expect(r.body.error.message).toMatch(/8/);
  });

  it('refuses a dataset the method cannot train on, naming what it holds and what the method needs', async () => {
    const text = await upload('notes.txt', 'Whetstone keeps data on your machines.\n\nIt trains small specialist models.\n');
    expect(text.body).toMatchObject({ status: 'ready', purpose: 'pretrain' });
    const pairs = await upload('pairs.jsonl', JSON.stringify({ prompt: 'Hi?', chosen: 'Hello!', rejected: 'Go away.' }) + '\n');
    expect(pairs.body).toMatchObject({ status: 'ready', purpose: 'preference' });

    const sftOnText = await postJob({ model: modelId, dataset: text.body.id });
    expectError(sftOnText, 400, 'DATASET_METHOD_MISMATCH');
    expect(sftOnText.body.error).toMatchObject({ field: 'dataset', message: expect.stringMatching(/raw text.*"sft" trains on instruction chats/) });
    expect(sftOnText.body.error.hint).toMatch(/pretrain/);
    const pretrainOnChats = await postJob({ model: modelId, dataset: datasetId, method: 'pretrain' });
    expectError(pretrainOnChats, 400, 'DATASET_METHOD_MISMATCH');
    expect(pretrainOnChats.body.error.message).toMatch(/instruction chats.*"pretrain" trains on raw text/);
    expectError(await postJob({ model: modelId, dataset: pairs.body.id }), 400, 'DATASET_METHOD_MISMATCH');
    // A validation set of the wrong kind is named too.
    const badValidation = await postJob({ model: modelId, dataset: datasetId, validation_dataset: text.body.id });
    expectError(badValidation, 400, 'DATASET_METHOD_MISMATCH');
    expect(badValidation.body.error.field).toBe('validation_dataset');
  });

  it('refuses a hyperparameter the method or tuning never reads, instead of ignoring it', async () => {
    const r = await postJob({ model: modelId, dataset: datasetId, tuning: 'full', hyperparameters: { lora_r: 8, beta: 0.2, epochs: 1 } });
    expectError(r, 400, 'INVALID_HYPERPARAMETER');
    const messages = (r.body.error.details as { path: string; message: string }[]).map((d) => d.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^hyperparameters\.lora_r: lora_r applies to tuning "lora", "dora", "qlora", not "full": leave it out/),
        expect.stringMatching(/^hyperparameters\.beta: beta applies to method "dpo", not "sft"/),
      ]),
    );
    expect(messages).toHaveLength(2); // epochs applies to every method and tuning
    // packing: sft only, and not with virtual tokens, which go before a whole packed row.
    const packedPrefix = await postJob({ model: modelId, dataset: datasetId, tuning: 'prefix', hyperparameters: { packing: true } });
    expectError(packedPrefix, 400, 'INVALID_HYPERPARAMETER');
    expect(packedPrefix.body.error.message).toMatch(/packing applies to tuning "lora", "dora", "qlora", "full", "freeze", not "prefix"/);
  });

  it('refuses QLoRA on a machine without CUDA, naming the tunings that work here', async () => {
    const r = await postJob({ model: modelId, dataset: datasetId, tuning: 'qlora' });
    expectError(r, 400, 'CUDA_UNAVAILABLE');
    expect(r.body.error).toMatchObject({ field: 'tuning', message: expect.stringMatching(/qlora.*bitsandbytes.*NVIDIA GPU/) });
    expect(r.body.error.hint).toMatch(/"lora" or "dora"/);
  });

  it('refuses freeze_layers beyond the model, naming the layers it has', async () => {
    const r = await postJob({ model: modelId, dataset: datasetId, tuning: 'freeze', hyperparameters: { freeze_layers: [0, 99] } });
    expectError(r, 400, 'INVALID_HYPERPARAMETER');
    expect(r.body.error).toMatchObject({ field: 'hyperparameters.freeze_layers', message: expect.stringMatching(/layer 99.*has layers 0 to \d+/) });
  });

  it('refuses malformed JSON and an empty body', async () => {
    expectError(await postJob('{"model": '), 400, 'INVALID_JSON');
    expectError(await postJob(''), 400, 'INVALID_JSON');
    expectError(await postJob({ dataset: datasetId }), 400, 'INVALID_REQUEST');
  });

  it('stored no job for any refusal', () => {
    expect(ctx.store.listJobs()).toHaveLength(0);
  });
});
