import { Hono } from 'hono';
import type { AppContext } from '../context.ts';

/** Liveness. It needs no key, so it names no server path or other detail a stranger should not learn. */
export function healthRoutes(ctx: AppContext) {
  return new Hono().get('/health', (c) =>
    c.json({ status: 'ok', version: '0.1.0', jobs_running: ctx.store.listJobs({ status: ['running', 'validating'] }).length }),
  );
}
