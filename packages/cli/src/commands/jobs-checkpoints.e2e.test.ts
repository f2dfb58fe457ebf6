import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { runWhet } from '../../../../test-support/run-whet.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';

// `whet jobs checkpoints` and `whet jobs checkpoint-model` against a real server and a job the real worker trained.
describe('whet jobs checkpoints / checkpoint-model', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let jobId: string;
  const whet = (...args: string[]) => runWhet(server.url, args, { timeoutMs: 120_000 });

  beforeAll(async () => {
    server = await testServer(home);
    const api = apiAt(server.url);
    const model = (await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).body;
    const dataset = (await api.upload(writeJsonl(join(home, 'toy.jsonl'), toyChatRows(32)))).body;
    const job = await api.post('/jobs', {
      name: 'colours',
      model: model.id,
      dataset: dataset.id,
      validation_split: 0.25,
      hyperparameters: { max_steps: 4, save_steps: 2, eval_steps: 2, learning_rate: 5e-3, batch_size: 4, gradient_accumulation_steps: 1 },
    });
    jobId = job.body.id;
    expect((await api.waitFor(jobId, ['succeeded', 'failed'], 300_000)).status).toBe('succeeded');
  }, 400_000);
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('lists the checkpoints as a table and as JSON, registers one, and explains an unknown step', async () => {
    const table = await whet('jobs', 'checkpoints', jobId);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^STEP\s+TIME\s+LOSS\s+EVAL LOSS$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['2', '4']);
    expect(lines[1]).toMatch(/^2\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+\d+\.\d{4}\s+\d+\.\d{4}$/);
    const asJson = JSON.parse((await whet('jobs', 'checkpoints', jobId, '--json')).stdout);
    expect(asJson.map((c: { step: number }) => c.step)).toEqual([2, 4]);

    const made = await whet('jobs', 'checkpoint-model', jobId, '2');
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^mdl_\w+\s+colours-step-2\s+\(adapter, step 2 of job job_\w+\)/);
    const named = JSON.parse((await whet('jobs', 'checkpoint-model', jobId, '4', '--name', 'colours-early', '--json')).stdout);
    expect(named).toMatchObject({ name: 'colours-early', kind: 'adapter', checkpoint_step: 4, job_id: jobId });
    expect((await whet('models', 'list')).stdout).toMatch(/colours-step-2\s+adapter/);

    const missing = await whet('jobs', 'checkpoint-model', jobId, '3');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/NOT_FOUND: job job_\w+ has no checkpoint at step 3/);
    expect(missing.stderr).toMatch(/hint: Its checkpoints are at steps 2, 4/);
  });
});
