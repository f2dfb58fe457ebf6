import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';

// The whole path through real HTTP on 127.0.0.1 and the real Python worker on the tiny model.
describe('fine-tuning jobs end to end', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;
  let modelId: string;
  let datasetId: string;

  const quick = (extra: Record<string, unknown> = {}) => ({
    model: modelId,
    dataset: datasetId,
    tuning: 'lora',
    hyperparameters: { max_steps: 8, learning_rate: 5e-3, batch_size: 4, gradient_accumulation_steps: 1, save_steps: 4, eval_steps: 4, lora_r: 8, ...extra },
  });

  beforeAll(async () => {
    server = await testServer(home);
    api = apiAt(server.url);
    const m = await api.post('/models', { path: ensureTinyModel(), name: 'tiny' });
    expect(m.status).toBe(201);
    modelId = m.body.id;
    const d = await api.upload(writeJsonl(join(home, 'toy.jsonl'), toyChatRows(32)));
    expect(d.status).toBe(201);
    expect(d.body.status).toBe('ready');
    datasetId = d.body.id;
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('trains to success, streams events over SSE, and registers the adapter with its lineage', async () => {
    const created = await api.post('/jobs', quick());
    expect(created.status).toBe(201);
    const job = created.body;
    expect(['queued', 'validating', 'running']).toContain(job.status);
    expect(job.hyperparameters).toMatchObject({ max_steps: 8, learning_rate: 5e-3 });
    expect(job.resolved.epochs.reason).toMatch(/28 training samples/); // 4 of 32 held out for validation

    const events = await api.events(job.id);
    const types = new Set(events.map((e) => e.type));
    for (const t of ['status', 'started', 'plan', 'progress', 'checkpoint', 'result']) expect(types, t).toContain(t);
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.at(-1)).toMatchObject({ step: 8, total_steps: 8 });
    expect(progress[0]).toHaveProperty('tokens_per_sec');
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));

    const done = (await api.get(`/jobs/${job.id}`)).body;
    expect(done.status).toBe('succeeded');
    expect(done.progress.step).toBe(8);
    expect(done.finished_at).toBeTruthy();
    const out = (await api.get(`/models/${done.output_model_id}`)).body;
    expect(out).toMatchObject({ kind: 'adapter', source: 'job', base_model_id: modelId, job_id: job.id });

    const metrics = (await api.get(`/jobs/${job.id}/metrics?names=loss`)).body.data;
    expect(metrics).toHaveLength(8);
    expect(metrics.at(-1).value).toBeLessThan(metrics[0].value);
    const logs = (await api.get(`/jobs/${job.id}/logs`)).body.data;
    expect(logs.some((l: { message: string }) => l.message.includes('succeeded'))).toBe(true);
  });

  it('queues a second job while one runs (one at a time by default), then runs it', async () => {
    const a = (await api.post('/jobs', quick())).body;
    const b = (await api.post('/jobs', quick())).body;
    expect((await api.get(`/jobs/${b.id}`)).body.status).toBe('queued');
    await api.waitFor(a.id, ['succeeded']);
    expect((await api.waitFor(b.id, ['succeeded'])).status).toBe('succeeded');
  });

  it('cancels a running job after a checkpoint, and the job stays resumable', async () => {
    const job = (await api.post('/jobs', quick({ max_steps: 400, save_steps: 2 }))).body;
    await api.events(job.id, async (e) => {
      if (e.type === 'checkpoint') await api.post(`/jobs/${job.id}/cancel`);
    });
    const done = (await api.get(`/jobs/${job.id}`)).body;
    expect(done.status).toBe('cancelled');
    expect(done.progress.step).toBeLessThan(400);
    expect(done.resumable).toBe(true);
    expect(done.last_checkpoint.step).toBeGreaterThan(0);
    expect((await api.post(`/jobs/${job.id}/cancel`)).status).toBe(409);
  });

  it('pauses, then resumes from the checkpoint with more epochs and a schedule extended to cover them', async () => {
    const job = (await api.post('/jobs', { ...quick({ save_steps: 2 }), hyperparameters: { epochs: 3, learning_rate: 5e-3, batch_size: 4, gradient_accumulation_steps: 1, save_steps: 2, eval_steps: 100 } })).body;
    let planned = 0;
    const first = await api.events(job.id, async (e) => {
      if (e.type === 'plan') planned = e.total_steps;
      if (e.type === 'checkpoint' && e.step >= 4) await api.post(`/jobs/${job.id}/pause`);
    });
    const paused = (await api.get(`/jobs/${job.id}`)).body;
    expect(paused.status).toBe('paused');
    const pausedAt = paused.last_checkpoint.step;
    expect(pausedAt).toBeGreaterThanOrEqual(4);
    expect(pausedAt).toBeLessThan(planned);

    const resumed = await api.post(`/jobs/${job.id}/resume`, { epochs: 4 });
    expect(resumed.status).toBe(200);
    const events = await api.events(job.id, undefined, first.at(-1).seq);
    const started = events.filter((e) => e.type === 'started').at(-1);
    expect(started.resumed_from_step).toBe(pausedAt);
    const done = (await api.get(`/jobs/${job.id}`)).body;
    expect(done.status).toBe('succeeded');
    expect(done.progress.total_steps).toBeGreaterThan(planned);
    expect(done.progress.step).toBe(done.progress.total_steps);
    expect(done.resolved.epochs.reason).toMatch(/changed on resume/);
  });

  it('refuses to resume a job that cannot be resumed, and to delete a running one', async () => {
    const ok = (await api.get('/jobs?status=succeeded')).body.data[0];
    const r = await api.post(`/jobs/${ok.id}/resume`);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('JOB_NOT_RESUMABLE');
    const running = (await api.post('/jobs', quick({ max_steps: 400 }))).body;
    await api.waitFor(running.id, ['running']);
    const del = await api.del(`/jobs/${running.id}`);
    expect(del.status).toBe(409);
    expect(del.body.error.hint).toMatch(/cancel/i);
    await api.post(`/jobs/${running.id}/cancel`);
    await api.waitFor(running.id, ['cancelled']);
    expect((await api.del(`/jobs/${running.id}`)).status).toBe(200);
    expect((await api.get(`/jobs/${running.id}`)).status).toBe(404);
  });
});
