import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../index.ts';
import { rawRequest } from '../../../../test-support/raw-request.ts';
import { tempHome, testServer } from '../../../../test-support/server.ts';
import { toyChatRows } from '../../../../test-support/toy-data.ts';
import { originAllowed } from './origin-guard.ts';

describe('originAllowed', () => {
  it('accepts the request\'s own origin (default ports folded) and hosts in WHET_ALLOWED_HOSTS, nothing else', () => {
    expect(originAllowed('http://127.0.0.1:7860', '127.0.0.1:7860', [])).toBe(true);
    expect(originAllowed('https://whet.example.com', 'whet.example.com:443', [])).toBe(true);
    expect(originAllowed('http://127.0.0.1:3000', '127.0.0.1:7860', [])).toBe(false);
    expect(originAllowed('https://127.0.0.1:7860', '127.0.0.1:7860', [])).toBe(true); // TLS ended by a proxy: same host and port
    expect(originAllowed('https://evil.example', '127.0.0.1:7860', [])).toBe(false);
    expect(originAllowed('https://console.example', '127.0.0.1:7860', ['console.example'])).toBe(true);
    expect(originAllowed('null', '127.0.0.1:7860', [])).toBe(false);
    expect(originAllowed('file://', '127.0.0.1:7860', [])).toBe(false);
  });
});

describe('browser guards on a real server: Origin and Content-Type', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  let port: number;
  beforeAll(async () => {
    server = await testServer(home);
    port = server.port;
  });
  afterAll(async () => {
    await server.close();
    cleanup();
  });
  const console_ = () => `http://127.0.0.1:${port}`;
  const JSON_TYPE = { 'content-type': 'application/json' };

  /** A dataset upload as a browser's form would send it. */
  async function uploadBody() {
    const form = new FormData();
    form.set('file', new Blob([toyChatRows(4).map((r) => JSON.stringify(r)).join('\n')]), 'chats.jsonl');
    const r = new Request('http://x/', { method: 'POST', body: form });
    return { body: Buffer.from(await r.arrayBuffer()), type: r.headers.get('content-type')! };
  }

  it('refuses a cross-origin POST with no side effect, and takes the same request from the console\'s origin', async () => {
    const evil = await rawRequest(port, { method: 'POST', path: '/api/v1/keys', headers: { ...JSON_TYPE, origin: 'https://evil.example' }, body: '{"name":"pwned"}' });
    expect(evil.status).toBe(403);
    expect(evil.json.error).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED', message: expect.stringContaining('https://evil.example') });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const upload = await uploadBody();
    const evilUpload = await rawRequest(port, { method: 'POST', path: '/api/v1/datasets', headers: { 'content-type': upload.type, origin: 'https://evil.example' }, body: upload.body });
    expect(evilUpload.status).toBe(403);
    for (const origin of ['null', `http://localhost:${port}`, `http://127.0.0.1:${port + 1}`]) {
      const res = await rawRequest(port, { method: 'POST', path: '/api/v1/keys', headers: { ...JSON_TYPE, origin }, body: '{}' });
      expect(res.status, origin).toBe(403);
    }
    // Fetch metadata alone is enough to know a page on another site sent it.
    const crossSite = await rawRequest(port, { method: 'DELETE', path: '/api/v1/datasets/ds_x', headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.json.error.code).toBe('ORIGIN_NOT_ALLOWED');
    // ... also for a GET that starts work (token counting), but not for a link the user follows.
    const crossGet = await rawRequest(port, { method: 'GET', path: '/api/v1/datasets', headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' } });
    expect(crossGet.status).toBe(403);
    const link = await rawRequest(port, { method: 'GET', path: '/api/v1/health', headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' } });
    expect(link.status).toBe(200);
    expect(server.ctx.apiKeys.count()).toBe(0);
    expect(server.ctx.store.listDatasets()).toEqual([]);

    // Reads pass (the browser keeps their answers from the other site: no CORS headers).
    const read = await rawRequest(port, { path: '/api/v1/datasets', headers: { origin: 'https://evil.example' } });
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();

    // The console on the server's own origin, and clients that send no Origin (curl, SDKs, the CLI), work.
    const same = { origin: console_(), 'sec-fetch-site': 'same-origin' };
    const ok = await rawRequest(port, { method: 'POST', path: '/api/v1/datasets', headers: { 'content-type': upload.type, ...same }, body: upload.body });
    expect(ok.status).toBe(201);
    const key = await rawRequest(port, { method: 'POST', path: '/api/v1/keys', headers: { ...JSON_TYPE, ...same }, body: '{"name":"console","role":"admin"}' });
    expect(key.status).toBe(201);
    const auth = { authorization: `Bearer ${key.json.key}` };
    expect((await rawRequest(port, { method: 'DELETE', path: `/api/v1/datasets/${ok.json.id}`, headers: auth })).status).toBe(200);
    expect((await rawRequest(port, { method: 'DELETE', path: `/api/v1/keys/${key.json.id}`, headers: { ...auth, ...same } })).status).toBe(200);
  });

  it('refuses a text/plain POST (what a page may send without asking) on JSON routes, /v1 included', async () => {
    // No Origin, so only the Content-Type check stands in the way.
    const plain = await rawRequest(port, { method: 'POST', path: '/api/v1/keys', headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: '{"name":"pwned"}' });
    expect(plain.status).toBe(415);
    expect(plain.json.error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'POST /api/v1/keys takes a JSON body, but the request was sent as "text/plain;charset=UTF-8"' });
    const form = await rawRequest(port, { method: 'POST', path: '/api/v1/keys', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=pwned' });
    expect(form.status).toBe(415);
    const untyped = await rawRequest(port, { method: 'POST', path: '/api/v1/keys', body: '{"name":"pwned"}' });
    expect(untyped.status).toBe(415);
    expect(untyped.json.error.message).toContain('no Content-Type');
    const v1 = await rawRequest(port, { method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'text/plain' }, body: '{"model":"x","messages":[]}' });
    expect(v1.status).toBe(415);
    expect(v1.json.error).toMatchObject({ code: 'unsupported_media_type', type: 'invalid_request_error' });
    expect(server.ctx.apiKeys.count()).toBe(0);

    // JSON with a charset works; an optional body may be left out altogether.
    const withCharset = await rawRequest(port, { method: 'POST', path: '/api/v1/tokens', headers: { 'content-type': 'Application/JSON; charset=utf-8' }, body: '{"model":"nope","text":"hi"}' });
    expect(withCharset.status).not.toBe(415);
    const resume = await rawRequest(port, { method: 'POST', path: '/api/v1/jobs/job_nope/resume' });
    expect(resume.json.error.code).toBe('JOB_NOT_FOUND');
  });
});
