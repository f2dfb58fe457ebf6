import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { tempHome, testApp } from '../../../../test-support/server.ts';
import { serveConsole } from './serve-console.ts';

const dist = mkdtempSync(join(tmpdir(), 'whet-console-'));
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Whetstone</title><div id="root"></div>');
const script = `console.log(${JSON.stringify('x'.repeat(4000))});`;
writeFileSync(join(dist, 'assets', 'index-AbC123.js'), script);
writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');

// The console alone, in front of a stand-in API that answers its own 404s.
const app = new Hono();
app.use('*', serveConsole({ dir: dist }));
app.get('/api/v1/health', (c) => c.json({ ok: true }));
app.notFound((c) => c.json({ error: { code: 'NOT_FOUND' } }, 404));

describe('serveConsole', () => {
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  it('serves index.html at / revalidated on every load, with the page headers', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(await res.text()).toContain('<div id="root">');
    const again = await app.request('/', { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('serves hashed assets as immutable for a year, gzipped when asked', async () => {
    const res = await app.request('/assets/index-AbC123.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await res.arrayBuffer())).toString()).toBe(script);
    const plain = await app.request('/assets/index-AbC123.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);
    const icon = await app.request('/favicon.svg');
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers the console routes with index.html (SPA fallback), but a missing asset with 404', async () => {
    for (const path of ['/jobs/job_123', '/data', '/some/deep/page']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('<div id="root">');
    }
    const missing = await app.request('/assets/gone-123.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await app.request('/robots.txt')).status).toBe(404);
  });

  it('never leaves its folder', async () => {
    for (const path of ['/..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/etc/passwd']) {
      const res = await app.request(path);
      expect([200, 404], path).toContain(res.status);
      expect(await res.text(), path).not.toMatch(/root:|"name"/);
    }
  });

  it('leaves /api and /v1 to the APIs, and only answers GET and HEAD', async () => {
    expect(await (await app.request('/api/v1/health')).json()).toEqual({ ok: true });
    const notFound = await app.request('/api/v1/nope');
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({ error: { code: 'NOT_FOUND' } });
    expect((await app.request('/v1/models/x')).headers.get('content-type')).toMatch(/json/);
    expect((await app.request('/', { method: 'POST' })).status).toBe(404);
    const head = await app.request('/', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('says how to build the console when it is not built, as a page', async () => {
    const bare = new Hono();
    bare.use('*', serveConsole({ dir: join(dist, 'no-such-folder') }));
    const res = await bare.request('/');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('npm run setup');
  });
});

describe('the console in the real app', () => {
  const { home, cleanup } = tempHome();
  const { ctx, app: real } = testApp(home, { apiKeys: ['secret-key'] });
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });

  it('is public while the APIs keep their key check, 404s and error shapes', async () => {
    const page = await real.request('/jobs/job_1');
    expect([200, 503]).toContain(page.status); // 503: this checkout's console is not built
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const api = await real.request('/api/v1/jobs');
    expect(api.status).toBe(401);
    expect((await api.json()).error.code).toBe('UNAUTHORIZED');
    const missing = await real.request('/api/v1/nope', { headers: { authorization: 'Bearer secret-key' } });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('NOT_FOUND');
    const openai = await real.request('/v1/nope', { headers: { authorization: 'Bearer secret-key' } });
    expect(openai.status).toBe(404);
    expect((await openai.json()).error).toHaveProperty('type');
  });

  it('keeps the host guard in front of the page', async () => {
    const res = await real.request('http://evil.example/', { headers: { host: 'evil.example' } });
    expect(res.status).toBe(403);
  });
});
