import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvaluationSchema, type Evaluation } from '@whetstone/core';
import { scorePairs, summarizeScores } from '@whetstone/eval';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';
import { EvaluationService, evaluationService } from '../evaluations/evaluation-service.ts';

// The real app, SQLite store and worker (`python -m whet_worker generate` on the tiny model).
// The one double is an OpenAI-compatible endpoint on 127.0.0.1 that always answers "Four.",
// standing in for an external API; a port nobody listens on stands in for one that refuses.
const TEST_ROWS = [
  ['What is two plus two?', 'Four.'],
  ['中国的首都是哪里？', '北京。'],
  ['What colour is the sky?', 'The sky is blue.'],
  ['Name a primary color.', 'Red.'],
  ['What is one plus three?', 'Four.'],
].map(([q, a]) => ({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] }));
const SHOTS = [{ messages: [{ role: 'user', content: 'What is one plus one?' }, { role: 'assistant', content: 'Two.' }] }];

describe('evaluations API', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  let endpoint: Server;
  let endpointUrl = '';
  let deadUrl = '';
  let testSet = '';
  let shots = '';
  let seen: { messages: { role: string; content: string }[]; max_tokens: number }[] = [];
  const post = (path: string, body: unknown) => app.request(`/api/v1${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const get = async (path: string) => {
    const res = await app.request(`/api/v1${path}`);
    return { status: res.status, body: await json(res) };
  };
  const upload = async (name: string, rows: unknown[]) => {
    const form = new FormData();
    form.set('file', new Blob([rows.map((r) => JSON.stringify(r)).join('\n')]), name);
    const res = await app.request('/api/v1/datasets', { method: 'POST', body: form });
    expect(res.status).toBe(201);
    return (await json(res)).id as string;
  };

  /**
   * The evaluation service's queue drained, or a failure that says where it stands: each
   * evaluation's columns with their status, progress and worker pid (CI once saw this wait
   * outlast the test's timeout with nothing to tell why).
   */
  const drained = async (limitMs = 100_000) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const where = evaluationService(ctx).evaluations.list().map((e) => ({ id: e.id, status: e.status, columns: e.models.map((m) => [m.label, m.status, m.progress, m.worker_pid, m.error?.code]) }));
        reject(new Error(`evaluations still under way after ${limitMs / 1000} s: ${JSON.stringify(where)}`));
      }, limitMs);
    });
    try {
      await Promise.race([evaluationService(ctx).idle(), late]);
    } finally {
      clearTimeout(timer);
    }
  };

  beforeAll(async () => {
    const m = await post('/models', { path: ensureTinyModel(), name: 'tiny' });
    expect(m.status).toBe(201);
    testSet = await upload('test.jsonl', TEST_ROWS);
    shots = await upload('shots.jsonl', SHOTS);
    endpoint = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (req.url?.startsWith('/slow/')) return; // never answers
        if (req.url?.startsWith('/refuse/')) {
          res.statusCode = 401;
          return res.end('{"error": {"message": "Incorrect API key provided"}}');
        }
        seen.push(JSON.parse(body));
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'Four.' }, finish_reason: 'stop' }] }));
      });
    });
    await new Promise<void>((r) => endpoint.listen(0, '127.0.0.1', r));
    endpointUrl = `http://127.0.0.1:${(endpoint.address() as { port: number }).port}/v1`;
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    deadUrl = `http://127.0.0.1:${(dead.address() as { port: number }).port}/v1`;
    await new Promise((r) => dead.close(r));
    // What an admin configures: the outside endpoints callers may name.
    for (const [name, url] of [['api', endpointUrl], ['dead', deadUrl], ['slow', endpointUrl.replace('/v1', '/slow/v1')], ['refuse', endpointUrl.replace('/v1', '/refuse/v1')]]) {
      ctx.connections.create({ name: name!, base_url: url!, model: 'gpt-x' });
    }
  });
  afterAll(async () => {
    await evaluationService(ctx).idle();
    endpoint?.closeAllConnections();
    await new Promise((r) => endpoint?.close(r));
    ctx.store.close();
    cleanup();
  });

  it('evaluates a base model, its few-shot prompting, an endpoint, a missing model and a refusing endpoint side by side', async () => {
    const res = await post('/evaluations', {
      name: 'side by side',
      dataset_id: testSet,
      few_shot_dataset_id: shots,
      models: [
        { kind: 'model', model_id: 'tiny' },
        { kind: 'model', model_id: 'tiny', few_shot: 1 },
        { kind: 'endpoint', connection: 'api', label: 'api' },
        { kind: 'model', model_id: 'gone' },
        { kind: 'endpoint', connection: 'dead', label: 'dead', timeout_s: 5 },
        { kind: 'endpoint', connection: 'slow', label: 'slow', timeout_s: 1 },
        { kind: 'endpoint', connection: 'refuse', model: 'gpt-x', label: 'refuse' },
      ],
      generation: { max_tokens: 6, temperature: 0, top_p: 1, seed: 1 },
      batch_size: 4,
    });
    expect(res.status).toBe(201);
    const created = (await json(res)) as Evaluation;
    expect(created).toMatchObject({ status: 'queued', dataset: { source: 'dataset', id: testSet, rows: 5 } });
    expect(created.models.map((m) => m.label)).toEqual(['tiny', 'tiny 1-shot', 'api', 'gone', 'dead', 'slow', 'refuse']);

    const live = await app.request(`/api/v1/evaluations/${created.id}/events`);
    expect(live.headers.get('content-type')).toMatch(/text\/event-stream/);
    await drained();
    // The stream ends by itself once the evaluation finishes; every change came through it.
    const streamed = (await live.text())
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)) as Evaluation);
    expect(streamed.length).toBeGreaterThan(5);
    expect(streamed.at(-1)!.status).toBe('succeeded');
    expect(streamed.some((x) => x.models[0].status === 'running')).toBe(true);
    expect(streamed.some((x) => x.models[0].status === 'succeeded' && x.models[1].status === 'running')).toBe(true);
    const { body } = await get(`/evaluations/${created.id}`);
    const e = EvaluationSchema.parse(body);
    expect(e.status).toBe('succeeded');
    expect(e.finished_at).not.toBeNull();
    const [tiny, fewShot, api, gone, dead, slow, refuse] = e.models;
    for (const c of [tiny, fewShot, api]) {
      expect(c.status, JSON.stringify(c.error)).toBe('succeeded');
      expect(c.progress).toEqual({ done: 5, total: 5 });
    }
    expect(tiny.tokens_per_sec).toBeGreaterThan(0);
    // The prompting baseline: the worker got the example turns; the plain column none.
    const spec = (i: number) => JSON.parse(readFileSync(join(home, 'evals', e.id, `column-${i}.spec.json`), 'utf8'));
    expect(spec(1).few_shot).toEqual(SHOTS[0].messages);
    expect(spec(0).few_shot).toEqual([]);
    expect(spec(0)).toMatchObject({ command: 'generate', adapter: null, batch_size: 4, generation: { max_tokens: 6, temperature: 0, seed: 1 } });
    // A model that no longer exists and an endpoint that refuses: errors on their columns only.
    expect(gone).toMatchObject({ status: 'failed', metrics: null, error: { code: 'MODEL_NOT_FOUND', message: 'no model with id or name "gone"' } });
    expect(dead.status).toBe('failed');
    expect(dead.error!.code).toBe('ENDPOINT_FAILED');
    expect(dead.error!.message).toMatch(new RegExp(`cannot reach ${deadUrl}/chat/completions: ECONNREFUSED`));
    expect(slow.error).toMatchObject({ code: 'ENDPOINT_FAILED', message: expect.stringMatching(/slow\/v1\/chat\/completions did not answer within 1 s$/) });
    expect(refuse.error).toMatchObject({ code: 'ENDPOINT_FAILED', message: expect.stringMatching(/refuse\/v1\/chat\/completions answered HTTP 401: .*Incorrect API key/) });

    // The endpoint answered "Four." to every row: right on 2 of 5.
    expect(api.metrics!.exact_match).toBe(40);
    expect(api.deltas!.exact_match).toBeCloseTo(40 - tiny.metrics!.exact_match, 10);
    expect(tiny.deltas).toEqual({ 'bleu-4': 0, 'rouge-1': 0, 'rouge-2': 0, 'rouge-l': 0, 'sacrebleu-13a': 0, 'sacrebleu-zh': 0, exact_match: 0 });
    expect(seen).toHaveLength(5);
    expect(seen[0]).toMatchObject({ max_tokens: 6, messages: [{ role: 'user', content: 'What is two plus two?' }] });

    // Per-sample detail: the prompt, the reference, each column's answer and scores; metrics are the mean of them.
    const all = await get(`/evaluations/${e.id}/samples?limit=100`);
    expect(all.body.total).toBe(5);
    const rows = all.body.data;
    expect(rows[1]).toMatchObject({ index: 1, reference: '北京。', messages: [{ role: 'user', content: '中国的首都是哪里？' }] });
    expect(rows[0].outputs.map((o: { label: string }) => o.label)).toEqual(['tiny', 'tiny 1-shot', 'api', 'gone', 'dead', 'slow', 'refuse']);
    expect(rows[0].outputs[2]).toMatchObject({ prediction: 'Four.', error: null, scores: { exact_match: 100 } });
    expect(rows[0].outputs[3]).toMatchObject({ prediction: null, scores: null, error: { code: 'MODEL_NOT_FOUND' } });
    const recomputed = summarizeScores(scorePairs(rows.map((r: { reference: string; outputs: { prediction: string }[] }) => ({ prediction: r.outputs[0].prediction, reference: r.reference }))));
    expect(recomputed).toEqual(tiny.metrics);

    const worst = await get(`/evaluations/${e.id}/samples?sort=worst&label=api`);
    expect(worst.body.data.map((r: { outputs: { scores: { 'bleu-4': number } }[] }) => r.outputs[2].scores['bleu-4'])).toEqual(
      [...rows.map((r: { outputs: { scores: { 'bleu-4': number } }[] }) => r.outputs[2].scores['bleu-4'])].sort((a, b) => a - b),
    );
    const disagree = await get(`/evaluations/${e.id}/samples?disagree=1`);
    expect(disagree.body.data.map((r: { index: number }) => r.index)).toEqual(expect.arrayContaining([0, 4]));
    expect((await get(`/evaluations/${e.id}/samples?failed=1`)).body.total).toBe(5);
    expect((await get(`/evaluations/${e.id}/samples?sort=best`)).status).toBe(400);
    expect((await get('/evaluations')).body.data.map((x: { id: string }) => x.id)).toContain(e.id);
  });

  it('refuses a bad request up front, clearly', async () => {
    const both = await post('/evaluations', { dataset_id: testSet, job_id: 'job_x', models: [{ kind: 'model', model_id: 'tiny' }] });
    expect(both.status).toBe(400);
    expect((await json(both)).error.message).toMatch(/give exactly one of "dataset_id" or "job_id"/);
    const noShots = await post('/evaluations', { dataset_id: testSet, models: [{ kind: 'model', model_id: 'tiny', few_shot: 2 }] });
    expect((await json(noShots)).error).toMatchObject({ code: 'INVALID_REQUEST', message: expect.stringMatching(/few_shot needs examples/) });
    const missing = await post('/evaluations', { dataset_id: 'ds_nope', models: [{ kind: 'model', model_id: 'tiny' }] });
    expect(missing.status).toBe(404);
    expect((await get('/evaluations/eval_nope')).body.error.code).toBe('NOT_FOUND');
    const labels = await post('/evaluations', { dataset_id: testSet, labels: ['Four', 'Red'], models: [{ kind: 'model', model_id: 'tiny' }] });
    expect(labels.status).toBe(400);
    expect((await json(labels)).error.message).toMatch(/^references outside the label set: "北京", "the sky is blue"/);
    const baseline = await post('/evaluations', { dataset_id: testSet, baseline: 3, models: [{ kind: 'model', model_id: 'tiny' }] });
    expect((await json(baseline)).error.message).toMatch(/baseline 3 is not an index of models/);
  });

  it('marks an evaluation left running by a previous server process as failed', async () => {
    const service = evaluationService(ctx);
    const stale: Evaluation = {
      ...(await service.create({ dataset_id: testSet, models: [{ kind: 'model', model_id: 'gone', few_shot: 0 }], baseline: 0, generation: { max_tokens: 4, temperature: 0, top_p: 1, seed: 0 }, batch_size: 16 })),
      id: 'eval_stale',
      status: 'running',
    };
    await drained();
    service.evaluations.insert(stale);
    new EvaluationService(ctx); // what a restarted server builds
    const { body } = await get('/evaluations/eval_stale');
    expect(body).toMatchObject({ status: 'failed', error: { code: 'WORKER_LOST' }, models: [{ status: 'failed' }] });
  });

  it('reports label accuracy for a classification label set', async () => {
    const res = await post('/evaluations', {
      dataset_id: testSet,
      labels: ['Four', '北京', 'The sky is blue', 'Red'],
      models: [{ kind: 'endpoint', connection: 'api' }],
    });
    expect(res.status).toBe(201);
    const { id } = await json(res);
    await drained();
    const { body } = await get(`/evaluations/${id}`);
    expect(body.models[0].label_accuracy).toEqual({ accuracy: 40, correct: 2, total: 5, invalid: 0 });
  });
});
