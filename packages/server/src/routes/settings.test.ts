import { afterAll, describe, expect, it } from 'vitest';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';

const OPERATOR = 'operator-key-for-settings-test';

describe('GET/PATCH /api/v1/settings', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home, { apiKeys: [OPERATOR] });
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });
  const call = async (method: string, path: string, body?: unknown, key = OPERATOR) => {
    const res = await app.request(`/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await json(res) };
  };

  it('starts empty, stores the webhook and its secret, and never returns the secret', async () => {
    expect((await call('GET', '/settings')).body).toEqual({ job_webhook_url: null, job_webhook_secret_set: false });
    const set = await call('PATCH', '/settings', { job_webhook_url: 'https://hooks.example.com/whet', job_webhook_secret: 'a-long-enough-secret' });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ job_webhook_url: 'https://hooks.example.com/whet', job_webhook_secret_set: true });
    expect(JSON.stringify((await call('GET', '/settings')).body)).not.toContain('a-long-enough-secret');
    expect(ctx.settings.jobWebhook()).toEqual({ url: 'https://hooks.example.com/whet', secret: 'a-long-enough-secret' });
    // a field left out is kept; null removes
    expect((await call('PATCH', '/settings', { job_webhook_url: 'http://10.0.0.5:9000/hook' })).body.job_webhook_secret_set).toBe(true);
    expect((await call('PATCH', '/settings', { job_webhook_secret: null })).body).toEqual({ job_webhook_url: 'http://10.0.0.5:9000/hook', job_webhook_secret_set: false });
    expect((await call('PATCH', '/settings', { job_webhook_url: null })).body.job_webhook_url).toBeNull();
    expect(ctx.settings.jobWebhook()).toBeNull();
  });

  it('refuses a URL that is not http(s), a short secret and unknown fields, naming each', async () => {
    for (const url of ['ftp://example.com/x', 'file:///etc/passwd', 'http://user:pw@example.com/', 'https://example.com/?token=1', 'not a url']) {
      const r = await call('PATCH', '/settings', { job_webhook_url: url });
      expect(r.status, url).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'job_webhook_url' });
      expect(r.body.error.message).toMatch(/an http\(s\) URL/);
    }
    const short = await call('PATCH', '/settings', { job_webhook_secret: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe('job_webhook_secret');
    expect((await call('PATCH', '/settings', { webhook: 'https://example.com' })).status).toBe(400);
    expect((await call('GET', '/settings')).body.job_webhook_url).toBeNull();
  });

  it('refuses a member key, both to read and to change', async () => {
    const member = (await call('POST', '/keys', { name: 'm', role: 'member' })).body.key as string;
    for (const [method, body] of [['GET', undefined], ['PATCH', { job_webhook_url: 'https://evil.example.com/' }]] as const) {
      const r = await call(method, '/settings', body, member);
      expect(r.status, method).toBe(403);
      expect(r.body.error.code).toBe('FORBIDDEN');
      expect(r.body.error.message).toMatch(/needs the role "admin"/);
    }
    expect(ctx.settings.jobWebhook()).toBeNull();
  });
});
