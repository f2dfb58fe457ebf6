import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome, testServer } from '../../../test-support/server.ts';
import type { RunningServer } from './start-server.ts';

/** Send one HTTP/1.1 request on an open socket and resolve with the response head. */
function ask(socket: ReturnType<typeof connect>, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const onData = (c: Buffer) => {
      got += c.toString('utf8');
      if (got.includes('\r\n\r\n')) done(() => resolve(got));
    };
    const onClose = () => done(() => reject(new Error(`the server closed the connection (got ${JSON.stringify(got)})`)));
    const done = (then: () => void) => {
      socket.off('data', onData).off('close', onClose);
      then();
    };
    socket.on('data', onData).on('close', onClose);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
  });
}

/**
 * Clients reuse an idle connection until the server's keep-alive hint runs out; Node's default
 * 5 s closes it while a loaded client may still write on it ("other side closed" in CI). A
 * connection idle for 6 s still answers, and the hint says how long it may wait.
 */
describe('an idle keep-alive connection', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  beforeAll(async () => {
    server = await testServer(home);
  });
  afterAll(async () => {
    await server?.close();
    cleanup();
  });

  it('still answers after 6 s without traffic', async () => {
    const socket = connect(server.port, '127.0.0.1');
    try {
      const first = await ask(socket, '/api/v1/health');
      expect(first).toMatch(/^HTTP\/1\.1 200/);
      expect(first).toMatch(/keep-alive: timeout=65/i);
      await new Promise((r) => setTimeout(r, 6000));
      expect(await ask(socket, '/api/v1/health')).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      socket.destroy();
    }
  }, 30_000);
});
