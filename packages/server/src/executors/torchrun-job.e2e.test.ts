import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvaluationSchema } from '@whetstone/core';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { freePort } from '../../../../test-support/free-port.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';

// Issue 20: a job with resources.executor "torchrun" trains in two processes (DDP, gloo, CPU)
// through the real server, registers its result, and the result evaluates like any other; what
// several processes cannot run is refused at creation, with the field and the fix.
describe('a torchrun job through the server', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;
  let datasetId: string;

  beforeAll(async () => {
    // Two nodes on this machine: both addresses loopback, the rendezvous on a free port.
    server = await testServer(home, { torchrunHosts: ['127.0.0.1', '127.0.0.1'], torchrunPort: await freePort() });
    api = apiAt(server.url);
    await api.post('/models', { path: ensureTinyModel(), name: 'tiny' });
    datasetId = (await api.upload(writeJsonl(join(home, 'toy.jsonl'), toyChatRows(32)))).body.id;
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  const body = (extra: Record<string, unknown> = {}) => ({
    model: 'tiny',
    dataset: datasetId,
    hyperparameters: { max_steps: 4, batch_size: 4, save_steps: 4, eval_steps: 4, learning_rate: 5e-3 },
    resources: { executor: 'torchrun', processes_per_node: 2 },
    ...extra,
  });

  it('trains in two ranks, only rank 0 reports, and the result registers and evaluates', { timeout: 300_000 }, async () => {
    const created = await api.post('/jobs', body());
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ executor: 'torchrun', resources: { executor: 'torchrun', nodes: 1, processes_per_node: 2, gpus_per_process: 0, strategy: 'ddp' } });
    const job = await api.waitFor(created.body.id, ['succeeded', 'failed'], 240_000);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const losses = (await api.get(`/jobs/${job.id}/metrics?names=loss`)).body.data;
    expect(losses.map((m: { step: number }) => m.step)).toEqual([1, 2, 3, 4]); // one voice: no step twice
    const result = (await api.get(`/models/${job.output_model_id}`)).body;
    expect(result).toMatchObject({ kind: 'adapter' });

    const testSet = (await api.upload(writeJsonl(join(home, 'test.jsonl'), toyChatRows(4)))).body.id;
    const res = await api.post('/evaluations', {
      dataset_id: testSet,
      models: [{ kind: 'job', job_id: job.id, label: 'ddp' }],
      generation: { max_tokens: 4, temperature: 0, top_p: 1, seed: 0 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    let e = EvaluationSchema.parse(res.body);
    for (let t0 = Date.now(); e.status !== 'succeeded' && e.status !== 'failed' && Date.now() - t0 < 120_000; ) {
      await new Promise((r) => setTimeout(r, 250));
      e = EvaluationSchema.parse((await api.get(`/evaluations/${e.id}`)).body);
    }
    expect(e.status, JSON.stringify(e.error)).toBe('succeeded');
  });

  it('two nodes on a shared folder: the server runs node 0, its log gives node 1\'s command, and the job completes once that runs', { timeout: 300_000 }, async () => {
    // The job's files live on "shared storage" (a temp folder here): the spec node 1 reads, the data, the checkpoints, the result.
    const shared = mkdtempSync(join(tmpdir(), 'whet-shared-'));
    const created = await api.post('/jobs', body({ resources: { executor: 'torchrun', nodes: 2, processes_per_node: 1, shared_path: shared } }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const runDir = join(shared, created.body.id);
    expect(created.body).toMatchObject({ resources: { shared_path: shared }, output_dir: join(runDir, 'output') });
    let command: string | undefined;
    for (let t0 = Date.now(); !command && Date.now() - t0 < 60_000; await new Promise((r) => setTimeout(r, 200))) {
      const logs: { message: string }[] = (await api.get(`/jobs/${created.body.id}/logs`)).body.data;
      command = logs.map((l) => /^node 1 of 2 \(127\.0\.0\.1\): .*from the same folders: (.*)$/.exec(l.message)?.[1]).find(Boolean);
    }
    expect(command).toMatch(/--node-rank 1 .*--master-addr 127\.0\.0\.1/);
    expect(command).toContain(`train ${join(runDir, 'spec.json')}`);
    const node1 = spawn('bash', ['-c', command!], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    node1.stderr.on('data', (d) => (stderr = (stderr + String(d)).slice(-3000)));
    const node1Exit = new Promise<number | null>((resolve) => node1.on('exit', resolve));
    const job = await api.waitFor(created.body.id, ['succeeded', 'failed'], 240_000);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(await node1Exit, stderr).toBe(0);
    const result = (await api.get(`/models/${job.output_model_id}`)).body;
    expect(result).toMatchObject({ kind: 'adapter', path: join(runDir, 'output', 'final') });
    const spec = JSON.parse(readFileSync(join(runDir, 'spec.json'), 'utf8'));
    expect(spec.data.train).toBe(join(runDir, 'data', 'train.jsonl')); // the ranks read the data there, not from WHET_HOME
    expect(existsSync(join(runDir, 'output', 'checkpoints', 'checkpoint-4', 'trainer_state.json'))).toBe(true);
    expect(existsSync(join(home, 'jobs', job.id, 'output'))).toBe(false);
    expect((await api.del(`/jobs/${job.id}?force=true`)).status).toBe(200);
    expect(existsSync(runDir)).toBe(false); // deleting the job deletes its files on the shared folder too
    rmSync(shared, { recursive: true, force: true });
  });

  it('pauses at a checkpoint every rank saved, and the resume continues from its step', { timeout: 300_000 }, async () => {
    const created = await api.post('/jobs', body({ hyperparameters: { max_steps: 1000, batch_size: 4, save_steps: 1000, eval_steps: 1000, learning_rate: 5e-3 } }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    let job = created.body;
    for (let t0 = Date.now(); job.progress.step < 2 && job.status !== 'failed' && Date.now() - t0 < 180_000; ) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await api.get(`/jobs/${id}`)).body;
    }
    expect((await api.post(`/jobs/${id}/pause`)).status).toBe(200);
    const paused = await api.waitFor(id, ['paused', 'failed', 'succeeded'], 120_000);
    expect(paused.status, JSON.stringify(paused.error)).toBe('paused');
    const at = paused.last_checkpoint.step as number; // saved by the pause itself: save_steps is 1000
    expect(at).toBeGreaterThanOrEqual(2);
    expect(existsSync(join(paused.last_checkpoint.path, 'rng_state_1.pth'))).toBe(true); // rank 1 saved its part

    expect((await api.post(`/jobs/${id}/resume`, { max_steps: at + 2 })).status).toBe(200);
    const done = await api.waitFor(id, ['succeeded', 'failed'], 180_000);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    const starts = (await api.events(id)).filter((e) => e.type === 'started');
    expect(starts.map((e) => e.resumed_from_step)).toEqual([null, at]);
    const steps = (await api.get(`/jobs/${id}/metrics?names=loss`)).body.data.map((m: { step: number }) => m.step);
    expect(steps.slice(-2)).toEqual([at + 1, at + 2]); // on from the pause, not from step 1
  });

  it('hands an FSDP job on GPUs to its ranks with strategy fsdp in the spec', { timeout: 60_000 }, async () => {
    const created = await api.post('/jobs', body({ resources: { executor: 'torchrun', strategy: 'fsdp', gpus_per_process: 1 } }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.resources).toMatchObject({ strategy: 'fsdp', gpus_per_process: 1, processes_per_node: 2 });
    // The spec is written as the job starts; what the ranks make of it on a GPU machine is the worker's test_fsdp.py.
    const specPath = join(home, 'jobs', created.body.id, 'spec.json');
    const deadline = Date.now() + 30_000;
    while (!existsSync(specPath) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(JSON.parse(readFileSync(specPath, 'utf8'))).toMatchObject({ strategy: 'fsdp', device: 'cuda' });
    await api.post(`/jobs/${created.body.id}/cancel`, {});
    await api.waitFor(created.body.id, ['cancelled', 'failed'], 30_000);
  });

  it('refuses at creation what several processes cannot run, naming the field and the fix', async () => {
    const fsdp = await api.post('/jobs', body({ resources: { executor: 'torchrun', strategy: 'fsdp' } }));
    expect(fsdp.status).toBe(400);
    expect(fsdp.body.error).toMatchObject({
      field: 'resources.strategy',
      message: expect.stringMatching(/strategy "fsdp" on CPU .*"There are currently no available devices found/),
      hint: expect.stringMatching(/Use strategy "ddp" on CPU/),
    });
    const odd = await api.post('/jobs', body({ hyperparameters: { batch_size: 3, max_steps: 2 } }));
    expect(odd.status).toBe(400);
    expect(odd.body.error).toMatchObject({ field: 'hyperparameters.batch_size', hint: expect.stringMatching(/multiple of 2/) });
    // A budget is no longer among them: rank 0 plans it and every rank takes the plan over.
    const budget = await api.post('/jobs?dry_run=true', body({ budget: { minutes: 1 } }));
    expect(budget.status, JSON.stringify(budget.body)).toBe(200);
    expect(budget.body).toMatchObject({ resources: { executor: 'torchrun', processes_per_node: 2 }, estimate: { basis: 'budget', seconds: 60 } });
    const local = await api.post('/jobs', body({ resources: { processes_per_node: 2 } }));
    expect(local.body.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'resources.processes_per_node' });
    const threeNodes = await api.post('/jobs', body({ resources: { executor: 'torchrun', nodes: 3 } }));
    expect(threeNodes.body.error).toMatchObject({ code: 'EXECUTOR_UNAVAILABLE', field: 'resources.nodes', hint: expect.stringMatching(/WHET_TORCHRUN_HOSTS/) });
    for (const [path, why] of [['relative/folder', /must be an absolute path/], ['/no/such/folder', /does not exist on the server/]] as const) {
      const bad = await api.post('/jobs', body({ resources: { executor: 'torchrun', shared_path: path } }));
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'resources.shared_path', message: expect.stringMatching(why), hint: expect.any(String) });
    }
    const unknown = await api.post('/jobs', body({ resources: { executor: 'slurm' } }));
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.error)).toMatch(/resources\.executor/);
  });
});

