import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, MetricPoint } from '@whetstone/core';
import type { RunningServer } from '@whetstone/server';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { runWhet } from '../../../../test-support/run-whet.ts';


// `whet jobs diagnose` against a real server on 127.0.0.1 whose store holds a recorded curve.
describe('whet jobs diagnose', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  const whet = (...args: string[]) => runWhet(server.url, args, { timeoutMs: 60_000 });

  beforeAll(async () => {
    server = await testServer(home);
    const job: Job = {
      id: 'job_curve', name: 'curve', status: 'succeeded', method: 'sft', tuning: 'lora', model_id: 'mdl_x', dataset_id: 'ds_x',
      validation_dataset_id: null, data_mix: null, request: {}, hyperparameters: {}, resolved: {},
      progress: { step: 200, total_steps: 200, epoch: 1, loss: null, eval_loss: null, learning_rate: null, tokens_per_sec: null, eta_seconds: null },
      error: null, executor: 'local', worker_pid: null, output_dir: join(home, 'out'), output_model_id: null, last_checkpoint: null,
      resumable: false, attempts: 1, queue_position: null, created_at: new Date().toISOString(), started_at: null, finished_at: null,
    };
    server.ctx.store.insertJob(job);
    const fixture = new URL('../../../eval/src/diagnosis/fixtures/recorded-not-converging.json', import.meta.url);
    server.ctx.store.appendMetrics('job_curve', (JSON.parse(readFileSync(fixture, 'utf8')) as { series: MetricPoint[] }).series);
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('prints the verdict, the evidence and the advice', async () => {
    const r = await whet('jobs', 'diagnose', 'job_curve');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^job_curve: not_converging\nNot converging\. The training loss stayed flat: 4\.229 at step 5, 4\.226 at step 200/);
    expect(r.stdout).toMatch(/evidence:\n {2}- The training loss stayed flat/);
    expect(r.stdout).toMatch(/advice:\n {2}- Raise the learning rate: 9\.8e-8 is far too low/);
    const j = await whet('jobs', 'diagnose', 'job_curve', '--json');
    expect(JSON.parse(j.stdout)).toMatchObject({ job_id: 'job_curve', verdict: 'not_converging' });
  });

  it('names an unknown job', async () => {
    const r = await whet('jobs', 'diagnose', 'job_nope');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error JOB_NOT_FOUND: no job with id "job_nope"/);
  });
});
