import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoGgufPath } from '../../../../test-support/demo-gguf.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { json, tempHome, testApp, testConfig } from '../../../../test-support/server.ts';

describe('deployments API', () => {
  const { home, cleanup } = tempHome();
  const gguf = demoGgufPath();
  // The demo GGUF sits in the venv: its folder is added to the model roots, as an operator would.
  const settings = { llamaThreads: 1, modelRoots: [...testConfig(home).modelRoots, ...(gguf ? [dirname(gguf)] : [])] };
  const { app, ctx } = testApp(home, settings); // one thread: see llamacpp.e2e.test.ts
  const post = (path: string, body: unknown) =>
    app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  beforeAll(async () => {
    expect((await post('/api/v1/models', { path: ensureTinyModel(), name: 'tiny' })).status).toBe(201);
  });
  afterAll(async () => {
    await ctx.gateway.close();
    ctx.store.close();
    cleanup();
  });

  it('refuses a vllm deployment with a clear error when vLLM or CUDA is absent, and stores nothing', async () => {
    const res = await post('/api/v1/deployments', { model: 'tiny', backend: 'vllm' });
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.message).toMatch(/vllm Python package|CUDA/);
    expect(error.hint).toMatch(/torch|llamacpp/);
    expect((await json(await app.request('/api/v1/deployments'))).data).toEqual([]);
  });

  it('checks the model, the adapter, the quantization, the dtype and the GGUF before creating anything', async () => {
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [{ model: 'nope' }, 404, 'MODEL_NOT_FOUND', /nope/],
      [{ model: 'tiny', backend: 'torch', quantization: 'q8_0' }, 400, 'INVALID_REQUEST', /torch backend serves the weights as stored/],
      [{ model: 'tiny', adapter: 'tiny' }, 400, 'INVALID_REQUEST', /is a base model, not an adapter/],
      [{ model: 'tiny', backend: 'llamacpp', quantization: 'q4_k_m' }, 400, 'GGUF_NOT_FOUND', /no q4_k_m \.gguf file in .*export writes only f16, q8_0/],
      [{ model: `${home}/nowhere/model.gguf`, backend: 'llamacpp' }, 400, 'GGUF_NOT_FOUND', /\/nowhere\/model\.gguf/],
      [{ model: '/nowhere/model.gguf', backend: 'llamacpp' }, 403, 'PATH_NOT_ALLOWED', /"\/nowhere\/model\.gguf" is outside the model roots/],
      [{ model: '/nowhere/model.gguf', backend: 'llamacpp', adapter: 'x' }, 400, 'INVALID_REQUEST', /takes no separate adapter/],
      [{ model: 'tiny', backend: 'llamacpp', adapter: 'tiny' }, 400, 'INVALID_REQUEST', /is a base model, not an adapter/],
      [{ model: 'tiny', backend: 'tgi' }, 400, 'INVALID_REQUEST', /backend/],
      [{ model: 'tiny', backend: 'llamacpp', dtype: 'bfloat16' }, 400, 'INVALID_REQUEST', /dtype "bfloat16" is for the torch backend; llamacpp computes in the GGUF type/],
      [{ model: 'tiny', dtype: 'int8' }, 400, 'INVALID_REQUEST', /dtype/],
      [{ model: 'tiny', name: 'tiny' }, 409, 'CONFLICT', /already a model name/],
    ];
    for (const [body, status, code, message] of cases) {
      const res = await post('/api/v1/deployments', body);
      const { error } = await json(res);
      expect({ body, status: res.status, code: error.code }).toEqual({ body, status, code });
      expect(error.message).toMatch(message);
      expect(error.hint).toBeTruthy();
    }
    expect((await json(await app.request('/api/v1/deployments'))).data).toEqual([]);
  });

  it('refuses a .gguf file outside WHET_MODEL_ROOTS, or reached with "..", and stores nothing', async () => {
    const outside = `${home}-outside`;
    mkdirSync(outside, { recursive: true });
    writeFileSync(`${outside}/model.gguf`, 'GGUF'); // exists: only the root check can refuse it
    try {
      for (const [model, message] of [
        [`${outside}/model.gguf`, /is outside the model roots/],
        [`${home}/../${outside.split('/').pop()}/model.gguf`, /holds a "\.\." segment/],
      ] as const) {
        const res = await post('/api/v1/deployments', { model, backend: 'llamacpp', name: 'sneaky' });
        const { error } = await json(res);
        expect({ model, status: res.status, code: error.code, field: error.field }).toEqual({ model, status: 403, code: 'PATH_NOT_ALLOWED', field: 'model' });
        expect(error.message).toMatch(message);
        expect(error.hint).toMatch(/WHET_MODEL_ROOTS/);
      }
      expect((await json(await app.request('/api/v1/deployments'))).data).toEqual([]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('deploys a registered model on llamacpp at q8_0 by exporting its GGUF on first load', async () => {
    const created = await json(await post('/api/v1/deployments', { model: 'tiny', backend: 'llamacpp', quantization: 'q8_0', name: 'tiny-q8' }));
    expect(created).toMatchObject({ status: 'loading', quantization: 'q8_0', weights_path: expect.stringMatching(/exports\/mdl_\w+\/model-q8_0\.gguf$/) });
    // A request while it loads waits for the export and the load.
    const res = await post('/v1/completions', { model: 'tiny-q8', prompt: 'hello', max_tokens: 3, temperature: 0 });
    expect(res.status).toBe(200);
    expect((await json(res)).usage.completion_tokens).toBe(3);
    const d = await json(await app.request(`/api/v1/deployments/${created.id}`));
    expect(d.status).toBe('ready');
    expect(existsSync(d.weights_path)).toBe(true);
    await app.request(`/api/v1/deployments/${created.id}`, { method: 'DELETE' });
  });

  it.skipIf(!gguf)('creates, lists, gets, stops and deletes a deployment; /v1 follows its state', async () => {
    const created = await json(await post('/api/v1/deployments', { model: gguf, backend: 'llamacpp', name: 'edge' }));
    expect(created).toMatchObject({ name: 'edge', backend: 'llamacpp', weights_path: gguf, status: 'loading', max_concurrency: 4, queue_size: 64 });
    let d = created;
    for (let i = 0; i < 300 && d.status === 'loading'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      d = await json(await app.request(`/api/v1/deployments/${created.id}`));
    }
    expect(d).toMatchObject({ status: 'ready', queue: { running: 0, queued: 0 } });
    expect((await json(await app.request('/api/v1/deployments'))).data.map((x: { id: string }) => x.id)).toEqual([created.id]);
    expect((await json(await app.request('/v1/models'))).data.map((m: { id: string }) => m.id)).toEqual(['edge', 'tiny']);
    expect((await post('/api/v1/deployments', { model: gguf, backend: 'llamacpp', name: 'edge' })).status).toBe(409);

    const stopped = await json(await post('/api/v1/deployments/edge/stop', {}));
    expect(stopped).toMatchObject({ status: 'stopped', stopped_at: expect.any(String), queue: null });
    const call = await post('/v1/chat/completions', { model: 'edge', messages: [{ role: 'user', content: 'hi' }] });
    expect(call.status).toBe(409);
    expect((await json(call)).error).toMatchObject({ code: 'deployment_not_running', type: 'invalid_request_error' });
    expect((await json(await app.request('/v1/models'))).data.map((m: { id: string }) => m.id)).toEqual(['tiny']);

    expect(await json(await app.request('/api/v1/deployments/edge', { method: 'DELETE' }))).toEqual({ id: created.id, deleted: true });
    expect((await app.request(`/api/v1/deployments/${created.id}`)).status).toBe(404);
    const gone = await post('/v1/chat/completions', { model: 'edge', messages: [{ role: 'user', content: 'hi' }] });
    expect(gone.status).toBe(404);
    expect((await json(gone)).error.code).toBe('model_not_found');
  });

  it.skipIf(!gguf)('loads serving deployments again after a restart', async () => {
    const created = await json(await post('/api/v1/deployments', { model: gguf, backend: 'llamacpp', name: 'durable' }));
    await post('/api/v1/deployments', { model: gguf, backend: 'llamacpp', name: 'parked' });
    await post('/api/v1/deployments/parked/stop', {});
    await ctx.gateway.close(); // the old server goes away
    const restarted = testApp(home, settings);
    try {
      restarted.ctx.gateway.deployments.restore();
      let d = await json(await restarted.app.request(`/api/v1/deployments/${created.id}`));
      for (let i = 0; i < 300 && d.status === 'loading'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        d = await json(await restarted.app.request(`/api/v1/deployments/${created.id}`));
      }
      expect(d.status).toBe('ready');
      expect((await json(await restarted.app.request('/api/v1/deployments/parked'))).status).toBe('stopped');
      const res = await restarted.app.request('/v1/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'durable', prompt: 'The capital of France is', max_tokens: 2, temperature: 0 }),
      });
      expect((await json(res)).choices[0].text).toMatch(/Paris/);
    } finally {
      await restarted.ctx.gateway.close();
      restarted.ctx.store.close();
    }
  });
});
