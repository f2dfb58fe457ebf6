import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Evaluation } from '@whetstone/core';
import { ApiClient } from './client.ts';
import { evaluationProgressLine, followEvaluation } from './follow-evaluation.ts';

const column = (label: string, status: string, done: number, extra = {}) => ({ label, status, progress: { done, total: 10 }, failed_rows: 0, error: null, ...extra });
const evaluation = (status: string, ...models: ReturnType<typeof column>[]) => ({ id: 'eval_x', status, models }) as unknown as Evaluation;

describe('evaluationProgressLine', () => {
  it('counts every column, a finished one as whole, and names the running ones', () => {
    const e = evaluation('running', column('base', 'succeeded', 10), column('shots', 'running', 4), column('gone', 'failed', 0), column('api', 'queued', 0));
    expect(evaluationProgressLine(e, 10)).toBe('[######....] 24/40 answers  shots 4/10');
  });
});

// The stream as the server sends it (event: evaluation, the whole object each time), from a
// server on 127.0.0.1 that drops the first connection half-way: the follow opens it again.
describe('followEvaluation', () => {
  const states = [
    evaluation('running', column('base', 'running', 3), column('gone', 'queued', 0)),
    evaluation('running', column('base', 'succeeded', 10), column('gone', 'running', 0)),
    evaluation('running', column('base', 'succeeded', 10), column('gone', 'failed', 0, { error: { code: 'MODEL_NOT_FOUND' } })),
    evaluation('succeeded', column('base', 'succeeded', 10), column('gone', 'failed', 0, { error: { code: 'MODEL_NOT_FOUND' } })),
  ];
  let server: Server;
  let connections = 0;
  let gets = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/api/v1/evaluations/eval_x') {
        gets++;
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify(states.at(-1)));
      }
      connections++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const send = (e: Evaluation) => res.write(`event: evaluation\ndata: ${JSON.stringify(e)}\n\n`);
      if (connections === 1) {
        send(states[0]);
        send(states[1]);
        return setTimeout(() => res.destroy(), 50); // dropped mid-way
      }
      for (const s of states.slice(1)) send(s);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('draws a line per change, says when each column ends, and reconnects after a drop', async () => {
    let text = '';
    const out = { isTTY: false, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
    const api = new ApiClient(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    const e = await followEvaluation(api, 'eval_x', out);
    expect(e.status).toBe('succeeded');
    expect(connections).toBe(2);
    expect(gets).toBe(1);
    expect(text.split('\n')).toEqual([
      `[${'#'.repeat(4)}${'.'.repeat(24)}] 3/20 answers  base 3/10`,
      'base: done',
      `[${'#'.repeat(14)}${'.'.repeat(14)}] 10/20 answers  gone 0/10`,
      'gone: failed (MODEL_NOT_FOUND)',
      `[${'#'.repeat(28)}] 20/20 answers`,
      '',
    ]);
  });
});
