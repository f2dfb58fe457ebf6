import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchmarkSchema, type Benchmark, type Model } from '@whetstone/core';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { registerTinyTuned } from '../../../../test-support/tiny-adapter.ts';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';
import { benchmarkService } from '../benchmarks/benchmark-service.ts';
import { modelScoresPath } from '../benchmarks/run-benchmark.ts';

// The real app, SQLite store and worker (`python -m whet_worker score-choices`) on the tiny
// model and a random LoRA adapter on it (a "fine-tuned" model), ranked on one MMLU file.
const MMLU_CSV = [
  'What is 2+2?,3,4,5,6,B',
  '"Which planet is red?",Mars,Venus,Earth,Jupiter,A',
  'Water boils at?,90,100,80,120,B',
  'Capital of France?,Rome,Berlin,Paris,Madrid,C',
  'How many legs has a spider?,6,8,10,4,B',
].join('\n');
const DEV = [
  { question: 'What is 1+1?', choices: ['1', '2', '3', '4'], answer: 'B', subject: 'misc' },
  { question: 'Sky colour?', choices: ['blue', 'red', 'green', 'black'], answer: 0, subject: 'misc' },
];

describe('benchmarks API', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  let questions = '';
  let dev = '';
  let chat = '';
  const post = (path: string, body: unknown) => app.request(`/api/v1${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const get = async (path: string) => {
    const res = await app.request(`/api/v1${path}`);
    return { status: res.status, body: await json(res) };
  };
  const upload = async (name: string, text: string) => {
    const form = new FormData();
    form.set('file', new Blob([text]), name);
    const res = await app.request('/api/v1/datasets', { method: 'POST', body: form });
    expect(res.status).toBe(201);
    return (await json(res)).id as string;
  };

  beforeAll(async () => {
    const m = await post('/models', { path: ensureTinyModel(), name: 'tiny' });
    expect(m.status).toBe(201);
    registerTinyTuned(ctx.store, (await json(m)) as Model);
    // No subject column: every question's subject is "misc", named by the file as MMLU names its files.
    questions = await upload('misc_test.csv', MMLU_CSV);
    dev = await upload('dev.jsonl', DEV.map((r) => JSON.stringify(r)).join('\n'));
    chat = await upload('chat.jsonl', JSON.stringify({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] }));
  }, 120_000);
  afterAll(cleanup);

  it('ranks a base and a fine-tuned model on one file, per subject and overall, with every pick', async () => {
    const res = await post('/benchmarks', { dataset_id: questions, fewshot_dataset_id: dev, num_fewshot: 2, models: ['tiny', 'tiny-tuned'], batch_size: 4 });
    expect(res.status).toBe(201);
    const created = BenchmarkSchema.parse(await json(res));
    expect(created).toMatchObject({ status: 'queued', template: 'mmlu', dataset: { format: 'mmlu', questions: 5, subjects: 1 } });
    await benchmarkService(ctx).idle();

    const b = BenchmarkSchema.parse((await get(`/benchmarks/${created.id}`)).body) as Benchmark;
    expect(b.status).toBe('succeeded');
    expect(b.models.map((m) => [m.label, m.status, m.progress.done])).toEqual([['tiny', 'succeeded', 5], ['tiny-tuned', 'succeeded', 5]]);
    for (const [i, m] of b.models.entries()) {
      // The server's accuracy is the worker's picks counted: read them back and count again.
      const lines = readFileSync(modelScoresPath(home, b.id, i), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(m.acc).toBe(lines.filter((l) => l.pred === l.answer).length / 5);
      expect(m.subjects).toEqual([{ subject: 'misc', questions: 5, acc: m.acc, acc_norm: m.acc_norm }]);
    }
    expect(b.ranking.map((r) => r.label).sort()).toEqual(['tiny', 'tiny-tuned']);
    expect(b.ranking[0]!.acc).toBeGreaterThanOrEqual(b.ranking[1]!.acc);

    const qs = await get(`/benchmarks/${b.id}/questions?limit=2`);
    expect(qs.body.total).toBe(5);
    expect(qs.body.data[0]).toMatchObject({ index: 0, subject: 'misc', question: 'What is 2+2?', choices: ['3', '4', '5', '6'], answer: 1 });
    expect(qs.body.data[0].picks.map((p: { label: string }) => p.label)).toEqual(['tiny', 'tiny-tuned']);
    const wrong = await get(`/benchmarks/${b.id}/questions?wrong=tiny`);
    expect(wrong.body.total).toBe(5 - b.models[0]!.acc! * 5);
    expect((await get('/benchmarks')).body.data.map((x: Benchmark) => x.id)).toContain(b.id);
  }, 180_000);

  it('refuses what cannot run, naming the field', async () => {
    const notMc = await post('/benchmarks', { dataset_id: chat, models: ['tiny'] });
    expect(notMc.status).toBe(400);
    expect((await json(notMc)).error).toMatchObject({ code: 'INVALID_REQUEST', field: 'dataset_id' });
    const ghost = await post('/benchmarks', { dataset_id: questions, models: ['nope'] });
    expect((await json(ghost)).error).toMatchObject({ code: 'MODEL_NOT_FOUND', field: 'models[0]' });
    const shots = await post('/benchmarks', { dataset_id: questions, models: ['tiny'], num_fewshot: 6 });
    expect(shots.status).toBe(400);
    expect((await get('/benchmarks/bench_missing')).status).toBe(404);
  });

  it('a subject with too few rows for the shots is refused before anything runs', async () => {
    const res = await post('/benchmarks', { dataset_id: questions, num_fewshot: 5, models: ['tiny'] });
    expect(res.status).toBe(400);
    const error = (await json(res)).error;
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', field: 'num_fewshot' });
    expect(error.message).toContain('subject "misc" has 5 rows');
    expect(error.hint).toContain('Lower num_fewshot to 4');
  });
});
