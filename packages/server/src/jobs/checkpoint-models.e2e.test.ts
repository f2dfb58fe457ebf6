import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { json, tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';

const TRAINING_STATE = ['optimizer.pt', 'scheduler.pt', 'trainer_state.json', 'training_args.bin'];

// Checkpoints of a real job (the real worker on the tiny model), listed and registered as models
// that a real torch deployment serves, even after the job's checkpoint folder is gone.
describe('job checkpoints as models', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;
  let modelId: string;
  let datasetId: string;
  const train = async (tuning: string, hp: Record<string, unknown>) => {
    const created = await api.post('/jobs', {
      model: modelId,
      dataset: datasetId,
      tuning,
      validation_split: 0.25,
      hyperparameters: { learning_rate: 5e-3, batch_size: 4, gradient_accumulation_steps: 1, ...(tuning === 'lora' ? { lora_r: 8 } : {}), ...hp },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return api.waitFor(created.body.id, ['succeeded', 'failed'], 300_000);
  };

  beforeAll(async () => {
    server = await testServer(home);
    api = apiAt(server.url);
    modelId = (await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).body.id;
    datasetId = (await api.upload(writeJsonl(join(home, 'toy.jsonl'), toyChatRows(32)))).body.id;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('lists a LoRA job\'s checkpoints with their losses, registers one as an adapter a deployment serves, and refuses an unknown step with the steps that exist', async () => {
    const job = await train('lora', { max_steps: 6, save_steps: 2, eval_steps: 2, save_total_limit: 3 });
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');

    const listed = await api.get(`/jobs/${job.id}/checkpoints`);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((c: { step: number }) => c.step)).toEqual([2, 4, 6]);
    for (const c of listed.body.data) {
      expect(c).toEqual({ step: c.step, created_at: expect.any(String), loss: expect.any(Number), eval_loss: expect.any(Number) });
    }
    const losses = (await api.get(`/jobs/${job.id}/metrics?names=loss`)).body.data as { step: number; value: number }[];
    expect(listed.body.data[1].loss).toBeCloseTo(losses.find((m) => m.step === 4)!.value, 5);
    expect(JSON.stringify(listed.body)).not.toContain(home); // no server paths

    const missing = await api.post(`/jobs/${job.id}/checkpoints/5/model`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toMatch(/no checkpoint at step 5/);
    expect(missing.body.error.hint).toMatch(/steps 2, 4, 6/);
    expect((await api.post(`/jobs/${job.id}/checkpoints/four/model`)).status).toBe(400);
    expect((await api.post('/jobs/job_nope/checkpoints/4/model')).body.error.code).toBe('JOB_NOT_FOUND');

    const created = await api.post(`/jobs/${job.id}/checkpoints/4/model`);
    expect(created.status).toBe(201);
    const model = created.body;
    expect(model).toMatchObject({ name: `${job.name}-step-4`, kind: 'adapter', source: 'job', base_model_id: modelId, job_id: job.id, checkpoint_step: 4 });
    const files = readdirSync(model.path);
    expect(files).toEqual(expect.arrayContaining(['adapter_model.safetensors', 'adapter_config.json']));
    for (const f of TRAINING_STATE) expect(files).not.toContain(f);
    expect(files.filter((f) => f.startsWith('rng_state'))).toEqual([]);
    expect(model.path.startsWith(join(home, 'models'))).toBe(true);

    const again = await api.post(`/jobs/${job.id}/checkpoints/4/model`, { name: 'ignored-when-registered' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(model.id);
    const taken = await api.post(`/jobs/${job.id}/checkpoints/6/model`, { name: 'tiny' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.field).toBe('name');

    // Rotation or deletion of the job's checkpoints cannot break the model: it is a copy.
    rmSync(join(job.output_dir, 'checkpoints', 'checkpoint-4'), { recursive: true });
    const dep = await api.post('/deployments', { model: model.id, backend: 'torch', name: 'step-4' });
    expect(dep.status, JSON.stringify(dep.body)).toBe(201);
    expect(dep.body).toMatchObject({ adapter_id: model.id, model_id: modelId });
    const chat = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'step-4', messages: [{ role: 'user', content: 'What colour is the sky?' }], max_tokens: 8, temperature: 0 }),
    });
    const answer = await json(chat);
    expect(chat.status, JSON.stringify(answer)).toBe(200);
    expect(answer.usage.completion_tokens).toBeGreaterThan(0);
    expect((await api.get('/deployments/step-4')).body.status).toBe('ready');
    await api.del('/deployments/step-4');

    // Exportable like a job result: merged onto its base into one Hugging Face folder.
    const exp = await api.post(`/models/${model.id}/exports`, { format: 'merged' });
    expect(exp.status, JSON.stringify(exp.body)).toBe(202);
    let done = exp.body;
    for (const t0 = Date.now(); done.status === 'running' && Date.now() - t0 < 180_000; ) {
      await new Promise((r) => setTimeout(r, 250));
      done = (await api.get(`/exports/${exp.body.id}`)).body;
    }
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');

    // Deleting the model removes its copy (Whetstone's own files), not the job's.
    expect((await api.del(`/models/${model.id}`)).status).toBe(200);
    expect(existsSync(model.path)).toBe(false);
  }, 600_000);

  it('registers a full fine-tuning checkpoint as whole weights with its tokenizer, without the optimizer state', async () => {
    const job = await train('full', { max_steps: 2, save_steps: 2, eval_steps: 2 });
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const created = await api.post(`/jobs/${job.id}/checkpoints/2/model`, { name: 'tiny-full-2' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'tiny-full-2', kind: 'full', checkpoint_step: 2, params: expect.any(Number) });
    const files = readdirSync(created.body.path);
    expect(files).toEqual(expect.arrayContaining(['model.safetensors', 'config.json', 'tokenizer.json']));
    for (const f of TRAINING_STATE) expect(files).not.toContain(f);
  }, 600_000);
});
