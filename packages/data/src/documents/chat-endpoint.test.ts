import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forceGc } from '../../../../test-support/force-gc.ts';
import { chatCompletion } from './chat-endpoint.ts';

// An endpoint that accepts the request and never answers: the timeout must end the call.
describe('chatCompletion against an endpoint that never answers', () => {
  let server: Server;
  let baseUrl = '';
  beforeAll(async () => {
    server = createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  // With AbortSignal.any([signal, AbortSignal.timeout(ms)]) a garbage collection during the wait
  // took the timeout, and the call waited undici's 300 s (an evaluation test outlasted its 120 s).
  it('fails at its timeout with a cancel signal beside it, garbage collections or not', { timeout: 20_000 }, async () => {
    const cancel = new AbortController();
    const t0 = performance.now();
    const call = chatCompletion({ baseUrl, model: 'm', timeoutMs: 400 }, [{ role: 'user', content: 'hi' }], { signal: cancel.signal });
    const gcs = setInterval(forceGc, 50);
    try {
      await expect(call).rejects.toMatchObject({ code: 'ENDPOINT_FAILED', message: expect.stringMatching(/did not answer within/) });
    } finally {
      clearInterval(gcs);
    }
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('stops when the cancel signal fires', async () => {
    const cancel = new AbortController();
    const call = chatCompletion({ baseUrl, model: 'm', timeoutMs: 60_000 }, [{ role: 'user', content: 'hi' }], { signal: cancel.signal });
    setTimeout(() => cancel.abort(new Error('cancelled')), 100);
    await expect(call).rejects.toMatchObject({ code: 'ENDPOINT_FAILED' });
  });
});
