import { rmSync } from 'node:fs';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { JobCreateSchema, JobMoveSchema, type JobPlan, JobResumeSchema, TERMINAL_STATUSES, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { createJob, jobDir, jobRunDir } from '../jobs/create-job.ts';
import { estimateJob } from '../jobs/estimate-job.ts';
import { moveJob } from '../jobs/move-job.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';
import { queryInt } from '../middleware/query-int.ts';
import { findModelUsers } from '../models/find-model-users.ts';
import { releaseModelUsers } from '../models/release-model-users.ts';
import type { StoredEvent } from '../store/store.ts';

export function jobRoutes(ctx: AppContext) {
  const getOr404 = (id: string) => {
    const j = ctx.store.getJob(id);
    if (!j) throw new WhetError('JOB_NOT_FOUND', `no job with id "${id}"`);
    return j;
  };
  return new Hono()
    .get('/jobs', (c) => {
      const status = c.req.query('status')?.split(',').filter(Boolean) as never;
      return c.json({ data: ctx.store.listJobs({ status }) });
    })
    .post('/jobs', async (c) => {
      const body = await parseJsonBody(c, JobCreateSchema);
      // ?dry_run=true: validate and resolve every "auto" value with its reason, store nothing;
      // the answer adds how long the job should train.
      if (c.req.query('dry_run') === 'true') {
        const planned = await createJob(ctx, body, { dryRun: true });
        const plan: JobPlan = { ...planned, estimate: estimateJob(ctx, planned, body) };
        return c.json(plan, 200);
      }
      const job = await createJob(ctx, body);
      ctx.scheduler.tick();
      return c.json(ctx.store.getJob(job.id) ?? job, 201);
    })
    .get('/jobs/:id', (c) => c.json(getOr404(c.req.param('id'))))
    .get('/jobs/:id/metrics', (c) => {
      const job = getOr404(c.req.param('id'));
      const names = c.req.query('names')?.split(',').filter(Boolean);
      return c.json({ job_id: job.id, data: ctx.store.listMetrics(job.id, names) });
    })
    .get('/jobs/:id/logs', (c) => {
      const job = getOr404(c.req.param('id'));
      return c.json({ job_id: job.id, data: ctx.store.listLogs(job.id, queryInt('after', c.req.query('after')) ?? 0) });
    })
    .post('/jobs/:id/cancel', (c) => c.json(ctx.scheduler.cancel(getOr404(c.req.param('id')).id)))
    .post('/jobs/:id/pause', (c) => c.json(ctx.scheduler.pause(getOr404(c.req.param('id')).id)))
    .post('/jobs/:id/move', async (c) => {
      const id = getOr404(c.req.param('id')).id;
      return c.json(moveJob(ctx.store, id, await parseJsonBody(c, JobMoveSchema)));
    })
    .post('/jobs/:id/resume', async (c) => {
      const job = getOr404(c.req.param('id'));
      const body = await parseJsonBody(c, JobResumeSchema, { optional: true });
      return c.json(ctx.scheduler.resume(job.id, body));
    })
    .delete('/jobs/:id', async (c) => {
      const job = getOr404(c.req.param('id'));
      if (ctx.scheduler.isRunning(job.id) || job.status === 'running' || job.status === 'validating') {
        throw new WhetError('JOB_STATE_CONFLICT', `job ${job.id} is ${job.status}`, { hint: `Cancel it first: POST /api/v1/jobs/${job.id}/cancel` });
      }
      // Its result (an adapter, or full weights) lives in the job folder that goes with it.
      const output = job.output_model_id ? (ctx.store.getModel(job.output_model_id) ?? null) : null;
      await releaseModelUsers(ctx, `job ${job.id}${output ? ` (its result model ${output.name})` : ''}`, findModelUsers(ctx, output, job), c.req.query('force') === 'true');
      ctx.store.transaction(() => {
        if (job.output_model_id) ctx.store.deleteModel(job.output_model_id);
        ctx.store.deleteJob(job.id);
        ctx.openAiJobs.delete(job.id);
      });
      rmSync(jobDir(ctx.config.home, job.id), { recursive: true, force: true });
      if (job.resources?.shared_path) rmSync(jobRunDir(ctx.config.home, job), { recursive: true, force: true }); // its files on shared storage
      if (output) await ctx.gateway.forgetModel(output);
      return c.json({ id: job.id, deleted: true });
    })
    .get('/jobs/:id/events', (c) => {
      const job = getOr404(c.req.param('id'));
      const after = queryInt('after', c.req.query('after') ?? c.req.header('last-event-id')) ?? 0;
      return streamSSE(c, async (stream) => {
        // Subscribe before replaying so nothing falls between the two; seq dedups the overlap.
        const queue: StoredEvent[] = [];
        let wake: (() => void) | null = null;
        const unsubscribe = ctx.bus.subscribe(job.id, (e) => {
          queue.push(e);
          wake?.();
        });
        stream.onAbort(() => {
          unsubscribe();
          wake?.();
        });
        let last = after;
        const send = async (e: StoredEvent) => {
          if (e.seq <= last) return;
          last = e.seq;
          await stream.writeSSE({ id: String(e.seq), event: e.type, data: JSON.stringify({ seq: e.seq, time: e.time, ...e.data, type: e.type }) });
        };
        const isDone = () => {
          const j = ctx.store.getJob(job.id);
          return !j || TERMINAL_STATUSES.includes(j.status) || j.status === 'paused';
        };
        try {
          for (const e of ctx.store.listEvents(job.id, after)) await send(e);
          while (!stream.aborted && !isDone()) {
            if (queue.length === 0) {
              await new Promise<void>((res) => {
                wake = res;
                setTimeout(res, 15_000).unref(); // heartbeat
              });
              wake = null;
              if (queue.length === 0 && !stream.aborted) await stream.writeSSE({ event: 'ping', data: '{}' });
            }
            while (queue.length) await send(queue.shift()!);
          }
          for (const e of ctx.store.listEvents(job.id, last)) await send(e);
          await stream.writeSSE({ event: 'end', data: JSON.stringify({ status: ctx.store.getJob(job.id)?.status ?? 'deleted' }) });
        } finally {
          unsubscribe();
        }
      });
    });
}
