import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { endpointColumn } from './endpoint-column.ts';
import type { TestRow } from './load-test-rows.ts';

// A real OpenAI-compatible endpoint on 127.0.0.1 that takes 60 ms per answer, records how many
// requests it holds at once, echoes the question back, and answers HTTP 500 to any question
// containing "boom" (a per-row failure).
const rows: TestRow[] = Array.from({ length: 13 }, (_, i) => ({
  index: i,
  messages: [...(i === 0 ? [{ role: 'system' as const, content: 'Be brief.' }] : []), { role: 'user' as const, content: i % 5 === 3 ? `boom ${i}` : `q${i}` }],
  reference: '',
}));
const params = { max_tokens: 4, temperature: 0, top_p: 1, seed: 0 };

describe('endpointColumn', () => {
  let server: Server;
  let url = '';
  let inFlight = 0;
  let peak = 0;
  let bodies: { messages: { role: string; content: string }[] }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        const parsed = JSON.parse(body) as { messages: { role: string; content: string }[] };
        bodies.push(parsed);
        setTimeout(() => {
          inFlight--;
          const question = parsed.messages.at(-1)!.content;
          if (req.url?.startsWith('/down/') || question.startsWith('boom')) {
            res.statusCode = 500;
            return res.end('{"error": "overloaded"}');
          }
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: `answer to ${question}` } }] }));
        }, 60);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  beforeEach(() => {
    inFlight = peak = 0;
    bodies = [];
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('keeps at most `concurrency` requests in flight, answers in row order, and keeps a failed row to itself', async () => {
    const progress: number[] = [];
    const started = Date.now();
    const out = await endpointColumn({ baseUrl: `${url}/v1`, model: 'm', timeoutMs: 10_000 }, rows, [{ role: 'user', content: 'ex' }, { role: 'assistant', content: 'ans' }], params, (d) =>
      progress.push(d),
    );
    const took = Date.now() - started;
    expect(peak).toBe(4); // the default
    expect(bodies).toHaveLength(13);
    expect(took).toBeLessThan(13 * 60); // not one at a time
    expect(progress).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    const failed = [3, 8];
    expect(out.predictions).toEqual(rows.map((r, i) => (failed.includes(i) ? null : `answer to ${r.messages.at(-1)!.content}`)));
    expect(out.rowErrors.map((e, i) => [i, e?.code ?? null])).toEqual(rows.map((_, i) => [i, failed.includes(i) ? 'ENDPOINT_FAILED' : null]));
    expect(out.rowErrors[3]!.message).toMatch(/\/v1\/chat\/completions answered HTTP 500: \{"error": "overloaded"\}/);
    // The examples go after the row's system message, before its question.
    const first = bodies.find((b) => b.messages.at(-1)!.content === 'q0')!;
    expect(first.messages.map((m) => m.content)).toEqual(['Be brief.', 'ex', 'ans', 'q0']);
  });

  it('takes the concurrency from the column', async () => {
    await endpointColumn({ baseUrl: `${url}/v1`, model: 'm', timeoutMs: 10_000, concurrency: 2 }, rows.slice(0, 6), [], params);
    expect(peak).toBe(2);
    await endpointColumn({ baseUrl: `${url}/v1`, model: 'm', timeoutMs: 10_000, concurrency: 1 }, rows.slice(0, 3), [], params);
    expect(peak).toBe(2); // never more than the larger of the two runs; the second kept to one
    expect(bodies).toHaveLength(9);
  });

  it('fails the column with the first error once `concurrency` rows failed before any answered, without sending the rest', async () => {
    const run = endpointColumn({ baseUrl: `${url}/down/v1`, model: 'm', timeoutMs: 10_000, concurrency: 3 }, rows, [], params);
    await expect(run).rejects.toMatchObject({ code: 'ENDPOINT_FAILED', message: expect.stringMatching(/down\/v1\/chat\/completions answered HTTP 500/) });
    expect(bodies.length).toBeGreaterThanOrEqual(3);
    expect(bodies.length).toBeLessThanOrEqual(2 * 3 - 1); // the lanes that were already going on finish their next request
  });
});
