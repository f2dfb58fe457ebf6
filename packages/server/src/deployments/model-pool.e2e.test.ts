import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model } from '@whetstone/core';
import { ensureTinyAdapter } from '../../../../test-support/tiny-adapter.ts';
import { ensureTinyModel } from '../../../../test-support/tiny-model.ts';
import { json, tempHome, testServer } from '../../../../test-support/server.ts';
import { newId, nowIso } from '../ids.ts';
import type { RunningServer } from '../start-server.ts';
import { pidAlive as alive } from '../../../../test-support/pid-alive.ts';

/**
 * The on-demand pool on the real `whet_worker serve`: the tiny model registered three times
 * counts as three base models, with room for two (maxLoadedModels: 2). Four worker starts in all.
 */
describe('the on-demand model pool: memory budget and deleted adapters', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  const models: Record<string, Model> = {};
  let adapterDir: string;
  const messages = [{ role: 'user', content: 'hello there' }];
  const chat = (model: string, extra: Record<string, unknown> = {}, signal?: AbortSignal) =>
    fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages, temperature: 0, max_tokens: 4, ...extra }),
      signal,
    });
  const pooled = (name: string) => server.ctx.gateway.pool.get(models[name]!);

  beforeAll(async () => {
    server = await testServer(home, { maxLoadedModels: 2, serveIdleSeconds: 600 });
    const tiny = ensureTinyModel();
    for (const name of ['a', 'b', 'c']) {
      const res = await fetch(`${server.url}/api/v1/models`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path: tiny, name }) });
      expect(res.status).toBe(201);
      models[name] = await json(res);
    }
    // The adapter in a folder of its own, which the test deletes as a job deletion would.
    adapterDir = join(home, 'a-tuned');
    cpSync(ensureTinyAdapter(tiny), adapterDir, { recursive: true });
    models['a-tuned'] = { ...models.a!, id: newId('mdl'), name: 'a-tuned', source: 'job', kind: 'adapter', path: adapterDir, base_model_id: models.a!.id, job_id: 'job_fixture', created_at: nowIso() };
    server.ctx.store.insertModel(models['a-tuned']);
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it("answers through the worker's token, which sits in its environment; the worker refuses requests without it", async () => {
    expect((await chat('a-tuned')).status).toBe(200);
    const a = pooled('a').backend;
    expect((await a.health())!.adapters).toEqual([models['a-tuned']!.id]);
    for (const authorization of [undefined, 'Bearer wrong']) {
      const direct = await fetch(`${a.url}/adapters`, { method: 'POST', headers: authorization ? { authorization } : {}, body: JSON.stringify({ name: 'x', path: home }) });
      expect(direct.status).toBe(401);
    }
    expect(readFileSync(`/proc/${a.pid}/cmdline`, 'utf8')).not.toMatch(/[0-9a-f]{64}/); // other local users can read it
    expect(readFileSync(`/proc/${a.pid}/environ`, 'utf8')).toMatch(/(^|\0)WHET_WORKER_TOKEN=[0-9a-f]{64}\0/);
  });

  it('forgets a deleted adapter: unloaded from the running server, and the base model still cold-starts', async () => {
    const a = pooled('a').backend;
    rmSync(adapterDir, { recursive: true });
    server.ctx.store.deleteModel(models['a-tuned']!.id);
    await server.ctx.gateway.forgetModel(models['a-tuned']!);
    expect((await a.health())!.adapters).toEqual([]);

    await a.close(); // as the idle timeout would: the next call starts the worker afresh
    const res = await chat('a');
    expect(res.status, await res.clone().text()).toBe(200); // before the fix: ADAPTER_INVALID, the folder of a deleted adapter
    expect((await json(res)).choices[0].message.content.length).toBeGreaterThan(0);
  });

  it('a third model evicts the least recently used idle one, whose worker exits', async () => {
    expect((await chat('b')).status).toBe(200);
    expect((await chat('a')).status).toBe(200); // now b is the least recently used
    const bPid = pooled('b').backend.pid!;
    expect(alive(bPid)).toBe(true);

    expect((await chat('c')).status).toBe(200);
    expect(pooled('b').backend.running).toBe(false);
    expect(alive(bPid)).toBe(false);
    expect(server.ctx.gateway.pool.loaded().sort()).toEqual([models.a!.id, models.c!.id].sort());
  });

  it('refuses a third model with 503 and Retry-After while both loaded ones are generating', async () => {
    const ac = new AbortController();
    const streams = await Promise.all(['a', 'c'].map((m) => chat(m, { max_tokens: 480, temperature: 1, stream: true }, ac.signal)));
    const readers = streams.map((s) => s.body!.getReader());
    for (const r of readers) await r.read(); // both are generating now
    expect(['a', 'c'].map((m) => pooled(m).queue.stats.running)).toEqual([1, 1]);

    const refused = await chat('b');
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const { error } = await json(refused);
    expect(error).toMatchObject({ type: 'server_error', code: 'capacity_exceeded', hint: expect.stringContaining('WHET_MAX_LOADED_MODELS') });
    expect(error.message).toMatch(/cannot load "b" .*2 of 2 models are loaded \("a" ~\d+ MB busy, "c" ~\d+ MB busy; \d+ MB of the [\d.]+ GB budget\)/);
    // The native API answers the same way.
    const native = await fetch(`${server.url}/api/v1/playground/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'b', messages, max_tokens: 4 }) });
    expect(native.status).toBe(503);
    expect(Number(native.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await json(native)).error.code).toBe('CAPACITY_EXCEEDED');
    expect(pooled('b').backend.started).toBe(false);
    expect(['a', 'c'].map((m) => pooled(m).backend.running)).toEqual([true, true]); // nothing busy was stopped
    ac.abort(); // (480 tokens still had ~2.5 s to go here on the 2-core machine)
  });
});
