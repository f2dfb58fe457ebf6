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
describe('a Ray Train job through the server', () => {
  const { home, cleanup } = tempHome();
  let head: RayHead;
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;
  let datasetId: string;
  const STEPS = 40;

  beforeAll(async () => {
    head = await startRayHead();
    server = await testServer(home, { rayAddress: head.address });
    api = apiAt(server.url);
    await api.post('/models', { path: ensureTinyModel(), name: 'tiny' });
    datasetId = (await api.upload(writeJsonl(join(home, 'toy.jsonl'), toyChatRows(32)))).body.id;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await head?.stop();
    cleanup();
  }, 60_000);

  const train = async (resources: Record<string, unknown>) => {
    const created = await api.post('/jobs', {
      model: 'tiny',
      dataset: datasetId,
      hyperparameters: { max_steps: STEPS, batch_size: 4, save_steps: 4, eval_steps: 1000, learning_rate: 5e-3, lora_dropout: 0 },
      resources,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as string;
  };
  const lastLoss = async (id: string) => (await api.get(`/jobs/${id}/metrics?names=loss`)).body.data.at(-1);

  it('a killed worker fails the job resumably, and the resume reaches a one-process run\'s loss', { timeout: 400_000 }, async () => {
    const local = await api.waitFor(await train({ executor: 'local' }), ['succeeded', 'failed'], 240_000);
    expect(local.status, JSON.stringify(local.error)).toBe('succeeded');

    const id = await train({ executor: 'ray', processes_per_node: 2 });
    let job = (await api.get(`/jobs/${id}`)).body;
    for (let t0 = Date.now(); !job.last_checkpoint && job.status !== 'failed' && Date.now() - t0 < 240_000; ) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await api.get(`/jobs/${id}`)).body;
    }
    expect(job.last_checkpoint, JSON.stringify(job.error)).not.toBeNull();
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
    expect((await api.get(`/models/${job.output_model_id}`)).body).toMatchObject({ kind: 'adapter' });
    const [ray, one] = [await lastLoss(id), await lastLoss(local.id)];
    expect(ray.step).toBe(STEPS);
    expect(Math.abs(ray.value - one.value)).toBeLessThan(1e-3);
  });
});

/** The pids of this machine's Ray Train worker processes (Ray titles them ray::RayTrainWorker...). */
function rayTrainWorkers(): number[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => /ray::RayTrainWorker/.test(l))
    .map((l) => Number(l.trim().split(/\s+/)[0]));
}
