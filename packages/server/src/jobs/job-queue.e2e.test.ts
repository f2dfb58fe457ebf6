import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1 that answers each POST with the next status of `statuses` (then 200) and records it. */
async function listen(statuses: number[] = []): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses[received.length - 1] ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/whet-token-123`,
    received,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

// The queue and the job-end webhook through real HTTP on 127.0.0.1 and the real Python worker on
// the tiny model, one job at a time (WHET_MAX_CONCURRENT_JOBS=1).
describe('the job queue and job-end webhooks end to end', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;
  let modelId: string;
  let datasetId: string;
  const patch = async (body: unknown) => {
    const res = await fetch(`${server.url}/api/v1/settings`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  };
  const quick = (name: string, max_steps = 4) => ({
    name,
    model: modelId,
    dataset: datasetId,
    hyperparameters: { max_steps, learning_rate: 5e-3, batch_size: 4, gradient_accumulation_steps: 1, save_steps: 2, eval_steps: 100, lora_r: 8 },
  });

  beforeAll(async () => {
    server = await testServer(home, { maxConcurrentJobs: 1 });
    api = apiAt(server.url);
    modelId = (await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).body.id;
    datasetId = (await api.upload(writeJsonl(join(home, 'toy.jsonl'), toyChatRows(16)))).body.id;
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('runs queued jobs in queue order: the last one moved to the top runs next', async () => {
    const blocker = (await api.post('/jobs', quick('blocker', 400))).body;
    await api.waitFor(blocker.id, ['running']);
    const queued = [];
    for (const name of ['first', 'second', 'third']) queued.push((await api.post('/jobs', quick(name))).body);
    expect(queued.map((j) => j.queue_position)).toEqual([1, 2, 3]);

    const moved = await api.post(`/jobs/${queued[2].id}/move`, { position: 'top' });
    expect(moved.status).toBe(200);
    expect(moved.body.queue_position).toBe(1);
    const list = (await api.get('/jobs?status=queued')).body.data as { name: string; queue_position: number }[];
    expect(list.sort((a, b) => a.queue_position - b.queue_position).map((j) => j.name)).toEqual(['third', 'first', 'second']);
    const running = await api.post(`/jobs/${blocker.id}/move`, { position: 'top' });
    expect(running.status).toBe(409);
    expect(running.body.error.code).toBe('JOB_STATE_CONFLICT');

    // The order they start in is the queue's: each is cancelled as soon as it runs, so the next
    // starts (that a queued job then trains to success is jobs.e2e's "queues a second job").
    await api.post(`/jobs/${blocker.id}/cancel`);
    const started: string[] = [];
    for (let i = 0; i < queued.length; i++) {
      let running: { id: string; name: string } | undefined;
      for (const t0 = Date.now(); !running; await new Promise((r) => setTimeout(r, 100))) {
        running = (await api.get('/jobs?status=running')).body.data.find((j: { id: string }) => j.id !== blocker.id);
        if (Date.now() - t0 > 120_000) throw new Error(`no queued job started; started so far: ${started.join(', ')}`);
      }
      started.push(running.name);
      await api.post(`/jobs/${running.id}/cancel`);
      await api.waitFor(running.id, ['cancelled', 'failed', 'succeeded']);
    }
    expect(started).toEqual(['third', 'first', 'second']);
    const done = await Promise.all(queued.map(async (j) => (await api.get(`/jobs/${j.id}`)).body));
    expect(done.map((j) => [j.status, j.queue_position])).toEqual([
      ['cancelled', null],
      ['cancelled', null],
      ['cancelled', null],
    ]);
    expect([...done].sort((a, b) => a.started_at.localeCompare(b.started_at)).map((j) => j.name)).toEqual(['third', 'first', 'second']);
  }, 400_000);

  it('POSTs exactly one signed job.finished to the webhook when a real job ends', async () => {
    const hook = await listen();
    const secret = 'webhook-secret-for-the-e2e';
    expect((await patch({ job_webhook_url: hook.url, job_webhook_secret: secret })).body).toEqual({ job_webhook_url: hook.url, job_webhook_secret_set: true });
    try {
      const job = (await api.post('/jobs', quick('hooked'))).body;
      const done = await api.waitFor(job.id, ['succeeded', 'failed'], 300_000);
      expect(done.status).toBe('succeeded');
      await server.ctx.jobWebhook.idle();
      expect(hook.received).toHaveLength(1);
      const { headers, body } = hook.received[0]!;
      expect(headers['content-type']).toBe('application/json');
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
      const got = Buffer.from(String(headers['x-whet-signature']));
      expect(got.length === expected.length && timingSafeEqual(got, expected)).toBe(true);
      const payload = JSON.parse(body);
      expect(payload).toEqual({
        event: 'job.finished',
        job: { id: job.id, name: 'hooked', status: 'succeeded', model_id: modelId, output_model_id: done.output_model_id, error: null, started_at: done.started_at, finished_at: done.finished_at },
        console_url: `${server.url}/jobs/${job.id}`,
      });
      expect(payload.job.output_model_id).toMatch(/^mdl_/);
      const logs = (await api.get(`/jobs/${job.id}/logs`)).body.data.map((l: { message: string }) => l.message);
      const origin = new URL(hook.url).origin;
      expect(logs).toContain(`webhook: job.finished delivered to ${origin} (try 1 of 3)`);
      expect(logs.join('\n')).not.toContain('whet-token-123'); // the path may hold a token; members read logs
    } finally {
      await hook.close();
    }
  }, 400_000);

  it('tries a failing receiver three times (500, 500, then 200), logging each try in the job log', async () => {
    const hook = await listen([500, 500]);
    await patch({ job_webhook_url: hook.url, job_webhook_secret: null });
    try {
      // Any end counts: a job cancelled at once ends as cancelled.
      const job = (await api.post('/jobs', quick('cancelled-at-once', 400))).body;
      await api.post(`/jobs/${job.id}/cancel`);
      await api.waitFor(job.id, ['cancelled'], 120_000);
      await server.ctx.jobWebhook.idle();
      expect(hook.received).toHaveLength(3);
      expect(hook.received.map((r) => r.headers['x-whet-signature'])).toEqual([undefined, undefined, undefined]); // no secret: unsigned
      expect(new Set(hook.received.map((r) => r.body)).size).toBe(1); // the same event each time
      expect(JSON.parse(hook.received[0]!.body).job).toMatchObject({ id: job.id, status: 'cancelled' });
      const logs = (await api.get(`/jobs/${job.id}/logs`)).body.data.map((l: { message: string }) => l.message).filter((m: string) => m.startsWith('webhook:'));
      const origin = new URL(hook.url).origin;
      expect(logs).toEqual([
        `webhook: try 1 of 3 to ${origin} failed (HTTP 500); trying again in 1 s`,
        `webhook: try 2 of 3 to ${origin} failed (HTTP 500); trying again in 4 s`,
        `webhook: job.finished delivered to ${origin} (try 3 of 3)`,
      ]);
    } finally {
      await hook.close();
      await patch({ job_webhook_url: null });
    }
  }, 120_000);
});
