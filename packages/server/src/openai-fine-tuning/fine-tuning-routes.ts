import { Hono } from 'hono';
import { FineTuningJobCreateSchema, type Job, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';
import { createOpenAiJob } from './create-openai-job.ts';
import { cursorPage, pageLimit } from './cursor-page.ts';
import { DEFAULT_OWNER } from './fine-tuned-model-name.ts';
import { toOpenAiCheckpoints } from './to-openai-checkpoints.ts';
import { toOpenAiEvents } from './to-openai-events.ts';
import { toOpenAiJob } from './to-openai-job.ts';

/**
 * OpenAI's fine-tuning jobs over native jobs: create, list (newest first, after / limit /
 * has_more, ?metadata[key]=value), retrieve, cancel, pause, resume, events and checkpoints.
 * Every native job is listed, however it was created.
 */
export function fineTuningRoutes(ctx: AppContext) {
  const jobOr404 = (id: string): Job => {
    const j = ctx.store.getJob(id);
    if (!j) throw new WhetError('JOB_NOT_FOUND', `no fine-tuning job with id "${id}"`, { field: 'fine_tuning_job_id', hint: 'List jobs with GET /v1/fine_tuning/jobs.' });
    return j;
  };
  const answer = (job: Job) => toOpenAiJob(ctx, ctx.store.getJob(job.id) ?? job);
  return new Hono()
    .post('/fine_tuning/jobs', async (c) => {
      const body = await parseJsonBody(c, FineTuningJobCreateSchema);
      return c.json(answer(await createOpenAiJob(ctx, body, DEFAULT_OWNER)));
    })
    .get('/fine_tuning/jobs', (c) => {
      const wanted = metadataFilters(c.req.queries());
      const noMetadata = c.req.query('metadata') === 'null'; // OpenAI: ?metadata=null lists the jobs without any
      const jobs = ctx.store
        .listJobs()
        .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id))
        .map((j) => toOpenAiJob(ctx, j))
        .filter((j) => wanted.every(([k, v]) => j.metadata?.[k] === v) && (!noMetadata || j.metadata === null));
      return c.json(cursorPage(jobs, c.req.query('after'), pageLimit(c.req.query('limit'), 20, 100), 'fine-tuning jobs'));
    })
    .get('/fine_tuning/jobs/:id', (c) => c.json(answer(jobOr404(c.req.param('id')))))
    .post('/fine_tuning/jobs/:id/cancel', (c) => c.json(answer(ctx.scheduler.cancel(jobOr404(c.req.param('id')).id))))
    .post('/fine_tuning/jobs/:id/pause', (c) => c.json(answer(ctx.scheduler.pause(jobOr404(c.req.param('id')).id))))
    .post('/fine_tuning/jobs/:id/resume', (c) => c.json(answer(ctx.scheduler.resume(jobOr404(c.req.param('id')).id, {}))))
    .get('/fine_tuning/jobs/:id/events', (c) => {
      const job = jobOr404(c.req.param('id'));
      const events = toOpenAiEvents(job.id, ctx.store.listEvents(job.id));
      return c.json(cursorPage(events, c.req.query('after'), pageLimit(c.req.query('limit'), 20, 100), 'events of this job'));
    })
    .get('/fine_tuning/jobs/:id/checkpoints', async (c) => {
      const job = jobOr404(c.req.param('id'));
      const checkpoints = await toOpenAiCheckpoints(ctx, job);
      return c.json(cursorPage(checkpoints, c.req.query('after'), pageLimit(c.req.query('limit'), 10, 100), 'checkpoints of this job'));
    });
}

/** ?metadata[key]=value pairs (every one must match). */
function metadataFilters(queries: Record<string, string[]>): [string, string][] {
  return Object.entries(queries).flatMap(([name, values]) => {
    const key = /^metadata\[(.+)\]$/.exec(name)?.[1];
    return key === undefined ? [] : values.map((v) => [key, v] as [string, string]);
  });
}
