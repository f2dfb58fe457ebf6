import { Hono } from 'hono';
import type { AppContext } from '../context.ts';

export function healthRoutes(ctx: AppContext) {
  return new Hono().get('/health', (c) =>
    c.json({ status: 'ok', version: '0.1.0', home: ctx.config.home, jobs_running: ctx.store.listJobs({ status: ['running', 'validating'] }).length }),
  );
}
