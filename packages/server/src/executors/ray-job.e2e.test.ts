import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { type RayHead, startRayHead } from '../../../../test-support/ray-head.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';

// Issue 20: executor "ray" against a real local Ray head started here on 127.0.0.1 (dashboard
// off, small object store): Ray Train's TorchTrainer with 2 CPU workers. One worker killed with
// SIGKILL mid-run fails the job, resumable; the resume continues from the last checkpoint, the
// job succeeds, its result registers, and its last loss is a one-process run's (same spec, seed).
// With WHET_RAY_MAX_FAILURES 1 (a second server on the same head), Ray Train restarts the killed
// worker group itself from the last checkpoint and the job's log says so; a pause then stops at a
// checkpoint and a resume continues from its step, to the same loss.
describe('a Ray Train job through the server', () => {
  const { home, cleanup } = tempHome();
  let head: RayHead;
  let server: RunningServer;
  let retrying: RunningServer;
  let api: ReturnType<typeof apiAt>;
  let retryingApi: ReturnType<typeof apiAt>;
  const datasetIds = new Map<ReturnType<typeof apiAt>, string>();
  const STEPS = 40;

  // fp32 on every CPU: the runs are held against a one-process run to 1e-3, which bf16 (a CPU
  // with AMX trains LoRA's base in it) cannot keep between a batch split over 2 processes and a
  // whole one (7e-3 measured). Set before the head starts: its workers inherit it.
  const bf16Before = process.env.WHET_CPU_BF16;
  beforeAll(async () => {
    process.env.WHET_CPU_BF16 = '0';
    head = await startRayHead();
    server = await testServer(home, { rayAddress: head.address });
    retrying = await testServer(join(home, 'retrying'), { rayAddress: head.address, rayMaxFailures: 1 });
    [api, retryingApi] = [apiAt(server.url), apiAt(retrying.url)];
    for (const [i, a] of [api, retryingApi].entries()) {
      await a.post('/models', { path: ensureTinyModel(), name: 'tiny' });
      datasetIds.set(a, (await a.upload(writeJsonl(join(home, `toy-${i}.jsonl`), toyChatRows(32)))).body.id);
    }
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await retrying?.close();
    await head?.stop();
    cleanup();
    if (bf16Before === undefined) delete process.env.WHET_CPU_BF16;
    else process.env.WHET_CPU_BF16 = bf16Before;
  }, 60_000);

  const train = async (resources: Record<string, unknown>, on = api) => {
    const created = await on.post('/jobs', {
      model: 'tiny',
      dataset: datasetIds.get(on),
      hyperparameters: { max_steps: STEPS, batch_size: 4, save_steps: 4, eval_steps: 1000, learning_rate: 5e-3, lora_dropout: 0 },
      resources,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as string;
  };
  const lastLoss = async (id: string, on = api) => (await on.get(`/jobs/${id}/metrics?names=loss`)).body.data.at(-1);
  let localRun: Promise<{ id: string; status: string; error: unknown }> | undefined;
  /** The one-process run of the same spec every Ray run is held against (once for the file). */
  const local = () => (localRun ??= train({ executor: 'local' }).then((id) => api.waitFor(id, ['succeeded', 'failed'], 240_000)));
  const firstCheckpoint = async (id: string, on = api) => {
    let job = (await on.get(`/jobs/${id}`)).body;
    for (let t0 = Date.now(); !job.last_checkpoint && job.status !== 'failed' && Date.now() - t0 < 240_000; ) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await on.get(`/jobs/${id}`)).body;
    }
    expect(job.last_checkpoint, JSON.stringify(job.error)).not.toBeNull();
    return job;
  };

  it('a killed worker fails the job resumably, and the resume reaches a one-process run\'s loss', { timeout: 400_000 }, async () => {
    const one = await local();
    expect(one.status, JSON.stringify(one.error)).toBe('succeeded');

    const id = await train({ executor: 'ray', processes_per_node: 2 });
    let job = await firstCheckpoint(id);
    const workers = rayTrainWorkers();
    expect(workers.length).toBe(2);
    process.kill(workers[0]!, 'SIGKILL');
    job = await api.waitFor(id, ['succeeded', 'failed'], 240_000);
    expect(job.status).toBe('failed');
    expect(job.resumable).toBe(true);
    expect(job.error.message).toMatch(/rank \d/);

    expect((await api.post(`/jobs/${id}/resume`, {})).status).toBe(200);
    job = await api.waitFor(id, ['succeeded', 'failed'], 240_000);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.resolved.dtype?.value).toBe('float32'); // the Ray workers got WHET_CPU_BF16
    expect((await api.get(`/models/${job.output_model_id}`)).body).toMatchObject({ kind: 'adapter' });
    const [ray, reference] = [await lastLoss(id), await lastLoss(one.id)];
    expect(ray.step).toBe(STEPS);
    expect(Math.abs(ray.value - reference.value)).toBeLessThan(1e-3);
  });

  it('with max_failures 1 Ray Train retries a killed worker from the checkpoint, says so, and a pause and resume continue the steps', { timeout: 400_000 }, async () => {
    const id = await train({ executor: 'ray', processes_per_node: 2 }, retryingApi);
    const checkpointed = await firstCheckpoint(id, retryingApi);
    const [victim] = rayTrainWorkers();
    process.kill(victim!, 'SIGKILL');
    let retry: string | undefined;
    for (let t0 = Date.now(); !retry && Date.now() - t0 < 120_000; await new Promise((r) => setTimeout(r, 200))) {
      const logs: { level: string; message: string }[] = (await retryingApi.get(`/jobs/${id}/logs`)).body.data;
      retry = logs.find((l) => l.level === 'warning' && /Ray Train restarted the workers/.test(l.message))?.message;
    }
    expect(retry).toMatch(/attempt 2 of 2\); resuming from .*checkpoint-\d+/);
    expect(Number(/checkpoint-(\d+)/.exec(retry!)![1])).toBeGreaterThanOrEqual(checkpointed.last_checkpoint.step);
    expect((await retryingApi.get(`/jobs/${id}`)).body.status).toBe('running'); // not failed: Ray took it

    // Pause the retried run: it stops at a checkpoint (its ranks poll the driver's flag each step).
    expect((await retryingApi.post(`/jobs/${id}/pause`)).status).toBe(200);
    const paused = await retryingApi.waitFor(id, ['paused', 'failed', 'succeeded'], 120_000);
    expect(paused.status, JSON.stringify(paused.error)).toBe('paused');
    const pausedAt = paused.last_checkpoint.step as number;
    expect(pausedAt).toBeGreaterThan(0);
    expect(pausedAt).toBeLessThan(STEPS);

    expect((await retryingApi.post(`/jobs/${id}/resume`, {})).status).toBe(200);
    const done = await retryingApi.waitFor(id, ['succeeded', 'failed'], 240_000);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    const starts = (await retryingApi.events(id)).filter((e) => e.type === 'started').map((e) => e.resumed_from_step);
    expect(starts.at(-1)).toBe(pausedAt); // the steps continue from the pause, not from 0
    const one = await local();
    const [ray, reference] = [await lastLoss(id, retryingApi), await lastLoss(one.id)];
    expect(ray.step).toBe(STEPS);
    expect(Math.abs(ray.value - reference.value)).toBeLessThan(1e-3);
  });
});

/** The pids of this machine's Ray Train worker processes (Ray titles them ray::RayTrainWorker...). */
function rayTrainWorkers(): number[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => /ray::RayTrainWorker/.test(l))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}
