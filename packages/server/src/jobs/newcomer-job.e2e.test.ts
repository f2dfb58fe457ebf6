import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { REPO_ROOT } from '../../../../test-support/paths.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';

// Issue 16: the first job a newcomer makes (`whet train --model ... --data demo-chat --tuning lora`,
// every other value "auto") on the demo data's 48 distinct chats, with the tiny model in place
// of the demo model: a validation split is kept, the warm-up is long enough, the run stops
// before it memorises, and our own diagnosis calls it neither unstable nor over-fitting.
describe("the newcomer's first job", () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;

  beforeAll(async () => {
    server = await testServer(home);
    api = apiAt(server.url);
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('keeps a validation split, plans enough updates and ends healthy', { timeout: 480_000 }, async () => {
    const model = (await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).body;
    const dataset = (await api.upload(join(REPO_ROOT, 'demo', 'demo-chat.jsonl'))).body;
    expect(dataset.rows).toBe(48);
    const created = await api.post('/jobs', { model: model.id, dataset: dataset.id, tuning: 'lora' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const job = created.body;
    expect(job.hyperparameters).toMatchObject({ batch_size: 4, gradient_accumulation_steps: 1, warmup_steps: 10, early_stopping_patience: 2, lora_r: 16, lora_alpha: 32 });
    expect(job.resolved.gradient_accumulation_steps.reason).toMatch(/^effective batch 4: 43 samples x 15 epochs/);
    const spec = JSON.parse(readFileSync(join(home, 'jobs', job.id, 'spec.json'), 'utf8'));
    expect(spec.data.validation_split).toBeGreaterThan(0);

    const done = await api.waitFor(job.id, ['succeeded', 'failed'], 420_000);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    const events = await api.events(job.id);
    const plan = events.find((e) => e.type === 'plan');
    expect({ train: plan.train_samples, validation: plan.eval_samples }).toEqual({ train: 43, validation: 5 });
    expect(events.filter((e) => e.type === 'eval').length).toBeGreaterThanOrEqual(3);
    const result = events.find((e) => e.type === 'result');
    // Early stopping ends it, or it ends within the planned 15 epochs (never more; the tiny random
    // model keeps improving on held-out rows and runs them all, the demo model stops at 7.7).
    expect(done.progress.epoch).toBeLessThanOrEqual(15.01);
    if (result.stopped_early) {
      expect(result.steps).toBe(result.stopped_early.step);
      expect(result.best_step).toBe(result.stopped_early.best_step);
      expect(events.some((e) => e.type === 'log' && /^early stopping at step \d+ of \d+/.test(e.message))).toBe(true);
    } else {
      expect(result.steps).toBe(plan.total_steps);
    }
    const lrs = events.filter((e) => e.type === 'progress').map((e) => e.learning_rate as number);
    expect(lrs.slice(0, 10).every((lr, i) => i === 0 || lr > lrs[i - 1]!)).toBe(true); // 10 steps of warm-up

    const diagnosis = (await api.get(`/jobs/${job.id}/diagnosis`)).body;
    expect(['unstable', 'overfitting'], diagnosis.summary).not.toContain(diagnosis.verdict);
    expect(diagnosis.findings.map((f: { verdict: string }) => f.verdict)).not.toContain('overfitting');
  });

  it('an early stop is stored on the job with its reason, and the diagnosis does not call it over-fitting', { timeout: 480_000 }, async () => {
    const model = (await api.post('/models', { path: ensureTinyModel(), name: 'tiny-2' })).body;
    const rows = toyChatRows(48);
    // The same questions with other answers: learning the training rows turns the eval loss up.
    const contradicting = toyChatRows(8).map((r, i) => ({ messages: [r.messages[0]!, { ...r.messages[1]!, content: toyChatRows(8)[(i + 1) % 8]!.messages[1]!.content }] }));
    const train = (await api.upload(writeJsonl(join(home, 'train.jsonl'), rows))).body;
    const validation = (await api.upload(writeJsonl(join(home, 'validation.jsonl'), contradicting))).body;
    const created = await api.post('/jobs', {
      model: model.id,
      dataset: train.id,
      validation_dataset: validation.id,
      tuning: 'lora',
      hyperparameters: { epochs: 20, learning_rate: 5e-3, eval_steps: 4, save_steps: 4, early_stopping_patience: 2 },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const done = await api.waitFor(created.body.id, ['succeeded', 'failed'], 420_000);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    const result = (await api.events(done.id)).find((e) => e.type === 'result');
    expect(result.stopped_early, 'the eval loss never turned').toBeTruthy();
    expect(done.resolved.stopped_early).toMatchObject({ source: 'worker', value: result.stopped_early });
    expect(done.resolved.stopped_early.reason).toMatch(/^early stopping at step \d+ of \d+: the eval loss had not improved for 2 evaluations; the model of step \d+/);
    // The progress shows the steps the run took, not the plan it stopped short of.
    expect(done.progress).toMatchObject({ step: result.steps, total_steps: result.steps });
    const diagnosis = (await api.get(`/jobs/${done.id}/diagnosis`)).body;
    expect(diagnosis.findings.map((f: { verdict: string }) => f.verdict)).not.toContain('overfitting');
    expect(diagnosis.points.last_step).toBe(result.stopped_early.best_step);
  });
});
