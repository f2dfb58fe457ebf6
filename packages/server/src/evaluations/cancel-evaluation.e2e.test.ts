import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvaluationSchema, type Evaluation } from '@whetstone/core';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { fixedAnswerEndpoint } from '../../../../test-support/labelled-reviews.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// The real server over HTTP and the real generation worker on the tiny model, made slow (200 rows,
// one at a time, 64 new tokens each); one double: an OpenAI-compatible endpoint on 127.0.0.1 that
// answers at once, so that one column has finished when the other is cancelled.
describe('cancel and delete an evaluation', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let endpoint: Awaited<ReturnType<typeof fixedAnswerEndpoint>>;
  let api: ReturnType<typeof apiAt>;
  let dataset: string;
  let slowJudge: Awaited<ReturnType<typeof fixedAnswerEndpoint>>;

  beforeAll(async () => {
    endpoint = await fixedAnswerEndpoint('The sky is blue.');
    server = await testServer(home, { stopGraceSeconds: 5 });
    api = apiAt(server.url);
    expect((await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).status).toBe(201);
    expect((await api.post('/connections', { name: 'instant', base_url: endpoint.url, model: 'm' })).status).toBe(201);
    dataset = (await api.upload(writeJsonl(join(home, 'test.jsonl'), toyChatRows(200)))).body.id;
    // A judge that takes a second a verdict: a judge pass that lasts long enough to cancel.
    slowJudge = await fixedAnswerEndpoint('Rating: [[7]]', { delayMs: 1000 });
    expect((await api.post('/connections', { name: 'slow-judge', base_url: slowJudge.url, model: 'j' })).status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await endpoint?.close();
    await slowJudge?.close();
    cleanup();
  });

  const evaluate = async (name: string): Promise<Evaluation> => {
    const res = await api.post('/evaluations', {
      name,
      dataset_id: dataset,
      models: [
        { kind: 'endpoint', connection: 'instant', label: 'api' },
        { kind: 'model', model_id: 'tiny', label: 'tiny' },
      ],
      generation: { max_tokens: 64, temperature: 0, top_p: 1, seed: 0 },
      batch_size: 1,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return EvaluationSchema.parse(res.body);
  };
  const until = async (id: string, ok: (e: Evaluation) => boolean, timeoutMs = 60_000): Promise<Evaluation> => {
    for (const t0 = Date.now(); ; await new Promise((r) => setTimeout(r, 100))) {
      const e = EvaluationSchema.parse((await api.get(`/evaluations/${id}`)).body);
      if (ok(e)) return e;
      if (Date.now() - t0 > timeoutMs) throw new Error(`evaluation ${id} did not get there in ${timeoutMs} ms: ${JSON.stringify(e.models.map((m) => [m.status, m.progress]))}`);
    }
  };

  it('stops a running one (its worker exits, the finished column keeps its scores and samples), ends a queued one at once, refuses what is not running, then deletes both', async () => {
    const running = await evaluate('slow');
    const queued = await evaluate('behind it'); // one run at a time: this one waits
    const mid = await until(running.id, (e) => e.models[1]!.status === 'running' && e.models[1]!.progress.done > 0 && Boolean(e.models[1]!.worker_pid), 100_000); // the worker loads torch first
    const pid = mid.models[1]!.worker_pid!;
    expect(alive(pid)).toBe(true);

    // Deleting either while it is queued or running is refused, with the way out.
    for (const id of [running.id, queued.id]) {
      const refused = await api.del(`/evaluations/${id}`);
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: 'CONFLICT', hint: expect.stringContaining(`POST /api/v1/evaluations/${id}/cancel`) });
    }

    // The queued one ends at once; nothing of it ever ran.
    const q = await api.post(`/evaluations/${queued.id}/cancel`);
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({ status: 'cancelled', cancelled: { by: 'the local user (this server has no API keys)', what: 'evaluation' } });
    expect(q.body.models.map((m: { status: string }) => m.status)).toEqual(['cancelled', 'cancelled']);

    // The running one records who asked at once, and ends cancelled once its worker has exited.
    const r = await api.post(`/evaluations/${running.id}/cancel`);
    expect(r.status).toBe(200);
    expect(r.body.cancelled).toMatchObject({ by: 'the local user (this server has no API keys)', what: 'evaluation' });
    const ended = await until(running.id, (e) => e.status === 'cancelled', 30_000);
    expect(alive(pid)).toBe(false);
    expect(ended.finished_at).not.toBeNull();
    expect(ended.models[0]).toMatchObject({ status: 'succeeded', failed_rows: 0, metrics: { exact_match: expect.any(Number) } });
    expect(ended.models[1]).toMatchObject({ status: 'cancelled', worker_pid: null, metrics: null });
    expect(ended.models[1]!.progress.done).toBeLessThan(200);
    const samples = await api.get(`/evaluations/${running.id}/samples?limit=2`);
    expect(samples.status).toBe(200);
    expect(samples.body.total).toBe(200);
    expect(samples.body.data[0].outputs).toMatchObject([{ label: 'api', prediction: 'The sky is blue.', error: null }, { label: 'tiny', prediction: null, error: { code: 'CANCELLED' } }]);

    // Nothing runs any more: a second cancel is refused; an unknown id is 404.
    const again = await api.post(`/evaluations/${running.id}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/is cancelled/), hint: expect.stringContaining('DELETE /api/v1/evaluations/') });
    expect((await api.post('/evaluations/eval_nope/cancel')).status).toBe(404);

    // Deleted: the record, the samples and the files.
    const folder = join(home, 'evals', running.id);
    expect(existsSync(join(folder, 'samples.jsonl'))).toBe(true);
    for (const id of [running.id, queued.id]) expect(await api.del(`/evaluations/${id}`)).toEqual({ status: 200, body: { id, deleted: true } });
    expect(existsSync(folder)).toBe(false);
    expect((await api.get(`/evaluations/${running.id}`)).status).toBe(404);
    expect((await api.get(`/evaluations/${running.id}/samples`)).status).toBe(404);
    expect((await api.del(`/evaluations/${running.id}`)).status).toBe(404);
    expect((await api.get('/evaluations')).body.data).toEqual([]);
  }, 150_000);

  it('cancels a judge: during the run (the evaluation ends cancelled, its answers scored) and judging a finished one again (it stays succeeded)', async () => {
    const judge = { model: { kind: 'endpoint', connection: 'slow-judge' }, concurrency: 1 };
    const body = { dataset_id: dataset, limit: 20, models: [{ kind: 'endpoint', connection: 'instant', label: 'api' }] };
    const judged = await api.post('/evaluations', { ...body, judge });
    expect(judged.status, JSON.stringify(judged.body)).toBe(201);
    await until(judged.body.id, (e) => e.judge?.status === 'running');
    expect((await api.post(`/evaluations/${judged.body.id}/cancel`)).status).toBe(200);
    const ended = await until(judged.body.id, (e) => e.status === 'cancelled');
    expect(ended).toMatchObject({ judge: { status: 'cancelled', scores: null }, cancelled: { what: 'evaluation' } });
    expect(ended.models[0]).toMatchObject({ status: 'succeeded', metrics: { exact_match: expect.any(Number) } });
    const samples = (await api.get(`/evaluations/${judged.body.id}/samples?limit=1`)).body;
    expect(samples.total).toBe(20);
    expect(samples.data[0].judge).toBeUndefined();

    // Judging a finished evaluation again, cancelled: the evaluation keeps its status and scores.
    const plain = await api.post('/evaluations', body);
    await until(plain.body.id, (e) => e.status === 'succeeded');
    expect((await api.post(`/evaluations/${plain.body.id}/judge`, judge)).status).toBe(202);
    await until(plain.body.id, (e) => e.judge?.status === 'running');
    expect((await api.del(`/evaluations/${plain.body.id}`)).body.error).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/is being judged/) });
    const asked = await api.post(`/evaluations/${plain.body.id}/cancel`);
    expect(asked.body).toMatchObject({ status: 'succeeded', cancelled: { what: 'judge' } });
    const after = await until(plain.body.id, (e) => e.judge?.status === 'cancelled');
    expect(after).toMatchObject({ status: 'succeeded', models: [{ status: 'succeeded' }] });
    expect((await api.get(`/evaluations/${plain.body.id}/samples?limit=1`)).body.data[0].judge).toBeUndefined();
    for (const id of [judged.body.id, plain.body.id]) expect((await api.del(`/evaluations/${id}`)).status).toBe(200);
  });
});
