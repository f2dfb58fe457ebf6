import { Hono } from 'hono';
import { WhetError, type JobDiagnosis } from '@whetstone/core';
import { diagnoseTraining } from '@whetstone/eval';
import type { AppContext } from '../context.ts';

const SERIES = ['loss', 'eval_loss', 'grad_norm', 'learning_rate'];

/** A job's training diagnosis: a verdict on its metric series, with evidence and advice. */
export function diagnosisRoutes(ctx: AppContext) {
  return new Hono().get('/jobs/:id/diagnosis', (c) => {
    const id = c.req.param('id');
    const job = ctx.store.getJob(id);
    if (!job) throw new WhetError('JOB_NOT_FOUND', `no job with id "${id}"`);
    const diagnosis = diagnoseTraining(ctx.store.listMetrics(job.id, SERIES), {
      job: { status: job.status, error: job.error, total_steps: job.progress.total_steps },
    });
    return c.json({ job_id: job.id, ...diagnosis } satisfies JobDiagnosis);
  });
}
