import { afterAll, describe, expect, it } from 'vitest';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';
import { requiredRole } from './require-role.ts';

describe('requiredRole', () => {
  it('keeps keys and connection changes for admins, lets inference keys call only chat, completions and models', () => {
    expect(requiredRole('GET', '/api/v1/keys')).toBe('admin');
    expect(requiredRole('DELETE', '/api/v1/keys/key_1')).toBe('admin');
    // Spellings the router may still accept never fall into a weaker rule.
    expect(requiredRole('POST', '/API/v1//Keys/')).toBe('admin');
    expect(requiredRole('GET', '/api/v1/connections')).toBe('member');
    expect(requiredRole('POST', '/api/v1/connections')).toBe('admin');
    expect(requiredRole('DELETE', '/api/v1/connections/conn_1')).toBe('admin');
    expect(requiredRole('GET', '/api/v1/settings')).toBe('admin');
    expect(requiredRole('PATCH', '/api/v1/Settings/')).toBe('admin');
    expect(requiredRole('POST', '/api/v1/jobs/job_1/move')).toBe('member');
    expect(requiredRole('DELETE', '/api/v1/models/m1', ['true'])).toBe('admin');
    expect(requiredRole('DELETE', '/api/v1/models/m1', ['false'])).toBe('member');
    expect(requiredRole('POST', '/v1/chat/completions', ['1'])).toBe('admin');
    expect(requiredRole('POST', '/v1/chat/completions')).toBe('inference');
    expect(requiredRole('POST', '/v1/completions')).toBe('inference');
    expect(requiredRole('GET', '/v1/models')).toBe('inference');
    expect(requiredRole('HEAD', '/v1/models/tiny-tuned')).toBe('inference');
    // OpenAI's fine-tuning API trains: files and jobs need a member key, as on the native API.
    expect(requiredRole('POST', '/v1/fine_tuning/jobs')).toBe('member');
    expect(requiredRole('POST', '/v1/files')).toBe('member');
    expect(requiredRole('GET', '/v1/fine_tuning/jobs/job_1/events')).toBe('member');
    expect(requiredRole('GET', '/api/v1/health')).toBe('inference');
    expect(requiredRole('POST', '/v1/models')).toBe('member');
    expect(requiredRole('GET', '/v1/fine_tuning/jobs')).toBe('member');
    expect(requiredRole('POST', '/api/v1/jobs')).toBe('member');
    expect(requiredRole('POST', '/api/v1/jobs/job_1/checkpoints/4/model')).toBe('member');
    expect(requiredRole('POST', '/api/v1/playground/chat')).toBe('member');
  });
});

describe('API key roles', () => {
  const { home, cleanup } = tempHome();
  const OPERATOR = 'operator-secret-for-tests';
  const { app, ctx } = testApp(home, { apiKeys: [OPERATOR] });
  afterAll(async () => {
    await ctx.gateway.close();
    ctx.store.close();
    cleanup();
  });
  const req = (path: string, key: string, init: { method?: string; body?: unknown } = {}) =>
    app.request(path, {
      method: init.method ?? 'GET',
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    });
  const create = async (body: Record<string, unknown>) => {
    const res = await req('/api/v1/keys', OPERATOR, { method: 'POST', body });
    expect(res.status).toBe(201);
    return json(res);
  };

  it('treats the WHET_API_KEYS keys as admins: they create keys of every role and list them with their roles', async () => {
    const keys = [await create({ name: 'app', role: 'inference' }), await create({ name: 'dev' }), await create({ name: 'ops', role: 'admin' })];
    expect(keys.map((k) => k.role)).toEqual(['inference', 'member', 'admin']);
    const listed = (await json(await req('/api/v1/keys', OPERATOR))).data;
    expect(listed.map((k: { name: string; role: string }) => `${k.name}:${k.role}`)).toEqual(['app:inference', 'dev:member', 'ops:admin']);
    // A stored admin manages keys too.
    expect((await req('/api/v1/keys', keys[2].key)).status).toBe(200);
    const bad = await req('/api/v1/keys', OPERATOR, { method: 'POST', body: { role: 'root' } });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/^role: /);
    for (const k of keys) await req(`/api/v1/keys/${k.id}`, OPERATOR, { method: 'DELETE' });
  });

  it('an inference key calls /v1 chat, completions and models, and nothing else: no keys, no jobs', async () => {
    const app_ = await create({ name: 'app', role: 'inference' });
    const before = ctx.apiKeys.count();

    const mint = await req('/api/v1/keys', app_.key, { method: 'POST', body: { name: 'mine', role: 'admin' } });
    expect(mint.status).toBe(403);
    expect((await json(mint)).error).toMatchObject({
      code: 'FORBIDDEN',
      message: `API key ${app_.id} has the role "inference"; POST /api/v1/keys needs the role "admin"`,
      hint: expect.stringContaining('WHET_API_KEYS'),
    });
    expect(ctx.apiKeys.count()).toBe(before);

    const job = await req('/api/v1/jobs', app_.key, { method: 'POST', body: { model: 'tiny', dataset: 'ds_nope' } });
    expect(job.status).toBe(403);
    expect((await json(job)).error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('needs the role "member"'), hint: expect.stringContaining('/v1/chat/completions') });
    expect(ctx.store.listJobs({})).toEqual([]);
    expect((await req('/api/v1/models', app_.key)).status).toBe(403);

    expect((await req('/v1/models', app_.key)).status).toBe(200);
    // Past the role check: the model is unknown, not the call forbidden.
    const chat = await req('/v1/chat/completions', app_.key, { method: 'POST', body: { model: 'nope', messages: [{ role: 'user', content: 'hi' }] } });
    expect(chat.status).toBe(404);
    expect((await json(chat)).error.code).toBe('model_not_found');

    // On /v1 a refusal comes in OpenAI's error shape (the SDK raises PermissionDeniedError on 403).
    const ft = await req('/v1/fine_tuning/jobs', app_.key);
    expect(ft.status).toBe(403);
    expect((await json(ft)).error).toMatchObject({ type: 'invalid_request_error', code: 'forbidden', param: null, message: expect.stringContaining('"inference"') });
  });

  it('a member key works with data and jobs but cannot manage keys or connections, or force anything', async () => {
    const dev = await create({ name: 'dev' });
    expect((await req('/api/v1/models', dev.key)).status).toBe(200);
    const job = await req('/api/v1/jobs', dev.key, { method: 'POST', body: { model: 'tiny', dataset: 'ds_nope' } });
    expect((await json(job)).error.code).toBe('MODEL_NOT_FOUND'); // allowed, then validated

    const mint = await req('/api/v1/keys', dev.key, { method: 'POST', body: { name: 'mine' } });
    expect(mint.status).toBe(403);
    expect((await json(mint)).error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('has the role "member"; POST /api/v1/keys needs the role "admin"') });
    expect((await req('/api/v1/keys', dev.key)).status).toBe(403);
    expect((await req(`/api/v1/keys/${dev.id}`, dev.key, { method: 'DELETE' })).status).toBe(403);
    expect((await req('/api/v1/connections', dev.key, { method: 'POST', body: { name: 'x' } })).status).toBe(403);
    expect((await req('/api/v1/datasets/ds_nope?force=true', dev.key, { method: 'DELETE' })).status).toBe(403);
    expect((await req('/api/v1/datasets/ds_nope', dev.key, { method: 'DELETE' })).status).toBe(404);
    expect(ctx.apiKeys.get(dev.id)).toBeDefined();
  });

  it('a rate-limited member key cannot mint itself an unlimited key', async () => {
    const slow = await create({ name: 'slow', rate_limit_per_minute: 3 });
    const before = ctx.apiKeys.count();
    const tries = [];
    for (let i = 0; i < 4; i++) tries.push((await req('/api/v1/keys', slow.key, { method: 'POST', body: { name: 'fast', rate_limit_per_minute: null, role: 'admin' } })).status);
    expect(tries).toEqual([403, 403, 403, 429]);
    expect(ctx.apiKeys.count()).toBe(before);
    expect(ctx.apiKeys.list().some((k) => k.name === 'fast')).toBe(false);
  });
});
