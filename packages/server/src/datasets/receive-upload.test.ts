import { readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '@whetstone/server';
import { tempHome, testServer } from '../../../../test-support/server.ts';

interface RawAnswer {
  status: number | null;
  body: any;
}

/**
 * One request written byte for byte on a socket (fetch would fix a broken body up), read until
 * the server closes. `abortAfterMs` resets the connection mid-body instead of finishing it.
 */
function rawRequest(port: number, path: string, headers: Record<string, string | number>, body: string, abortAfterMs?: number): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const head = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => {});
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      const payload = text.split('\r\n\r\n').slice(1).join('\r\n\r\n');
      let parsed: unknown = payload;
      try {
        parsed = JSON.parse(payload);
      } catch {}
      resolve({ status: status ? Number(status) : null, body: parsed });
    });
    socket.write(head.join('\r\n') + '\r\n\r\n' + body);
    if (abortAfterMs !== undefined) setTimeout(() => socket.resetAndDestroy(), abortAfterMs);
  });
}

const B = 'XbOuNdArY';
const filePart = `--${B}\r\nContent-Disposition: form-data; name="file"; filename="a.jsonl"\r\nContent-Type: application/octet-stream\r\n\r\n{"text":"hello"}\n`;
const multipart = `multipart/form-data; boundary=${B}`;

// Malformed uploads, as a fuzzer or a broken client sends them. Each must be a 400 naming the
// multipart field, and none may take the server down: before the fix, a part that broke off
// while the file was being written left a rejected promise nobody awaited, and Node exited.
const BROKEN: { name: string; type: string; body: string }[] = [
  { name: 'no boundary in the Content-Type', type: 'multipart/form-data', body: 'hello' },
  { name: 'a malformed part header', type: multipart, body: `--${B}\r\nno colon here\r\n\r\nabc\r\n--${B}--\r\n` },
  { name: 'a malformed part header after the file part began', type: multipart, body: filePart + `\r\n--${B}\r\nbogus\r\n\r\nx\r\n--${B}--\r\n` },
  { name: 'a body that ends mid-part', type: multipart, body: filePart },
  { name: 'a body that ends inside a part header', type: multipart, body: `--${B}\r\nContent-Disp` },
];

describe('multipart uploads that cannot be read', () => {
  const { home, cleanup } = tempHome();
  let server: RunningServer;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const health = async () => (await fetch(`${server.url}/api/v1/health`)).status;

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    server = await testServer(home);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await server.close();
    cleanup();
  });

  for (const path of ['/api/v1/datasets', '/api/v1/datasets/qa-drafts']) {
    for (const c of BROKEN) {
      it(`${path}: ${c.name} is a 400 with a hint, and the server keeps answering`, async () => {
        const r = await rawRequest(server.port, path, { 'Content-Type': c.type, 'Content-Length': Buffer.byteLength(c.body) }, c.body);
        expect(r.status, JSON.stringify(r.body)).toBe(400);
        expect(r.body.error.code).toBe('INVALID_REQUEST');
        expect(r.body.error.message).toMatch(/multipart/);
        expect(r.body.error.hint).toMatch(/multipart\/form-data field "file"/);
        expect(await health()).toBe(200);
        expect(unhandled).toEqual([]);
      });
    }
  }

  it('survives uploads reset mid-file (a Content-Length larger than what was sent), several in a row', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await rawRequest(server.port, '/api/v1/datasets', { 'Content-Type': multipart, 'Content-Length': 100_000 }, filePart + 'x'.repeat(1000), 50);
      expect(r.status).toBe(null); // reset before any answer
    }
    expect(await health()).toBe(200);
    expect(unhandled.map(String)).toEqual([]);
    // Nothing half-written is left behind: every staging folder was removed.
    expect(readdirSync(join(home, 'datasets')).filter((n) => !n.startsWith('.'))).toEqual([]);
  });

  it('still takes a well-formed upload after all that', async () => {
    const body = filePart + `\r\n--${B}--\r\n`;
    const r = await rawRequest(server.port, '/api/v1/datasets', { 'Content-Type': multipart, 'Content-Length': Buffer.byteLength(body) }, body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.rows).toBe(1);
  });
});
