import { Hono } from 'hono';
import { StoppedEarlySchema, WhetError, type JobDiagnosis } from '@whetstone/core';
import { diagnoseTraining } from '@whetstone/eval';
import type { AppContext } from '../context.ts';

const SERIES = ['loss', 'eval_loss', 'grad_norm', 'learning_rate', 'reward_margin', 'rewards_chosen', 'rewards_rejected', 'preference_accuracy'];

/** A job's training diagnosis: a verdict on its metric series, with evidence and advice. */
export function diagnosisRoutes(ctx: AppContext) {
  return new Hono().get('/jobs/:id/diagnosis', (c) => {
    const id = c.req.param('id');
    const job = ctx.store.getJob(id);
    if (!job) throw new WhetError('JOB_NOT_FOUND', `no job with id "${id}"`);
    // Early stopping, reported with the worker's result, explains an eval loss that rose at the end.
    const result = ctx.store.listEvents(job.id, 0, ['result']).at(-1)?.data;
    const stopped_early = StoppedEarlySchema.nullable().catch(null).parse(result?.stopped_early ?? null);
    const diagnosis = diagnoseTraining(ctx.store.listMetrics(job.id, SERIES), {
      job: { status: job.status, error: job.error, total_steps: job.progress.total_steps, stopped_early },
    });
    return c.json({ job_id: job.id, ...diagnosis } satisfies JobDiagnosis);
  });
}
