import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { writeJsonl } from '../../../../test-support/toy-data.ts';

/** Preference pairs with one clear rule: the chosen answer is polite, the rejected one curt. */
function pairs(n: number, offset = 0) {
  return Array.from({ length: n }, (_, i) => ({
    prompt: `Question ${i + offset}: can you help me with task ${i + offset}?`,
    chosen: 'Yes, of course. I would be glad to help.',
    rejected: 'No.',
  }));
}

// Issue 17: preference learning through the job API with the real worker on the tiny model:
// DPO trains on an uploaded preference set, their rewards are stored as metrics and
// charted, the diagnosis reads them, and the result is a model like any other.
describe('preference learning (methods "dpo" and "orpo")', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;
  let modelId: string;
  let datasetId: string;

  beforeAll(async () => {
    server = await testServer(home);
    api = apiAt(server.url);
    modelId = (await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).body.id;
    const d = await api.upload(writeJsonl(join(home, 'prefs.jsonl'), pairs(40)));
    expect(d.body).toMatchObject({ status: 'ready', purpose: 'preference' });
    datasetId = d.body.id;
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  // ORPO takes the same path through the server (the worker's tests train it); here its job is
  // checked as created, and DPO runs end to end.
  it('orpo: a job resolves lambda 0.1 and a rate above DPO\'s', async () => {
    const plan = await api.post('/jobs?dry_run=true', { model: modelId, dataset: datasetId, method: 'orpo' });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    expect(plan.body.hyperparameters.orpo_lambda).toBe(0.1);
    expect(plan.body.resolved.learning_rate.reason).toMatch(/^ORPO with LoRA/);
  });

  for (const method of ['dpo'] as const) {
    it(`${method}: trains, stores the rewards and preference accuracy, and its result answers`, { timeout: 300_000 }, async () => {
      const created = await api.post('/jobs', {
        model: modelId,
        dataset: datasetId,
        method,
        tuning: 'lora',
        hyperparameters: { max_steps: 16, learning_rate: 5e-3, batch_size: 4, eval_steps: 8, save_steps: 8, max_seq_len: 64 },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const job = created.body;
      expect(job.method).toBe(method);
      if (method === 'dpo') expect(job.hyperparameters).toMatchObject({ beta: 0.1, loss_type: 'sigmoid' });
      else expect(job.hyperparameters.orpo_lambda).toBe(0.1);
      const done = await api.waitFor(job.id, ['succeeded', 'failed'], 240_000);
      expect(done.status, JSON.stringify(done.error)).toBe('succeeded');

      const metrics = (await api.get(`/jobs/${job.id}/metrics?names=reward_margin,preference_accuracy,eval_preference_accuracy`)).body.data as { name: string; step: number; value: number }[];
      const margin = metrics.filter((m) => m.name === 'reward_margin');
      expect(margin.length).toBeGreaterThanOrEqual(8);
      expect(metrics.some((m) => m.name === 'eval_preference_accuracy')).toBe(true);
      for (const m of metrics.filter((x) => x.name.endsWith('preference_accuracy'))) expect(m.value).toBeGreaterThanOrEqual(0);
      // One rule to learn: the margin opens up.
      expect(margin.at(-1)!.value).toBeGreaterThan(margin[0]!.value);
      // The result's summary: held-out preference accuracy and margin before (step 0) and after.
      const summary = done.resolved.preference;
      expect(summary.reason).toMatch(/^held-out preference accuracy \d+% before training, \d+% after; reward margin -?[\d.]+ -> -?[\d.]+/);
      expect(summary.value.after.margin).toBeGreaterThan(summary.value.before.margin);

      const diagnosis = (await api.get(`/jobs/${job.id}/diagnosis`)).body;
      expect(diagnosis.verdict).toBeDefined();
      const out = (await api.get(`/models/${done.output_model_id}`)).body;
      expect(out).toMatchObject({ kind: 'adapter', job_id: job.id });
      const chat = await api.post('/playground/chat', { model: out.id, messages: [{ role: 'user', content: pairs(1, 99)[0]!.prompt }], max_tokens: 8, temperature: 0 });
      expect(chat.status, JSON.stringify(chat.body)).toBe(200);
    });
  }
});
