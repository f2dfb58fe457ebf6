import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openEventStream } from './event-stream.ts';

// A real HTTP server that drops the connection after every two events, like a restart would.
function flakyServer(total: number) {
  const seen: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    const last = req.headers['last-event-id'];
    seen.push(typeof last === 'string' ? last : undefined);
    const from = last ? Number(last) + 1 : 1;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (from > total) {
      res.end('event: end\ndata: {}\n\n');
      return;
    }
    const upTo = Math.min(total, from + 1);
    for (let i = from; i <= upTo; i++) res.write(`id: ${i}\nevent: progress\ndata: {"step":${i}}\n\n`);
    res.end(); // drop the connection
  });
  return { server, seen };
}

describe('openEventStream', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('reconnects after every drop with Last-Event-ID and loses or repeats nothing', async () => {
    const flaky = flakyServer(5);
    server = flaky.server;
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
    const steps: number[] = [];
    await new Promise<void>((done) => {
      openEventStream(url, {
        minRetryMs: 10,
        onMessage(m) {
          if (m.event === 'end') return 'close';
          steps.push(JSON.parse(m.data).step);
        },
        onStateChange(s) {
          if (s === 'closed') done();
        },
      });
    });
    expect(steps).toEqual([1, 2, 3, 4, 5]);
    expect(flaky.seen).toEqual([undefined, '2', '4', '5']);
  });

  it('stops for good on a 404, and starts from the given id', async () => {
    const ids: (string | undefined)[] = [];
    server = createServer((req, res) => {
      ids.push(req.headers['last-event-id'] as string | undefined);
      res.writeHead(404).end('{"error":{"code":"JOB_NOT_FOUND"}}');
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
    const status = await new Promise<number | undefined>((done) => {
      openEventStream(url, { lastEventId: '41', minRetryMs: 10, onMessage: () => undefined, onStateChange: (s, d) => s === 'closed' && done(d?.status) });
    });
    expect(status).toBe(404);
    expect(ids).toEqual(['41']);
  });
});
