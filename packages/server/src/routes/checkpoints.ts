import { Hono } from 'hono';
import { CheckpointModelCreateSchema, WhetError } from '@whetstone/core';
import type { AppContext } from '../context.ts';
import { listCheckpointSummaries } from '../jobs/checkpoint-summaries.ts';
import { registerCheckpointModel } from '../jobs/register-checkpoint-model.ts';
import { parseJsonBody } from '../middleware/parse-body.ts';

/** A job's checkpoints: listed with their losses, and each registrable as a model to deploy, export or evaluate. */
export function checkpointRoutes(ctx: AppContext) {
  const jobOr404 = (id: string) => {
    const j = ctx.store.getJob(id);
    if (!j) throw new WhetError('JOB_NOT_FOUND', `no job with id "${id}"`);
    return j;
  };
  return new Hono()
    .get('/jobs/:id/checkpoints', async (c) => c.json({ data: await listCheckpointSummaries(jobOr404(c.req.param('id')).output_dir) }))
    .post('/jobs/:id/checkpoints/:step/model', async (c) => {
      const job = jobOr404(c.req.param('id'));
      const raw = c.req.param('step');
      if (!/^\d{1,9}$/.test(raw)) {
        throw new WhetError('INVALID_REQUEST', `step must be a whole number (a checkpoint's step), got "${raw}"`, { field: 'step', hint: `List the job's checkpoints with GET /api/v1/jobs/${job.id}/checkpoints.` });
      }
      const body = await parseJsonBody(c, CheckpointModelCreateSchema, { optional: true });
      const { model, created } = await registerCheckpointModel(ctx, job, Number(raw), body);
      return c.json(model, created ? 201 : 200);
    });
}
