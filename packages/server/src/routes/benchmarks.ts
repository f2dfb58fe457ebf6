import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { BenchmarkCreateSchema, type Benchmark } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { benchmarkService } from '../benchmarks/benchmark-service.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';
import { queryInt } from '../middleware/query-int.ts';

const FINISHED = new Set(['succeeded', 'failed']);

/** Benchmarks: models ranked on a multiple-choice dataset, scored by the worker. */
export function benchmarkRoutes(ctx: AppContext) {
  const service = () => benchmarkService(ctx);
  return new Hono()
    .get('/benchmarks', (c) => c.json({ data: service().list() }))
    .post('/benchmarks', async (c) => c.json(service().create(await parseJsonBody(c, BenchmarkCreateSchema)), 201))
    .get('/benchmarks/:id', (c) => c.json(service().get(c.req.param('id'))))
    // Server-Sent Events: the benchmark now, then after every change, until it finishes.
    .get('/benchmarks/:id/events', (c) => {
      const first = service().get(c.req.param('id'));
      return streamSSE(c, async (stream) => {
        const queue: Benchmark[] = [];
        let wake: (() => void) | null = null;
        const unsubscribe = service().subscribe(first.id, (b) => {
          queue.push(structuredClone(b));
          wake?.();
        });
        stream.onAbort(() => {
          unsubscribe();
          wake?.();
        });
        let current = service().get(first.id); // after subscribing, so no change falls between
        await stream.writeSSE({ event: 'benchmark', data: JSON.stringify(current) });
        while (!FINISHED.has(current.status) && !stream.aborted) {
          if (queue.length === 0) await new Promise<void>((r) => (wake = r));
          wake = null;
          while (queue.length) {
            current = queue.shift()!;
            await stream.writeSSE({ event: 'benchmark', data: JSON.stringify(current) });
          }
        }
        unsubscribe();
      });
    })
    .get('/benchmarks/:id/questions', (c) => {
      const num = (name: string) => queryInt(name, c.req.query(name));
      const q = { subject: c.req.query('subject'), wrong: c.req.query('wrong'), limit: num('limit'), offset: num('offset') };
      return c.json({ benchmark_id: c.req.param('id'), ...service().questions(c.req.param('id'), q) });
    });
}
