import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { JobDiagnosisSchema, type Job, type MetricPoint } from '@whetstone/core';
import { jobRow } from '../../../../test-support/job-row.ts';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';

// The real app over a real SQLite store; the job rows and metric points are inserted as the
// scheduler writes them, the curves are the recorded ones of packages/eval.
const recorded = (name: string) =>
  (JSON.parse(readFileSync(new URL(`../../../eval/src/diagnosis/fixtures/recorded-${name}.json`, import.meta.url), 'utf8')) as { series: MetricPoint[] }).series;

describe('GET /api/v1/jobs/:id/diagnosis', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });

  const insertJob = (id: string, patch: Partial<Job> = {}) => {
    const job = jobRow(home, id, { progress: { step: 0, total_steps: 200, epoch: null, loss: null, eval_loss: null, learning_rate: null, tokens_per_sec: null, eta_seconds: null }, ...patch });
    ctx.store.insertJob(job);
  };
  const get = async (id: string) => {
    const res = await app.request(`/api/v1/jobs/${id}/diagnosis`);
    return { status: res.status, body: await json(res) };
  };

  it('diagnoses the stored metric series of a job: over-fitting with the step to stop at', async () => {
    insertJob('job_over');
    ctx.store.appendMetrics('job_over', recorded('overfitting'));
    ctx.store.appendMetrics('job_over', [{ step: 90, name: 'tokens_per_sec', value: 1234 }]); // not a diagnosis series
    const { status, body } = await get('job_over');
    expect(status).toBe(200);
    expect(JobDiagnosisSchema.parse(body)).toEqual(body);
    expect(body).toMatchObject({ job_id: 'job_over', verdict: 'overfitting', points: { loss: 60, eval_loss: 30, grad_norm: 60, learning_rate: 60, last_step: 180 } });
    expect(body.summary).toMatch(/^Over-fitting\. The eval loss was lowest at step 24/);
    expect(body.advice[0]).toMatch(/stop around step 24/);
  });

  it("reads early stopping from the job's result event: the same curve, stopped at its best step, is no over-fitting", async () => {
    insertJob('job_stopped', { status: 'succeeded' });
    ctx.store.appendMetrics('job_stopped', recorded('overfitting'));
    ctx.store.appendEvent('job_stopped', 'result', { type: 'result', steps: 180, stopped_early: { step: 180, best_step: 24, best_eval_loss: 2.1, patience: 2 } });
    const { body } = await get('job_stopped');
    expect(body.verdict).not.toBe('overfitting');
    expect(body.evidence.map((e: { message: string }) => e.message).join(' ')).toMatch(/Early stopping ended the run at step 180: .* the model of step 24/);
  });

  it.each([
    ['healthy', 'healthy'],
    ['not-converging', 'not_converging'],
    ['unstable', 'unstable'],
  ] as const)('%s curve -> %s', async (name, verdict) => {
    const id = `job_${name.replace('-', '_')}`;
    insertJob(id);
    ctx.store.appendMetrics(id, recorded(name));
    expect((await get(id)).body.verdict).toBe(verdict);
  });

  it('says too_early for a running job with few points, and uses the job error', async () => {
    insertJob('job_new', { status: 'running', progress: { step: 10, total_steps: 1000, epoch: null, loss: 3, eval_loss: null, learning_rate: 1e-4, tokens_per_sec: null, eta_seconds: null } });
    ctx.store.appendMetrics('job_new', [
      { step: 5, name: 'loss', value: 3.1 },
      { step: 10, name: 'loss', value: 3.0 },
    ]);
    const early = await get('job_new');
    expect(early.body).toMatchObject({ verdict: 'too_early', points: { loss: 2, last_step: 10 } });
    expect(early.body.advice[0]).toMatch(/Let it run/);

    insertJob('job_nan', { status: 'failed', error: { code: 'TRAINING_DIVERGED', message: 'loss is nan at step 12', hint: 'Lower the learning rate.' } });
    ctx.store.appendMetrics('job_nan', [{ step: 5, name: 'loss', value: 3.1 }]);
    const diverged = await get('job_nan');
    expect(diverged.body.verdict).toBe('unstable');
    expect(diverged.body.evidence[0].message).toBe('The worker stopped the run: loss is nan at step 12');
  });

  it('answers 404 JOB_NOT_FOUND for an unknown job, and is in the OpenAPI document', async () => {
    const missing = await get('job_nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'JOB_NOT_FOUND', message: 'no job with id "job_nope"' });
    const doc = await json(await app.request('/api/v1/openapi.json'));
    const op = doc.paths['/api/v1/jobs/{id}/diagnosis'].get;
    expect(op.responses['200'].content['application/json'].schema.properties.verdict.enum).toEqual(['unstable', 'overfitting', 'rewards_falling', 'not_converging', 'healthy', 'too_early']);
  });
});
