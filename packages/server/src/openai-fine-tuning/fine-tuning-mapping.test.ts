import { afterAll, describe, expect, it } from 'vitest';
import { json, tempHome, testApp } from '../../../../test-support/server.ts';
import { jobRow } from '../../../../test-support/job-row.ts';
import { cursorPage } from './cursor-page.ts';
import { parseCheckpointModelName } from './fine-tuned-model-name.ts';
import { metricsCsv } from './metrics-csv.ts';
import { toOpenAiEvents } from './to-openai-events.ts';

const time = '2026-01-01T00:00:00.000Z';

describe('the mapping onto OpenAI shapes', () => {
  it('pages after an id, says has_more, and names a stale cursor', () => {
    const items = ['a', 'b', 'c'].map((id) => ({ id }));
    expect(cursorPage(items, undefined, 2, 'files')).toEqual({ object: 'list', data: [{ id: 'a' }, { id: 'b' }], has_more: true, first_id: 'a', last_id: 'b' });
    expect(cursorPage(items, 'b', 2, 'files')).toMatchObject({ data: [{ id: 'c' }], has_more: false });
    expect(() => cursorPage(items, 'zz', 2, 'files')).toThrow(/after "zz" is not the id of one of the files/);
  });

  it('turns events into OpenAI events, newest first, metrics with the latest validation values', () => {
    const events = toOpenAiEvents('job_1', [
      { seq: 1, time, type: 'status', data: { status: 'validating' } },
      { seq: 2, time, type: 'progress', data: { step: 1, total_steps: 2, loss: 2.5, mean_token_accuracy: 0.1, learning_rate: 1e-3 } },
      { seq: 3, time, type: 'eval', data: { step: 1, eval_loss: 2.4, mean_token_accuracy: 0.2 } },
      { seq: 4, time, type: 'progress', data: { step: 2, total_steps: 2, loss: 2.0, learning_rate: 1e-3 } },
      { seq: 5, time, type: 'log', data: { level: 'warning', message: 'careful' } },
      { seq: 6, time, type: 'log', data: { level: 'debug', message: 'noise' } },
      { seq: 7, time, type: 'status', data: { status: 'failed' } },
    ]);
    expect(events.map((e) => e.id)).toEqual(['job_1-event-7', 'job_1-event-5', 'job_1-event-4', 'job_1-event-3', 'job_1-event-2', 'job_1-event-1']);
    expect(events[0]).toMatchObject({ level: 'error', message: 'Job status: failed', type: 'message', object: 'fine_tuning.job.event', created_at: 1767225600 });
    expect(events[1]).toMatchObject({ level: 'warn', message: 'careful' });
    expect(events[2]).toMatchObject({ type: 'metrics', data: { step: 2, train_loss: 2, train_mean_token_accuracy: null, valid_loss: 2.4, valid_mean_token_accuracy: 0.2 } });
    expect(events[4]).toMatchObject({ type: 'metrics', data: { step: 1, train_loss: 2.5, train_mean_token_accuracy: 0.1, valid_loss: null } });
    expect(events[5]!.message).toBe('Job status: validating_files');
  });

  it("writes the metrics CSV with OpenAI's columns, validation cells only where evaluated", () => {
    const p = (step: number, name: string, value: number) => ({ step, name, value, time });
    const csv = metricsCsv([p(1, 'loss', 2.5), p(1, 'mean_token_accuracy', 0.1), p(2, 'loss', 2), p(2, 'eval_loss', 2.4), p(2, 'eval_mean_token_accuracy', 0.2)]);
    expect(csv).toBe('step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n1,2.5,0.1,,\n2,2,,2.4,0.2\n');
  });

  it('reads a checkpoint model name back to the job name and step', () => {
    expect(parseCheckpointModelName('ft:tiny:whetstone:s:job_1:ckpt-step-12')).toEqual({ jobName: 'ft:tiny:whetstone:s:job_1', step: 12 });
    expect(parseCheckpointModelName('ft:tiny:whetstone:s:job_1')).toBeNull();
  });
});

describe('jobs through /v1 (app.request, real store)', () => {
  const { home, cleanup } = tempHome();
  const { app, ctx } = testApp(home);
  afterAll(() => {
    ctx.store.close();
    cleanup();
  });
  const hp = { epochs: 3, batch_size: 4, seed: 42, learning_rate: 1e-4 };

  it("reports a failed job's error as {code, message, param}, a paused one as paused, and a native job with defaults", async () => {
    const error = { code: 'DATASET_INVALID' as const, message: 'line 3: "messages" is missing', hint: 'Fix the lines.', field: 'dataset' };
    ctx.store.insertJob(jobRow(home, 'job_failed', { status: 'failed', error, hyperparameters: hp, finished_at: time }));
    ctx.store.insertJob(jobRow(home, 'job_paused', { status: 'paused', hyperparameters: hp, finished_at: time }));
    const failed = await json(await app.request('/v1/fine_tuning/jobs/job_failed'));
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'dataset_invalid', message: 'line 3: "messages" is missing. Fix the lines.', param: 'training_file' },
      hyperparameters: { n_epochs: 3, batch_size: 4, learning_rate_multiplier: 1 },
      method: { type: 'supervised' },
      organization_id: 'whetstone',
      metadata: null,
      result_files: [],
      fine_tuned_model: null,
    });
    const paused = await json(await app.request('/v1/fine_tuning/jobs/job_paused'));
    expect(paused).toMatchObject({ status: 'paused', finished_at: null, error: null, whetstone: { status: 'paused' } });
    const listed = await json(await app.request('/v1/fine_tuning/jobs?metadata=null&limit=1'));
    expect(listed).toMatchObject({ object: 'list', has_more: true });
    const missing = await app.request('/v1/fine_tuning/jobs/job_nope/events');
    expect(missing.status).toBe(404);
    expect((await json(missing)).error).toMatchObject({ type: 'invalid_request_error', code: 'fine_tuning_job_not_found', param: 'fine_tuning_job_id' });
    const badLimit = await app.request('/v1/fine_tuning/jobs?limit=101');
    expect((await json(badLimit)).error).toMatchObject({ param: 'limit', message: 'limit must be a whole number from 1 to 100, got "101"' });
  });
});
