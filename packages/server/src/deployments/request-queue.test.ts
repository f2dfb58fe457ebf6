import { describe, expect, it } from 'vitest';
import { isWhetError } from '@whetstone/core';
import { RateLimiter } from '../middleware/rate-limiter.ts';
import { RequestQueue } from './request-queue.ts';

describe('RequestQueue', () => {
  it('runs up to its concurrency, queues up to its bound, then refuses with QUEUE_FULL and a retry estimate', async () => {
    const q = new RequestQueue({ concurrency: 2, maxQueued: 1, name: 'deployment "t"' });
    const a = await q.acquire();
    await q.acquire();
    let thirdStarted = false;
    const third = q.acquire().then((r) => ((thirdStarted = true), r));
    expect(q.stats).toMatchObject({ running: 2, queued: 1 });
    const err = await q.acquire().catch((e) => e);
    expect(isWhetError(err) && err.code).toBe('QUEUE_FULL');
    expect(err.status).toBe(429);
    expect(err.details.retry_after_s).toBeGreaterThanOrEqual(1);
    expect(err.message).toMatch(/2 request\(s\) running and 1 waiting/);
    a();
    a(); // twice is harmless
    const release = await third;
    expect(thirdStarted).toBe(true);
    expect(q.stats).toMatchObject({ running: 2, queued: 0 });
    release();
    expect(q.stats.running).toBe(1);
  });

  it('drops a waiting request whose caller gave up, and drains waiters with an error', async () => {
    const q = new RequestQueue({ concurrency: 1, maxQueued: 5, name: 'q' });
    await q.acquire();
    const gone = new AbortController();
    const waiting = q.acquire(gone.signal).catch((e) => e);
    const other = q.acquire().catch((e) => e);
    expect(q.stats.queued).toBe(2);
    gone.abort(new Error('client left'));
    expect(((await waiting) as Error).message).toBe('client left');
    expect(q.stats.queued).toBe(1);
    q.drain(Object.assign(new Error('stopped'), { code: 'DEPLOYMENT_NOT_RUNNING' }) as never);
    expect(((await other) as Error).message).toBe('stopped');
  });
});

describe('RateLimiter', () => {
  it('lets a key burst to its per-minute limit, then answers RATE_LIMITED until the bucket refills', () => {
    const rl = new RateLimiter();
    const t = 1_000_000;
    for (let i = 0; i < 3; i++) rl.take('k1', 3, t);
    const err = (() => {
      try {
        rl.take('k1', 3, t);
      } catch (e) {
        return e as { code: string; details: { retry_after_s: number } };
      }
    })();
    expect(err?.code).toBe('RATE_LIMITED');
    expect(err?.details.retry_after_s).toBe(20); // one request per 20 s at 3/min
    rl.take('k2', 3, t); // another key has its own bucket
    expect(() => rl.take('k1', 3, t + 19_000)).toThrow(/3 requests a minute/);
    rl.take('k1', 3, t + 40_000);
  });
});
