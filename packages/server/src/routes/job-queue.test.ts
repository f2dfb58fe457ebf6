import { afterAll, describe, expect, it } from 'vitest';
import { jobRow } from '../../../../test-support/job-row.ts';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';

// The queue's order without a worker: jobs inserted as the scheduler stores them, moved over
// the real routes (app.request) on a real SQLite store. The scheduler is never started here.
describe('POST /api/v1/jobs/:id/move and queue_position', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });
  const post = async (path: string, body: unknown) => {
    const res = await app.request(`/api/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await json(res) };
  };
  const queue = async () => ((await json(await app.request('/api/v1/jobs?status=queued'))).data as { id: string; queue_position: number }[])
    .sort((a, b) => a.queue_position - b.queue_position)
    .map((j) => j.id);

  for (const id of ['job_a', 'job_b', 'job_c', 'job_d']) ctx.store.insertJob(jobRow(home, id, { status: 'queued', attempts: 0 }));
  ctx.store.insertJob(jobRow(home, 'job_done'));

  it('numbers queued jobs from 1 in creation order, null for others, in the list and on the job', async () => {
    expect(await queue()).toEqual(['job_a', 'job_b', 'job_c', 'job_d']);
    expect((await json(await app.request('/api/v1/jobs/job_c'))).queue_position).toBe(3);
    expect((await json(await app.request('/api/v1/jobs/job_done'))).queue_position).toBeNull();
    expect(ctx.store.listQueue().map((j) => j.id)).toEqual(['job_a', 'job_b', 'job_c', 'job_d']);
  });

  it('moves to the top, to the bottom, before and after another queued job', async () => {
    const top = await post('/jobs/job_d/move', { position: 'top' });
    expect(top.status).toBe(200);
    expect(top.body).toMatchObject({ id: 'job_d', queue_position: 1 });
    expect(await queue()).toEqual(['job_d', 'job_a', 'job_b', 'job_c']);
    await post('/jobs/job_d/move', { position: 'bottom' });
    expect(await queue()).toEqual(['job_a', 'job_b', 'job_c', 'job_d']);
    expect((await post('/jobs/job_c/move', { before: 'job_a' })).body.queue_position).toBe(1);
    expect(await queue()).toEqual(['job_c', 'job_a', 'job_b', 'job_d']);
    expect((await post('/jobs/job_c/move', { after: 'job_b' })).body.queue_position).toBe(3);
    expect(await queue()).toEqual(['job_a', 'job_b', 'job_c', 'job_d']);
    expect(ctx.store.listQueue().map((j) => j.id)).toEqual(['job_a', 'job_b', 'job_c', 'job_d']); // what the scheduler launches from
  });

  it('a job leaving the queue loses its place; one coming back (a resume) goes to the end', async () => {
    ctx.store.updateJob({ ...ctx.store.getJob('job_a')!, status: 'paused' });
    expect(await queue()).toEqual(['job_b', 'job_c', 'job_d']);
    expect((await json(await app.request('/api/v1/jobs/job_a'))).queue_position).toBeNull();
    ctx.store.updateJob({ ...ctx.store.getJob('job_a')!, status: 'queued' });
    expect(await queue()).toEqual(['job_b', 'job_c', 'job_d', 'job_a']);
  });

  it('refuses a bad move with the reason and what to do', async () => {
    const none = await post('/jobs/job_b/move', {});
    expect(none.status).toBe(400);
    expect(none.body.error.message).toMatch(/exactly one of "position", "before" or "after"/);
    const two = await post('/jobs/job_b/move', { position: 'top', before: 'job_c' });
    expect(two.status).toBe(400);
    expect((await post('/jobs/job_b/move', { position: 'middle' })).status).toBe(400);
    const self = await post('/jobs/job_b/move', { before: 'job_b' });
    expect(self.status).toBe(400);
    expect(self.body.error).toMatchObject({ code: 'INVALID_REQUEST', field: 'before' });

    const unknown = await post('/jobs/job_nope/move', { position: 'top' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('JOB_NOT_FOUND');
    const unknownRef = await post('/jobs/job_b/move', { after: 'job_nope' });
    expect(unknownRef.status).toBe(404);
    expect(unknownRef.body.error.field).toBe('after');

    const finished = await post('/jobs/job_done/move', { position: 'top' });
    expect(finished.status).toBe(409);
    expect(finished.body.error.code).toBe('JOB_STATE_CONFLICT');
    expect(finished.body.error.message).toBe('job job_done is succeeded; only queued jobs can move in the queue');
    expect(finished.body.error.hint).toMatch(/whet jobs queue/);
    const beforeFinished = await post('/jobs/job_b/move', { before: 'job_done' });
    expect(beforeFinished.status).toBe(409);
    expect(beforeFinished.body.error).toMatchObject({ code: 'JOB_STATE_CONFLICT', field: 'before' });
    expect(await queue()).toEqual(['job_b', 'job_c', 'job_d', 'job_a']); // nothing moved
  });
});
