import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { writeJsonl } from '../../../../test-support/toy-data.ts';

const chat = (q: string, a: string) => ({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });
const lines = (p: string) => readFileSync(p, 'utf8').split('\n').filter(Boolean);

// A job over two datasets mixed 1 : 0.2, de-duplicated and split, through real HTTP and the real
// worker on the tiny model: the mix is written under the job folder, handed to the worker as
// spec.data.train, and stored on the job.
describe('jobs that mix datasets', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;
  let modelId = '';
  let business = '';
  let general = '';

  beforeAll(async () => {
    server = await testServer(home);
    api = apiAt(server.url);
    modelId = (await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).body.id;
    // 35 distinct business chats plus 5 exact repeats of them; 100 distinct general chats.
    const biz = Array.from({ length: 35 }, (_, i) => chat(`business question ${i}`, `business answer ${i}`));
    const b = await api.upload(writeJsonl(join(home, 'business.jsonl'), [...biz, ...biz.slice(0, 5)]));
    const g = await api.upload(writeJsonl(join(home, 'general.jsonl'), Array.from({ length: 100 }, (_, i) => chat(`general question ${i}`, `general answer ${i}`))));
    expect([b.status, g.status]).toEqual([201, 201]);
    business = b.body.id;
    general = g.body.id;
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('trains on the weighted mix with the job\'s seed, stores the effective mix, and keeps a test split', async () => {
    const created = await api.post('/jobs', {
      model: modelId,
      datasets: [{ id: business, weight: 1 }, { id: general, weight: 0.2 }],
      test_split: 0.1,
      dedup: 'exact',
      hyperparameters: { max_steps: 2, batch_size: 4, gradient_accumulation_steps: 1, save_steps: 100, eval_steps: 100, seed: 7 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const mix = created.body.data_mix;
    // 40 business rows at weight 1 take all of them; general at 0.2 gets 40 * 0.2 = 8.
    expect(mix.sources.map((s: any) => [s.dataset_id, s.taken, s.available])).toEqual([
      [business, 40, 40],
      [general, 8, 100],
    ]);
    expect(mix.seed).toBe(7);
    expect(mix.rows).toBe(48);
    expect(mix.duplicates_removed).toBe(5);
    // 43 distinct rows: test round(4.3) = 4, validation 10% = 4 (auto), train 35
    expect([mix.train, mix.validation, mix.test]).toEqual([35, 4, 4]);
    expect(mix.validation_source).toBe('split');
    expect(created.body.resolved.epochs.reason).toMatch(/35 training samples/);

    const dir = join(home, 'jobs', created.body.id, 'data');
    const train = lines(join(dir, 'train.jsonl'));
    const validation = lines(join(dir, 'validation.jsonl'));
    const test = lines(join(dir, 'test.jsonl'));
    expect([train.length, validation.length, test.length]).toEqual([35, 4, 4]);
    const everything = [...train, ...validation, ...test];
    expect(new Set(everything).size).toBe(everything.length); // de-duplicated, no row in two splits
    expect(everything.filter((l) => l.includes('general')).length).toBe(8);
    expect(everything.filter((l) => l.includes('business')).length).toBe(35);
    expect(existsSync(join(dir, 'mix.jsonl'))).toBe(false);

    const done = await api.waitFor(created.body.id, ['succeeded', 'failed'], 180_000);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    const spec = JSON.parse(readFileSync(join(home, 'jobs', created.body.id, 'spec.json'), 'utf8'));
    expect(spec.data).toEqual({ train: join(dir, 'train.jsonl'), validation: join(dir, 'validation.jsonl'), validation_split: 0 });
    expect(done.data_mix).toEqual(mix);
  });
});

// Mixes and refusals that need no training: the server queues jobs but never starts a worker.
describe('job data mixes without training', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;
  let modelId = '';
  let business = '';
  let general = '';

  beforeAll(async () => {
    server = await testServer(home, { maxConcurrentJobs: 0 });
    api = apiAt(server.url);
    modelId = (await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).body.id;
    business = (await api.upload(writeJsonl(join(home, 'business.jsonl'), Array.from({ length: 40 }, (_, i) => chat(`business question ${i}`, `business answer ${i}`))))).body.id;
    general = (await api.upload(writeJsonl(join(home, 'general.jsonl'), Array.from({ length: 100 }, (_, i) => chat(`general question ${i}`, `general answer ${i}`))))).body.id;
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('draws exact sample counts, repeating rows past what a dataset holds, the same for the same seed', async () => {
    const body = (seed: number) => ({
      model: modelId,
      datasets: [{ id: business, samples: 50 }, { id: general, samples: 10 }],
      validation_split: 0,
      hyperparameters: { max_steps: 1, batch_size: 4, seed },
    });
    const a = (await api.post('/jobs', body(3))).body;
    const b = (await api.post('/jobs', body(3))).body;
    expect(a.data_mix.sources.map((s: any) => [s.taken, s.repeated])).toEqual([
      [50, true],
      [10, false],
    ]);
    expect(a.data_mix.validation).toBe(0);
    const read = (id: string) => readFileSync(join(home, 'jobs', id, 'data', 'train.jsonl'), 'utf8');
    expect(read(a.id)).toBe(read(b.id));
    expect(lines(join(home, 'jobs', a.id, 'data', 'train.jsonl'))).toHaveLength(60);
    const c = (await api.post('/jobs', body(4))).body;
    expect(read(c.id)).not.toBe(read(a.id));
  });

  it('splits one dataset in place when a test split is asked for, without a mix', async () => {
    const r = await api.post('/jobs', { model: modelId, dataset: business, test_split: 0.25, hyperparameters: { max_steps: 1, seed: 5 } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const m = r.body.data_mix;
    expect(m.sources).toEqual([{ dataset_id: business, name: 'business.jsonl', weight: 1, samples: null, available: 40, taken: 40, share: 1, repeated: false }]);
    // 40 rows: test 25% = 10, validation auto 10% = 4, train 26
    expect([m.train, m.validation, m.test]).toEqual([26, 4, 10]);
    const dir = join(home, 'jobs', r.body.id, 'data');
    expect(readdirSync(dir).sort()).toEqual(['test.jsonl', 'train.jsonl', 'validation.jsonl']);
    expect(m.paths.test).toBe(join(dir, 'test.jsonl'));
  });

  it('refuses a mix of chats with preference pairs and a mix entry with both weight and samples, storing nothing', async () => {
    const pref = await api.upload(writeJsonl(join(home, 'pref.jsonl'), [{ prompt: 'hi', chosen: 'hello', rejected: 'go away' }]));
    expect(pref.body.purpose).toBe('preference');
    const jobsBefore = (await api.get('/jobs')).body.data.length;
    const r = await api.post('/jobs', { model: modelId, datasets: [{ id: business }, { id: pref.body.id }] });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'datasets.1.id' });
    const both = await api.post('/jobs', { model: modelId, datasets: [{ id: business, weight: 1, samples: 3 }, { id: general }] });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toMatch(/both weight and samples/);
    expect((await api.get('/jobs')).body.data.length).toBe(jobsBefore);
    expect(readdirSync(join(home, 'jobs'))).toHaveLength(jobsBefore); // no half-prepared job folder
  });
});
