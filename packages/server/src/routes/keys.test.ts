import { afterAll, describe, expect, it } from 'vitest';
import { json, tempHome, testApp, testServer } from '../../../../test-support/server.ts';
import type { SqliteStore } from '../store/sqlite-store.ts';

describe('API keys', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  afterAll(async () => {
    await ctx.gateway.close();
    ctx.store.close();
    cleanup();
  });
  const req = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
    app.request(path, {
      method: init.method ?? 'GET',
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      headers: { 'content-type': 'application/json', ...(init.key ? { authorization: `Bearer ${init.key}` } : {}) },
    });

  it('creates a key whose secret is shown once and stored only as a salted hash; then every call needs a key', async () => {
    expect((await req('/api/v1/keys')).status).toBe(200); // open until a key exists
    // No role given: the first key of a keyless server is an admin, or nobody could manage keys.
    const res = await req('/api/v1/keys', { method: 'POST', body: { name: 'ci' } });
    expect(res.status).toBe(201);
    const created = await json(res);
    expect(created).toMatchObject({ name: 'ci', role: 'admin', key: expect.stringMatching(/^whet-/), prefix: created.key.slice(0, 12), rate_limit_per_minute: null });
    const row = (ctx.store as SqliteStore).db.prepare('SELECT * FROM api_keys').get() as Record<string, string>;
    expect(JSON.stringify(row)).not.toContain(created.key);
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);

    const listed = await req('/api/v1/keys', { key: created.key });
    expect((await json(listed)).data).toEqual([expect.objectContaining({ id: created.id, name: 'ci', role: 'admin', last_used_at: expect.any(String) })]);
    expect(JSON.stringify(await json(await req('/api/v1/keys', { key: created.key })))).not.toContain(created.key);

    const none = await req('/api/v1/models');
    expect(none.status).toBe(401);
    expect((await json(none)).error).toMatchObject({ code: 'UNAUTHORIZED', hint: expect.stringContaining('Bearer') });
    const wrong = await req('/api/v1/models', { key: `${created.key}x` });
    expect((await json(wrong)).error.message).toBe('the API key is not valid');
    const health = await req('/api/v1/health');
    expect(health.status).toBe(200);
    expect(await health.text()).not.toContain(home); // open to anyone: no server paths

    // Keys apply to the OpenAI-compatible API too, with OpenAI's error shape.
    const v1 = await req('/v1/models');
    expect(v1.status).toBe(401);
    expect((await json(v1)).error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key', param: null });
    expect((await req('/v1/models', { key: created.key })).status).toBe(200);

    const del = await req(`/api/v1/keys/${created.id}`, { method: 'DELETE', key: created.key });
    expect(await json(del)).toEqual({ id: created.id, deleted: true });
    expect((await req('/api/v1/models')).status).toBe(200); // no keys left: open again (loopback)
    expect((await req('/api/v1/keys/key_nope', { method: 'DELETE' })).status).toBe(404);
  });

  it('limits each key to its requests per minute with 429 and Retry-After, on /api/v1 and /v1', async () => {
    const free = await json(await req('/api/v1/keys', { method: 'POST', body: { name: 'free', role: 'admin' } }));
    const limited = await json(await req('/api/v1/keys', { method: 'POST', body: { name: 'slow', rate_limit_per_minute: 2 }, key: free.key }));
    expect((await req('/api/v1/models', { key: limited.key })).status).toBe(200);
    expect((await req('/api/v1/models', { key: limited.key })).status).toBe(200);
    const refused = await req('/api/v1/models', { key: limited.key });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(30);
    expect((await json(refused)).error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('2 requests a minute') });
    const v1 = await req('/v1/models', { key: limited.key });
    expect(v1.status).toBe(429);
    expect((await json(v1)).error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limit_exceeded' });
    expect((await req('/v1/models', { key: free.key })).status).toBe(200);
    for (const k of [limited, free]) await req(`/api/v1/keys/${k.id}`, { method: 'DELETE', key: free.key });
  });

  it('refuses to listen beyond loopback without keys, and starts with a stored key', async () => {
    const other = tempHome();
    try {
      await expect(testServer(other.home, { host: '0.0.0.0' })).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringContaining('0.0.0.0') });
      const local = testApp(other.home);
      local.ctx.apiKeys.create('ops', null);
      local.ctx.store.close();
      const server = await testServer(other.home, { host: '0.0.0.0' });
      try {
        const res = await fetch(`http://127.0.0.1:${server.port}/v1/models`);
        expect(res.status).toBe(401);
        const [only] = server.ctx.apiKeys.list();
        const key = server.ctx.apiKeys.create('second', null, 'admin').key;
        server.ctx.apiKeys.delete(only!.id);
        const keys = await fetch(`http://127.0.0.1:${server.port}/api/v1/keys`, { headers: { authorization: `Bearer ${key}` } });
        const last = (await json(keys)).data[0];
        const refused = await fetch(`http://127.0.0.1:${server.port}/api/v1/keys/${last.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
        expect(refused.status).toBe(409);
        expect((await json(refused)).error.message).toMatch(/last API key/);
      } finally {
        await server.close();
      }
    } finally {
      other.cleanup();
    }
  });
});
