import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { tempHome, testServer } from '../../../test-support/server.ts';
import { ensureTinyModel } from '../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../test-support/toy-data.ts';
import { runWhet } from '../../../test-support/run-whet.ts';


// `whet` as a user runs it, against a real server on 127.0.0.1. Async exec: the server lives in this process.
describe('whet CLI end to end', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  const whet = (...args: string[]) => runWhet(server.url, args, { timeoutMs: 180_000 });

  beforeAll(async () => {
    server = await testServer(home);
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('adds a model, uploads data, trains with --follow, and inspects the job', async () => {
    const add = await whet('models', 'add', ensureTinyModel(), '--name', 'tiny');
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/registered tiny \(mdl_/);

    const up = await whet('data', 'upload', writeJsonl(join(home, 'toy.jsonl'), toyChatRows(24)), '--json');
    expect(up.code, up.stderr).toBe(0);
    const dataset = JSON.parse(up.stdout);
    expect(dataset).toMatchObject({ status: 'ready', rows: 24 });

    const train = await whet('train', '--model', 'tiny', '--data', dataset.id, '--tuning', 'lora', '--max-steps', '6', '--lr', '0.005', '--set', 'save_steps=3', '--follow');
    expect(train.code, train.stdout + train.stderr).toBe(0);
    expect(train.stdout).toMatch(/\[#+\.*\] 6\/6 epoch [\d.]+ loss \d+\.\d{4} ETA/);
    expect(train.stdout).toMatch(/status: succeeded/);
    expect(train.stdout).toMatch(/learning_rate\s+0\.005\s+user/);
    const jobId = /created (job_\w+)/.exec(train.stdout)![1]!;

    const list = await whet('jobs', 'list');
    expect(list.stdout).toContain(jobId);
    expect(list.stdout).toMatch(/succeeded/);
    const show = await whet('jobs', 'show', jobId, '--json');
    expect(JSON.parse(show.stdout)).toMatchObject({ id: jobId, status: 'succeeded' });
    const shown = await whet('jobs', 'show', jobId);
    expect(shown.stdout).toMatch(/status\s+succeeded/);
    expect(shown.stdout).toMatch(/diagnosis\s+(healthy|not_converging|overfitting|unstable|too_early): \S/);
    const logs = await whet('jobs', 'logs', jobId);
    expect(logs.stdout).toMatch(/status: succeeded/);
    const models = await whet('models', 'list');
    expect(models.stdout).toMatch(/adapter/);
  });

  it('prints the error code, message and hint, and exits 1', async () => {
    const r = await whet('train', '--model', 'no-such-model', '--data', 'ds_x');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error MODEL_NOT_FOUND: no model with id or name "no-such-model"/);
    expect(r.stderr).toMatch(/hint: Register the model first/);
    const bad = await whet('train', '--model', 'tiny', '--data', 'ds_x', '--lr', '0');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/INVALID_HYPERPARAMETER: hyperparameters\.learning_rate/);
  });
});
