import { describe, expect, it } from 'vitest';
import { rawRequest } from '../../../../test-support/raw-request.ts';
import { tempHome, testApp, testServer } from '../../../../test-support/server.ts';
import { hostName } from './host-guard.ts';

describe('hostName', () => {
  it('drops the port, the IPv6 brackets and a trailing dot, and lower-cases', () => {
    expect(hostName('127.0.0.1:7860')).toBe('127.0.0.1');
    expect(hostName('[::1]:7860')).toBe('::1');
    expect(hostName('[::1]')).toBe('::1');
    expect(hostName('::1')).toBe('::1');
    expect(hostName('Whet.Example.COM.:443')).toBe('whet.example.com');
    expect(hostName('localhost')).toBe('localhost');
  });
});

describe('hostGuard (DNS rebinding)', () => {
  it('refuses a Host that names another domain, and serves it once that name is in WHET_ALLOWED_HOSTS', async () => {
    const { home, cleanup } = tempHome();
    try {
      let server = await testServer(home);
      try {
        const { port } = server;
        // A rebinding page at http://rebind.evil.example:<port>/ whose name now resolves to 127.0.0.1.
        const evil = { 'host': `rebind.evil.example:${port}` };
        const read = await rawRequest(port, { path: '/api/v1/models', headers: evil });
        expect(read.status).toBe(403);
        expect(read.json.error).toMatchObject({ code: 'HOST_NOT_ALLOWED', message: expect.stringContaining('"rebind.evil.example"'), hint: expect.stringContaining('WHET_ALLOWED_HOSTS') });
        const v1 = await rawRequest(port, { path: '/v1/models', headers: evil });
        expect(v1.status).toBe(403);
        expect(v1.json.error).toMatchObject({ code: 'host_not_allowed', type: 'invalid_request_error' });
        const write = await rawRequest(port, { method: 'POST', path: '/api/v1/keys', headers: { ...evil, 'content-type': 'application/json' }, body: '{}' });
        expect(write.status).toBe(403);
        expect(server.ctx.apiKeys.count()).toBe(0);

        for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, '10.0.0.7', `LOCALHOST:${port}`]) {
          expect((await rawRequest(port, { path: '/api/v1/models', headers: { host } })).status, host).toBe(200);
        }
      } finally {
        await server.close();
      }

      server = await testServer(home, { allowedHosts: ['rebind.evil.example'] });
      try {
        const ok = await rawRequest(server.port, { path: '/api/v1/models', headers: { host: `Rebind.Evil.Example:${server.port}` } });
        expect(ok.status).toBe(200);
        expect((await rawRequest(server.port, { path: '/api/v1/models', headers: { host: 'other.evil.example' } })).status).toBe(403);
      } finally {
        await server.close();
      }
    } finally {
      cleanup();
    }
  });

  it('answers to the name it was told to listen on (WHET_HOST)', async () => {
    const { home, cleanup } = tempHome();
    const { app, ctx } = testApp(home, { host: 'whet-box', apiKeys: ['k'] });
    try {
      expect((await app.request('/api/v1/health', { headers: { host: 'whet-box:7860' } })).status).toBe(200);
      expect((await app.request('/api/v1/health', { headers: { host: 'whet.internal:7860' } })).status).toBe(403);
      // app.request() without a Host header: the URL's host (localhost) stands in.
      expect((await app.request('/api/v1/health')).status).toBe(200);
    } finally {
      await ctx.gateway.close();
      ctx.store.close();
      cleanup();
    }
  });
});
