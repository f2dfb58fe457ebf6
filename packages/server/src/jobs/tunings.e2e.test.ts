import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { apiAt } from '../../../../test-support/api-client.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { toyChatRows, writeJsonl } from '../../../../test-support/toy-data.ts';

// Issue 17: every tuning's output works downstream, through real HTTP and the real worker on the
// tiny model: a DoRA adapter merges; a prefix-tuning adapter (virtual tokens) is served by the
// torch backend and /v1, and is refused with the reason where it cannot go (merge, GGUF, llama.cpp).
describe('the outputs of DoRA and prefix tuning, downstream', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let api: ReturnType<typeof apiAt>;
  let modelId: string;
  let datasetId: string;

  const train = async (tuning: string, extra: Record<string, unknown> = {}) => {
    const created = await api.post('/jobs', {
      model: modelId,
      dataset: datasetId,
      tuning,
      hyperparameters: { max_steps: 6, batch_size: 4, save_steps: 6, eval_steps: 6, ...extra },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const done = await api.waitFor(created.body.id, ['succeeded', 'failed'], 240_000);
    expect(done.status, JSON.stringify(done.error)).toBe('succeeded');
    const metrics = (await api.get(`/jobs/${done.id}/metrics?names=loss`)).body.data;
    expect(metrics.at(-1).value).toBeLessThan(metrics[0].value);
    return done;
  };

  beforeAll(async () => {
    server = await testServer(home);
    api = apiAt(server.url);
    modelId = (await api.post('/models', { path: ensureTinyModel(), name: 'tiny' })).body.id;
    datasetId = (await api.upload(writeJsonl(join(home, 'toy.jsonl'), toyChatRows(32)))).body.id;
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('prefix tuning: trains, answers on a torch deployment, and is refused for merge, GGUF and llama.cpp with the reason', { timeout: 300_000 }, async () => {
    const job = await train('prefix', { num_virtual_tokens: 8 });
    expect(job.hyperparameters).toMatchObject({ num_virtual_tokens: 8, learning_rate: 1e-2 });
    const adapter = (await api.get(`/models/${job.output_model_id}`)).body;
    expect(adapter.kind).toBe('adapter');

    for (const format of ['merged', 'gguf']) {
      const refused = await api.post(`/models/${adapter.id}/exports`, { format });
      expect(refused.status, JSON.stringify(refused.body)).toBe(400);
      expect(refused.body.error.message).toMatch(/PREFIX_TUNING adapter: it trains virtual tokens/);
      expect(refused.body.error.hint).toMatch(/"peft".*torch backend/);
    }
    const llama = await api.post('/deployments', { name: 'prefix-gguf', model: adapter.id, backend: 'llamacpp' });
    expect(llama.status).toBe(400);
    expect(llama.body.error).toMatchObject({ field: 'backend', hint: expect.stringMatching(/backend "torch"/) });

    const dep = await api.post('/deployments', { name: 'prefix', model: adapter.id, backend: 'torch' });
    expect(dep.status, JSON.stringify(dep.body)).toBe(201);
    let d = dep.body;
    for (let i = 0; i < 300 && d.status === 'loading'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      d = (await api.get(`/deployments/${d.id}`)).body;
    }
    expect(d.status, JSON.stringify(d.error)).toBe('ready');
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'prefix', messages: toyChatRows(1)[0]!.messages.slice(0, 1), max_tokens: 6, temperature: 0 }),
    });
    expect(res.status).toBe(200);
    expect((await res.json()).usage.completion_tokens).toBeGreaterThan(0);
    await api.del(`/deployments/${d.id}`);
  });

  it('DoRA: trains and merges into full weights', { timeout: 300_000 }, async () => {
    const job = await train('dora', { use_rslora: true, lora_r: 4 });
    const vllm = await api.post('/deployments', { name: 'dora-vllm', model: job.output_model_id, backend: 'vllm' });
    expect(vllm.status).toBe(400);
    expect(vllm.body.error).toMatchObject({ field: 'backend', message: expect.stringMatching(/DoRA adapter, and vLLM serves plain LoRA adapters only/) });
    const exported = await api.post(`/models/${job.output_model_id}/exports`, { format: 'merged' });
    expect([200, 201, 202]).toContain(exported.status);
    let e = exported.body;
    for (let i = 0; i < 600 && e.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      e = (await api.get(`/exports/${e.id}`)).body;
    }
    expect(e.status, JSON.stringify(e.error)).toBe('succeeded');
    expect(e.files.some((f: string) => f.endsWith('.safetensors'))).toBe(true);
  });
});
